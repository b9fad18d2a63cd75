"""Organisers' messages (write to a time's or a task's volunteers, the organisation's log) and the
printable posters (a task's and the portal's)."""

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user, login_required

from portal import access
from portal.core import posters
from portal.links import base_url
from portal.messages import bp, services
from portal.messages.forms import MessageForm, TaskMessageForm
from portal.models import SlotStatus, TaskKind, utcnow
from portal.ratelimits import TooMany
from portal.web import loaders, timespan
from portal.web.actions import attempt


def _sent(message):
    flash(ngettext("Your message is on its way to %(num)d person.",
                   "Your message is on its way to %(num)d people. Each gets their own mail; nobody sees the others.",
                   message.recipient_count), "success")
    return redirect(url_for("messages.log", slug=message.organisation.slug))


def _status_for(outcome) -> int:
    return 429 if isinstance(outcome.error, TooMany) else 400


@bp.route("/slots/<int:slot_id>/message", methods=["GET", "POST"])
@login_required
def slot_message(slot_id):
    slot = loaders.slot(slot_id, may=access.may_manage)
    task = slot.task
    form = MessageForm()
    status = 200
    if slot.status is not SlotStatus.cancelled and form.validate_on_submit():
        outcome = attempt(lambda: services.send_message(
            current_user, task=task, slot=slot, subject=form.subject.data, body=form.body.data,
            include_waitlist=bool(form.include_waitlist.data), now=utcnow()), form=form)
        if outcome:
            return _sent(outcome.value)
        status = _status_for(outcome)
    elif form.is_submitted():
        status = 400
    people = services.audience(task, slot=slot, now=utcnow()) if not slot.is_cancelled else services.Audience()
    return render_template("messages/write.html", task=task, slot=slot, form=form, people=people, times=None,
                           reply_to=services.reply_address(task.organisation, current_user),
                           action=url_for("messages.slot_message", slot_id=slot.id)), status


@bp.route("/tasks/<int:task_id>/message", methods=["GET", "POST"])
@login_required
def task_message(task_id):
    task = loaders.task(task_id, may=access.may_manage)
    now = utcnow()
    times = services.counts_by_time(task, now=now)
    form = TaskMessageForm()
    form.set_times([(str(row.slot.id), timespan(row.slot)) for row in times])
    status = 200
    if form.validate_on_submit():
        chosen = form.chosen_slot_id()
        slot = None
        if chosen is not None:
            slot = next((row.slot for row in times if row.slot.id == chosen), None)
        if chosen is not None and slot is None:
            form.slot.errors = list(form.slot.errors) + [_("Choose one of the task's upcoming times from the list.")]
            status = 400
        else:
            outcome = attempt(lambda: services.send_message(
                current_user, task=task, slot=slot, subject=form.subject.data, body=form.body.data,
                include_waitlist=bool(form.include_waitlist.data), now=now), form=form)
            if outcome:
                return _sent(outcome.value)
            status = _status_for(outcome)
    elif form.is_submitted():
        status = 400
    people = services.audience(task, now=now)
    return render_template("messages/write.html", task=task, slot=None, form=form, people=people, times=times,
                           reply_to=services.reply_address(task.organisation, current_user),
                           action=url_for("messages.task_message", task_id=task.id)), status


@bp.get("/organisations/<slug>/messages")
@login_required
def log(slug):
    org = loaders.organisation(slug, may=access.may_follow)
    return render_template("messages/log.html", org=org, lines=services.message_log(org),
                           limit=services.LOG_LIMIT, can_manage=access.may_manage(current_user, org))


@bp.get("/organisations/<slug>/messages/<int:message_id>")
@login_required
def show(slug, message_id):
    org = loaders.organisation(slug, may=access.may_follow)
    line = services.message_of(org, message_id)
    if line is None:
        abort(404)
    return render_template("messages/show.html", org=org, line=line)


# --- posters -----------------------------------------------------------------------------------

POSTER_TIMES = posters.MAX_TIMES


def _pdf_response(body: bytes, filename: str, *, public: bool) -> Response:
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        # The poster is in the reader's language (the session's), so no shared cache may keep it.
        "Cache-Control": "private, max-age=300" if public else "private, no-store",
        "X-Robots-Tag": "noindex"})


def _place(task) -> str:
    parts = [task.place_name, task.address, " ".join(p for p in (task.postcode, task.city) if p)]
    return ", ".join(p.strip() for p in parts if p and p.strip())


@bp.get("/tasks/<int:task_id>/poster.pdf")
def task_poster(task_id):
    task = loaders.public_task(task_id)
    # The poster invites people to sign up: a paused or closed task (like a draft) takes no sign-ups,
    # so only its organisation (and the coordinator) may print one.
    if not access.is_public_task(task) and not access.may_follow(current_user, task.organisation):
        abort(404)
    now = utcnow()
    upcoming, more = services.upcoming_times(task, now=now, limit=POSTER_TIMES)
    facts = posters.TaskPoster(
        lang=posters.language(str(get_locale())), title=task.title, organisation=task.organisation.name,
        url=base_url() + url_for("tasks.show", task_id=task.id), place=_place(task), description=task.description,
        times=[posters.PosterTime(s.starts_at, s.ends_at) for s in upcoming], more_times=more,
        ongoing=task.kind is TaskKind.ongoing and not upcoming)
    return _pdf_response(posters.task_pdf(facts), f"plakat-{task.id}.pdf", public=access.is_public_task(task))


@bp.get("/poster.pdf")
def portal_poster():
    body = posters.portal_pdf(lang=posters.language(str(get_locale())), url=base_url() + url_for("main.index"),
                              phone=current_app.config.get("CONTACT_PHONE", ""))
    return _pdf_response(body, "plakat-dragoer-frivillig.pdf", public=True)
