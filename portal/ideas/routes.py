"""What citizens do in the ideas box: read the list and an idea, write one (with an account, or
through the short form confirmed by e-mail), support it, pledge help, comment and report."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import access, pagecache
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.ideas import bp, queries, services
from portal.ideas.forms import (REASON_LABELS, STATE_LABELS, CommentForm, ConfirmForm, CorrectionForm, IdeaEditForm,
                                IdeaForm, PledgeForm, ReportForm, SendIdeaForm, SupportForm)
from portal.models import IdeaComment, IdeaSettings, IdeaState, utcnow
from portal.ratelimits import TooMany, client_network
from portal.web import loaders
from portal.web.actions import attempt


def _page() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), queries.MAX_PAGE)


def _status(outcome) -> int:
    return 429 if outcome is not None and isinstance(outcome.error, TooMany) else 200


def _locale() -> str:
    return str(get_locale() or "da")


def _read_picture(field) -> bytes | None:
    """The uploaded bytes, read no further than one byte past the limit."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", None):
        return None
    return upload.stream.read(services.PICTURE_MAX_BYTES + 1)


def threshold_promise() -> str:
    """The support threshold as the political promise it is (the Styrelseslov gives no right to
    the council's agenda): "When an idea gets 25 supports in 3 months, the municipality promises
    to answer within 30 days"."""
    settings = db.session.get(IdeaSettings, 1)
    threshold, window, answer = ((settings.support_threshold, settings.window_days, settings.answer_days)
                                 if settings else (25, 91, 30))
    months = round(window / 30.44)
    if months >= 1 and abs(months * 30.44 - window) <= 3:
        period = ngettext("%(num)d month", "%(num)d months", months)
    else:
        period = ngettext("%(num)d day", "%(num)d days", window)
    return _("When an idea gets %(supports)s in %(period)s, the municipality promises to answer it in public "
             "within %(days)s. It is a promise from the municipality, not a right to have the idea decided "
             "by the city council.",
             supports=ngettext("%(num)d support", "%(num)d supports", threshold), period=period,
             days=ngettext("%(num)d day", "%(num)d days", answer))


# --- reading ----------------------------------------------------------------------------------

@bp.get("/ideas")
@pagecache.cacheable(args=("state", "category", "sort", "page"))
def index():
    state = next((s for s in IdeaState if s.value == request.args.get("state")), None)
    categories = queries.categories()
    category_id = request.args.get("category", type=int)
    category = next((c for c in categories if c.id == category_id), None)
    sort = request.args.get("sort", "newest")
    sort = sort if sort in queries.SORTS else "newest"
    listing = queries.public_ideas(state=state, category_id=category.id if category else None, sort=sort,
                                   page=_page())
    return render_template("ideas/index.html", listing=listing, state=state, category=category, sort=sort,
                           categories=categories, state_labels=STATE_LABELS, locale=_locale(),
                           promise=threshold_promise())


def _render_idea(idea, *, support_form=None, pledge_form=None, comment_form=None, status=200):
    me = current_user if current_user.is_authenticated else None
    support = services.my_support(idea, me)
    pledge = services.my_pledge(idea, me)
    forms = {}
    if me is not None:
        # Anonymous visitors get no form (and so no CSRF token): their page can come from the cache.
        forms = dict(
            support_form=support_form or SupportForm(formdata=None, notify=support.notify if support else True),
            pledge_form=pledge_form or PledgeForm(formdata=None, obj=pledge),
            comment_form=comment_form or CommentForm(formdata=None), confirm=ConfirmForm(formdata=None))
    task = idea.task if idea.task_id is not None else None
    return render_template(
        "ideas/show.html", idea=idea, author_name=services.shown_name(idea), state_labels=STATE_LABELS,
        locale=_locale(), is_author=services.is_author(idea, me), may_edit=services.may_edit(idea, me),
        support=support, pledge=pledge, comments=queries.comments(idea, me),
        task=task if task is not None and access.is_public_task(task) else None,
        answered=idea.state is not IdeaState.new and idea.answer_published_at is not None,
        promise=threshold_promise(), **forms), status


@bp.get("/ideas/<int:idea_id>")
@pagecache.cacheable()
def show(idea_id):
    return _render_idea(loaders.idea(idea_id))


@bp.get("/ideas/<int:idea_id>/picture")
def picture(idea_id):
    idea = loaders.idea(idea_id)
    if idea.picture is None:
        abort(404)
    response = make_response(idea.picture)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # The address carries ?v=<time of upload>, so a new picture is a new address.
    response.headers["Cache-Control"] = "public, max-age=86400" if idea.is_visible else "private, no-store"
    stamp = idea.picture_updated_at.timestamp() if idea.picture_updated_at else 0
    response.set_etag(f"idea-{idea.id}-{stamp}")
    return response.make_conditional(request)


# --- writing ----------------------------------------------------------------------------------

def _idea_form(form_class, idea=None):
    form = form_class(obj=idea)
    form.set_categories(queries.categories(), _locale())
    if idea is not None and not form.is_submitted():
        form.category.data = str(idea.category_id) if idea.category_id else ""
    return form


def _idea_fields(form) -> dict:
    return dict(title=form.title.data, body=form.body.data, who_it_helps=form.who_it_helps.data,
                category_id=form.category_id(), place_name=form.place_name.data or None,
                postcode=form.postcode.data or None, picture=_read_picture(form.picture),
                picture_alt=form.picture_alt.data)


@bp.route("/ideas/new", methods=["GET", "POST"])
@login_required
def new():
    refused = services.writing_refused(current_user, today=to_local(utcnow()).date())
    if refused is not None:
        return render_template("ideas/too_young.html", message=refused.message,
                               unknown=current_user.birth_date is None), 403
    form = _idea_form(IdeaForm)
    outcome = None
    if form.validate_on_submit():
        outcome = attempt(lambda: services.write_idea(current_user, **_idea_fields(form), now=utcnow()), form=form)
        if outcome:
            flash(_("Thank you! Your idea is published. Share it, so others can support it."), "success")
            return redirect(url_for("ideas.show", idea_id=outcome.value.id))
    return render_template("ideas/form.html", form=form, idea=None), _status(outcome)


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@login_required
def edit(idea_id):
    idea = loaders.idea(idea_id, may=services.is_author_of)
    if not services.may_edit(idea, current_user):
        return _correction(idea)
    form = _idea_form(IdeaEditForm, idea)
    if form.validate_on_submit():
        if attempt(lambda: services.edit_idea(idea, current_user, **_idea_fields(form),
                                              remove_picture=form.remove_picture.data, now=utcnow()), form=form):
            flash(_("Your idea has been saved."), "success")
            return redirect(url_for("ideas.show", idea_id=idea.id))
        if not services.may_edit(idea, current_user):
            # Someone supported it while the author typed: say so, and offer the correction.
            flash(_("Others have supported the idea as it is, so it can no longer be changed. "
                    "Add a correction note instead."), "error")
            return redirect(url_for("ideas.edit", idea_id=idea.id))
    return render_template("ideas/form.html", form=form, idea=idea)


def _correction(idea):
    """Once others support the idea, its edit page becomes "add a correction note" and says why."""
    form = CorrectionForm()
    if form.validate_on_submit() and attempt(lambda: services.add_correction(idea, current_user, form.body.data,
                                                                             now=utcnow()), form=form):
        flash(_("Your correction is shown under the idea."), "success")
        return redirect(url_for("ideas.show", idea_id=idea.id))
    return render_template("ideas/correction.html", idea=idea, form=form,
                           others=services.supports_of_others(idea, current_user))


# --- without an account -----------------------------------------------------------------------

@bp.route("/ideas/send", methods=["GET", "POST"])
def send():
    form = SendIdeaForm()
    outcome = None
    if form.validate_on_submit():
        outcome = attempt(lambda: services.send_idea(
            name=form.name.data, email=form.email.data, title=form.title.data, body=form.body.data,
            who_it_helps=form.who_it_helps.data, network=client_network(), locale=_locale(), now=utcnow()),
            form=form)
        if outcome:
            return render_template("ideas/sent.html", email=form.email.data, days=services.CONFIRM_DAYS)
    return render_template("ideas/send.html", form=form), _status(outcome)


@bp.get("/ideas/confirm/<token>")
def confirm_idea(token):
    outcome = attempt(lambda: services.confirm_idea(token, now=utcnow()), quiet=True)
    if not outcome:
        return render_template("ideas/bad_link.html", message=outcome.error.message), 404
    flash(_("Thank you! Your idea is published. We will write to you when the municipality answers."), "success")
    return redirect(url_for("ideas.show", idea_id=outcome.value.id))


# --- the two buttons --------------------------------------------------------------------------

@bp.post("/ideas/<int:idea_id>/support")
@login_required
def support(idea_id):
    idea = loaders.idea(idea_id)
    form = SupportForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.support(idea, current_user, notify=form.notify.data, now=utcnow()))
        if outcome:
            flash(_("Thank you for your support!") if outcome.value
                  else _("You already support the idea. Your choice about being told has been saved."), "success")
    else:
        flash(_("The form had expired. Please try again."), "error")
    return redirect(url_for("ideas.show", idea_id=idea.id, _anchor="support"))


@bp.post("/ideas/<int:idea_id>/support/withdraw")
@login_required
def withdraw_support(idea_id):
    idea = loaders.idea(idea_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.withdraw_support(idea, current_user)):
        flash(_("You no longer support the idea."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id, _anchor="support"))


@bp.post("/ideas/<int:idea_id>/help")
@login_required
def pledge(idea_id):
    idea = loaders.idea(idea_id)
    form = PledgeForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.pledge(idea, current_user, note=form.note.data,
                                                  notify=form.notify.data, now=utcnow()), form=form)
        if outcome:
            flash(_("Thank you! We will remember that you would like to help.") if outcome.value
                  else _("Your offer to help has been updated."), "success")
            return redirect(url_for("ideas.show", idea_id=idea.id, _anchor="help"))
    return _render_idea(idea, pledge_form=form)


@bp.post("/ideas/<int:idea_id>/help/withdraw")
@login_required
def withdraw_pledge(idea_id):
    idea = loaders.idea(idea_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.withdraw_pledge(idea, current_user)):
        flash(_("You have withdrawn your offer to help."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id, _anchor="help"))


# --- comments and reports ---------------------------------------------------------------------

@bp.post("/ideas/<int:idea_id>/comments")
@login_required
def comment(idea_id):
    idea = loaders.idea(idea_id)
    form = CommentForm()
    outcome = None
    if form.validate_on_submit():
        outcome = attempt(lambda: services.add_comment(idea, current_user, form.body.data, now=utcnow()), form=form)
        if outcome:
            flash(_("Your comment is published."), "success")
            return redirect(url_for("ideas.show", idea_id=idea.id, _anchor=f"comment-{outcome.value.id}"))
    body, _code = _render_idea(idea, comment_form=form)
    return body, _status(outcome)


def _report(idea, comment=None):
    form = ReportForm()
    outcome = None
    if form.validate_on_submit():
        outcome = attempt(lambda: services.report(idea=idea, comment=comment, reporter=current_user,
                                                  reason=form.reason.data, note=form.note.data,
                                                  network=client_network(), now=utcnow()), form=form)
        if outcome:
            return render_template("ideas/reported.html", idea=idea)
    return render_template("ideas/report.html", idea=idea, comment=comment, form=form,
                           reason_labels=REASON_LABELS), _status(outcome)


@bp.route("/ideas/<int:idea_id>/report", methods=["GET", "POST"])
def report(idea_id):
    return _report(loaders.idea(idea_id))


@bp.route("/ideas/<int:idea_id>/comments/<int:comment_id>/report", methods=["GET", "POST"])
def report_comment(idea_id, comment_id):
    idea = loaders.idea(idea_id)
    found = db.session.scalar(select(IdeaComment).where(IdeaComment.id == comment_id,
                                                        IdeaComment.idea_id == idea.id,
                                                        IdeaComment.hidden_at.is_(None)))
    if found is None:
        abort(404)
    return _report(idea, found)

