"""What staff do in the ideas box: the coordinator's list and threshold, answers (drafted privately,
published deliberately), moderation, ideas from paper, and an organisation taking an idea on."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal import access, pagecache
from portal.extensions import db
from portal.ideas import answers, bp, moderation
from portal.ideas.staff_forms import (CHANNEL_LABELS, AnswerForm, ConfirmForm, HideForm, PaperIdeaForm,
                                      SettingsForm, TakeOnForm)
from portal.links import base_url
from portal.models import Idea, IdeaComment, Report, utcnow
from portal.web import loaders
from portal.web.actions import attempt


def _coordinator() -> None:
    if not access.may_answer_ideas(current_user):
        abort(403)


def _idea_path(idea_id: int) -> str:
    return f"/ideas/{idea_id}"


@bp.app_context_processor
def staff_panel_facts():
    """The idea page includes templates/ideas/staff/idea_panel.html with only `idea`; the facts
    come from here so the panel never recomputes a rule."""
    def idea_staff_facts(idea):
        user = current_user
        return {"answer": access.may_answer_ideas(user),
                "take_on": idea.task_id is None and idea.state.value == "accepted"
                and answers.may_take_on(user, idea)}
    def idea_staff_links():
        user = current_user
        if not access.is_staff(user):
            return {"staff": False}
        if not access.may_answer_ideas(user):
            return {"staff": True, "coordinator": False}
        return {"staff": True, "coordinator": True, "reports": answers.open_report_count(),
                "overdue": answers.overdue_count(now=utcnow())}

    return {"idea_staff_facts": idea_staff_facts, "idea_of_task": answers.idea_of_task,
            "idea_staff_links": idea_staff_links}


# --- the coordinator's list and the threshold -------------------------------------------------

def _render_list(settings_form=None, status=200):
    now = utcnow()
    waiting = answers.needing_answer(now=now)
    form = settings_form or SettingsForm(obj=answers.settings())
    return render_template("ideas/staff/index.html", waiting=waiting, fresh=answers.new_ideas(),
                           open_reports=answers.open_report_count(), settings_form=form,
                           overdue=sum(1 for w in waiting if w.overdue), state_labels=answers.STATE_LABELS,
                           channel_labels=CHANNEL_LABELS), status


@bp.get("/ideas/staff")
@login_required
def staff_index():
    _coordinator()
    return _render_list()


@bp.post("/ideas/staff/settings")
@login_required
def staff_settings():
    _coordinator()
    form = SettingsForm()
    if form.validate_on_submit() and attempt(lambda: answers.save_settings(
            support_threshold=form.support_threshold.data, window_days=form.window_days.data,
            answer_days=form.answer_days.data), form=form):
        flash(_("The threshold has been saved."), "success")
        return redirect(url_for("ideas.staff_index"))
    return _render_list(form, status=400)


# --- answers ----------------------------------------------------------------------------------

def _answer_form(idea: Idea) -> AnswerForm:
    form = AnswerForm()
    if not form.is_submitted():
        state = idea.draft_state or (idea.state if idea.state.value != "new" else None)
        form.state.data = state.value if state else None
        form.answer.data = idea.draft_answer if idea.draft_state else idea.answer
        form.link.data = idea.draft_link if idea.draft_state else idea.answer_link
    return form


@bp.route("/ideas/<int:idea_id>/answer", methods=["GET", "POST"])
@login_required
def answer(idea_id):
    _coordinator()
    idea = loaders.idea(idea_id)
    form = _answer_form(idea)
    if form.validate_on_submit():
        now = utcnow()
        fields = dict(state=form.state.data, answer=form.answer.data, link=form.link.data, now=now)
        if form.publish.data:
            done = attempt(lambda: (answers.save_draft(idea, **fields),
                                    answers.publish_answer(idea, current_user, now=now))[1], form=form)
            if done:
                if done.value is None:
                    flash(_("Nothing has changed: this answer is already published."), "info")
                else:
                    flash(ngettext("The answer is published. %(num)d person is told by e-mail.",
                                   "The answer is published. %(num)d people are told by e-mail.",
                                   done.value), "success")
                return redirect(url_for("ideas.answer", idea_id=idea.id))
        elif attempt(lambda: answers.save_draft(idea, **fields), form=form):
            flash(_("The draft is saved. Only staff can see it until you publish it."), "success")
            return redirect(url_for("ideas.answer", idea_id=idea.id))
    status = 400 if form.is_submitted() else 200
    return render_template("ideas/staff/answer.html", idea=idea, form=form, state_labels=answers.STATE_LABELS,
                           channel_labels=CHANNEL_LABELS, told=len(answers.recipients(idea)),
                           differs=answers.draft_differs(idea), overdue=answers.is_overdue(idea, now=utcnow()),
                           idea_path=_idea_path(idea.id), hidden_comments=moderation.hidden_comments(idea)), status


# --- moderation -------------------------------------------------------------------------------

@bp.get("/ideas/reports")
@login_required
def reports():
    _coordinator()
    return render_template("ideas/staff/reports.html", items=moderation.open_items(),
                           rule_labels=moderation.RULE_LABELS, keep_form=ConfirmForm())


def _comment(comment_id: int) -> IdeaComment:
    return loaders.get_or_404(IdeaComment, comment_id)


def _hide(target, *, kind: str):
    form = HideForm()
    if request.method == "GET":
        reported = db.session.scalar(select(Report.reason).where(
            (Report.comment_id if kind == "comment" else Report.idea_id) == target.id,
            Report.resolved_at.is_(None)).order_by(Report.created_at).limit(1))
        if reported is not None:
            form.rule.data = reported.value
    if form.validate_on_submit() and attempt(lambda: moderation.hide(
            target, current_user, rule=form.rule.data, reason=form.reason.data, now=utcnow()), form=form):
        flash(_("It is hidden, and the author has been told why."), "success")
        return redirect(url_for("ideas.reports"))
    idea = target if kind == "idea" else target.idea
    return render_template("ideas/staff/hide.html", form=form, target=target, kind=kind, idea=idea,
                           action=request.path, idea_path=_idea_path(idea.id)), 400 if form.is_submitted() else 200


@bp.route("/ideas/<int:idea_id>/hide", methods=["GET", "POST"])
@login_required
def hide_idea(idea_id):
    _coordinator()
    return _hide(loaders.idea(idea_id), kind="idea")


@bp.route("/ideas/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@login_required
def hide_comment(comment_id):
    _coordinator()
    return _hide(_comment(comment_id), kind="comment")


@bp.post("/ideas/reports/<int:report_id>/keep")
@login_required
def keep_report(report_id):
    _coordinator()
    report = loaders.get_or_404(Report, report_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: moderation.keep(report, current_user, now=utcnow())):
        flash(_("Kept. The report is closed."), "success")
    return redirect(url_for("ideas.reports"))


def _show_again(target, idea_id: int):
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: moderation.show_again(target, by=current_user, now=utcnow())):
        flash(_("It is shown again."), "success")
    return redirect(_idea_path(idea_id))


@bp.post("/ideas/<int:idea_id>/show")
@login_required
def show_idea_again(idea_id):
    _coordinator()
    idea = loaders.idea(idea_id)
    return _show_again(idea, idea.id)


@bp.post("/ideas/comments/<int:comment_id>/show")
@login_required
def show_comment_again(comment_id):
    _coordinator()
    comment = _comment(comment_id)
    return _show_again(comment, comment.idea_id)


@bp.get("/ideas/rules")
@pagecache.cacheable()
def rules():
    return render_template("ideas/staff/rules.html", rule_labels=moderation.RULE_LABELS)


# --- ideas from paper -------------------------------------------------------------------------

@bp.route("/ideas/paper", methods=["GET", "POST"])
@login_required
def paper():
    if not access.is_staff(current_user):
        abort(403)
    from portal.tasks.services import categories
    form = PaperIdeaForm()
    form.set_categories(categories(), str(get_locale()))
    if form.validate_on_submit() and (made := attempt(lambda: answers.enter_from_paper(
            current_user, title=form.title.data, body=form.body.data, who_it_helps=form.who_it_helps.data,
            category_id=int(form.category.data) if form.category.data else None,
            author_name=form.author_name.data, channel=form.channel.data, now=utcnow()), form=form)):
        flash(_("The idea is published. Thank you for bringing it in."), "success")
        return redirect(_idea_path(made.value.id))
    return render_template("ideas/staff/paper.html", form=form), 400 if form.is_submitted() else 200


# --- from idea to task ------------------------------------------------------------------------

@bp.route("/ideas/<int:idea_id>/take-on", methods=["GET", "POST"])
@login_required
def take_on(idea_id):
    idea = loaders.idea(idea_id)
    organisations = answers.organisations_for(current_user)
    if not organisations:
        abort(403)
    form = TakeOnForm()
    form.organisation.choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    if not form.is_submitted() and len(organisations) == 1:
        form.organisation.data = str(organisations[0].id)
    if form.validate_on_submit():
        org = next(o for o in organisations if str(o.id) == form.organisation.data)
        came_from = _("This task began as an idea in the ideas box: %(url)s",
                      url=f"{base_url()}{_idea_path(idea.id)}")
        if made := attempt(lambda: answers.take_on(idea, org, current_user, now=utcnow(), came_from=came_from),
                           form=form):
            flash(_("A draft task has been made for %(name)s. Add the place and times, then publish it: "
                    "those who offered to help are invited first.", name=org.name), "success")
            return redirect(url_for("tasks.edit", task_id=made.value.id))
    may = idea.state.value == "accepted" and idea.task_id is None
    return render_template("ideas/staff/take_on.html", idea=idea, form=form, may=may,
                           idea_path=_idea_path(idea.id)), 400 if form.is_submitted() else 200

