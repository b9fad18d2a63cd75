"""Stories: anyone reads the public ones (/stories, a story, its photo); an organisation's members
write, publish, unpublish and delete them; the coordinator hides one with a reason and shows it
again."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access, pagecache, pictures
from portal.core.paragraphs import paragraphs
from portal.models import utcnow
from portal.ratelimits import TooMany
from portal.stories import bp, queries, services
from portal.stories.forms import ConfirmForm, HideStoryForm, StoryEditForm, StoryForm
from portal.web import loaders
from portal.web.actions import attempt


def _page() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), queries.MAX_PAGE)


def _status(outcome) -> int:
    return 429 if outcome is not None and isinstance(outcome.error, TooMany) else 200


def _read_picture(field) -> bytes | None:
    """The uploaded bytes, read no further than one byte past the limit."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", None):
        return None
    return upload.stream.read(services.PICTURE_MAX_BYTES + 1)


# --- reading ------------------------------------------------------------------------------------

@bp.get("/stories")
@pagecache.cacheable(args=("page",))
def index():
    return render_template("stories/index.html", listing=queries.public_stories(page=_page()))


@bp.get("/stories/<int:story_id>")
@pagecache.cacheable()
def show(story_id):
    story = loaders.story(story_id)
    org = story.organisation
    is_member = access.may_write_story(current_user, org)
    task = story.task if story.task_id is not None else None
    return render_template(
        "stories/show.html", story=story, org=org, paragraphs=paragraphs(story.body),
        task=task if task is not None and access.is_public_task(task) else None,
        is_member=is_member, is_coordinator=access.is_coordinator(current_user),
        confirm=ConfirmForm(formdata=None) if current_user.is_authenticated else None)


@bp.get("/stories/<int:story_id>/picture")
def picture(story_id):
    story = loaders.story(story_id)
    # A draft's or a hidden story's photo, or one of a suspended organisation, is the organisation's:
    # no shared cache keeps it.
    return pictures.serve(story.picture_id,
                          public=story.is_public and story.organisation.is_public)


# --- writing ------------------------------------------------------------------------------------

def _fields(form) -> dict:
    return dict(title=form.title.data, summary=form.summary.data, body=form.body.data,
                picture=_read_picture(form.picture), picture_alt=form.picture_alt.data, task_id=form.task_id())


@bp.route("/organisations/<slug>/stories/new", methods=["GET", "POST"])
@login_required
def new(slug):
    org = loaders.organisation(slug, may=access.may_write_story)
    form = StoryForm()
    form.set_tasks(services.linkable_tasks(org))
    outcome = None
    if form.validate_on_submit():
        publish = form.publish.data == "now"
        outcome = attempt(lambda: services.write_story(org, current_user, **_fields(form), publish=publish,
                                                       now=utcnow()), form=form)
        if outcome:
            flash(_("Thank you! The story is published.") if publish
                  else _("The story is saved as a draft. Only your organisation can see it."), "success")
            return redirect(url_for("stories.show", story_id=outcome.value.id))
    return render_template("stories/form.html", form=form, org=org, story=None), _status(outcome)


@bp.route("/stories/<int:story_id>/edit", methods=["GET", "POST"])
@login_required
def edit(story_id):
    story = loaders.story(story_id, may=access.may_write_story)
    form = StoryEditForm(obj=story)
    form.set_tasks(services.linkable_tasks(story.organisation))
    if not form.is_submitted():
        form.task.data = str(story.task_id) if story.task_id else ""
        form.picture_alt.data = story.picture.alt if story.picture is not None else ""
    outcome = None
    if form.validate_on_submit():
        outcome = attempt(lambda: services.edit_story(story, current_user, **_fields(form),
                                                      remove_picture=form.remove_picture.data, now=utcnow()),
                          form=form)
        if outcome:
            flash(_("The story has been saved."), "success")
            return redirect(url_for("stories.show", story_id=story.id))
    return render_template("stories/form.html", form=form, org=story.organisation, story=story), _status(outcome)


@bp.post("/stories/<int:story_id>/publish")
@login_required
def publish(story_id):
    story = loaders.story(story_id, may=access.may_write_story)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.publish(story, current_user, now=utcnow())):
        flash(_("The story is published."), "success")
    return redirect(url_for("stories.show", story_id=story.id))


@bp.post("/stories/<int:story_id>/unpublish")
@login_required
def unpublish(story_id):
    story = loaders.story(story_id, may=access.may_write_story)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.unpublish(story, current_user,
                                                                                 now=utcnow())):
        flash(_("The story is a draft again. Only your organisation can see it."), "success")
    return redirect(url_for("stories.show", story_id=story.id))


@bp.route("/stories/<int:story_id>/delete", methods=["GET", "POST"])
@login_required
def delete(story_id):
    story = loaders.story(story_id, may=access.may_write_story)
    form = ConfirmForm()
    org = story.organisation
    if form.validate_on_submit() and attempt(lambda: services.delete(story, current_user)):
        flash(_("The story has been deleted."), "success")
        return redirect(url_for("organisations.show", slug=org.slug))
    return render_template("stories/delete.html", story=story, org=org, form=form)


# --- the coordinator ----------------------------------------------------------------------------

@bp.route("/stories/<int:story_id>/hide", methods=["GET", "POST"])
@login_required
def hide(story_id):
    story = loaders.story(story_id)
    if not access.is_coordinator(current_user):
        abort(403)
    form = HideStoryForm()
    if form.validate_on_submit() and attempt(lambda: services.hide(story, current_user, reason=form.reason.data,
                                                                   now=utcnow()), form=form):
        flash(_("The story is hidden, and the author has been told why."), "success")
        return redirect(url_for("stories.show", story_id=story.id))
    return render_template("stories/hide.html", story=story, form=form), 400 if form.is_submitted() else 200


@bp.post("/stories/<int:story_id>/unhide")
@login_required
def unhide(story_id):
    story = loaders.story(story_id)
    if not access.is_coordinator(current_user):
        abort(403)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.unhide(story, current_user, now=utcnow())):
        flash(_("The story is shown again."), "success")
    return redirect(url_for("stories.show", story_id=story.id))
