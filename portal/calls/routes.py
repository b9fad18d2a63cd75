"""Routes of the calls for input ("Spørg borgerne")."""


from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal import access, pagecache
from portal.calls import bp, queries, services
from portal.calls.forms import AUDIENCE_LABELS, MUNICIPALITY, AnswerForm, CallForm, CloseForm, ConfirmForm
from portal.core.spreadsheet import csv_text
from portal.core.timeutil import to_local
from portal.models import CallAnswer, CallAudience, CallStatus, utcnow
from portal.web import loaders
from portal.web.actions import attempt


def _facts(now):
    """What every call template may ask about a call, as functions of the call."""
    return {"audience_labels": AUDIENCE_LABELS, "asker": services.asker_name, "CallAudience": CallAudience,
            "is_overdue": lambda c: services.is_overdue(c, now=now)}


@bp.get("/calls")
@pagecache.cacheable()
def index():
    now = utcnow()
    return render_template("calls/index.html", listing=queries.listing(current_user, now=now),
                           may_post=services.may_post(current_user), **_facts(now))


# --- a call's page and answering ------------------------------------------------------------------

def _call_page(found, *, form=None, status=200):
    now = utcnow()
    mine = services.my_answer(found, current_user)
    # No form for visitors who are not logged in: making one would put a CSRF token in their
    # session, and the page could no longer come from the page cache.
    if form is None and getattr(current_user, "is_authenticated", False):
        form = AnswerForm(obj=mine) if mine is not None else AnswerForm()
    public_answers = queries.answers(found) if found.answers_public and found.status is not CallStatus.draft else []
    return render_template(
        "calls/show.html", call=found, form=form, my_answer=mine,
        accepts_answers=services.accepts_answers(found, now=now),
        may_own=access.may_own_call(current_user, found), editable=services.is_editable(found, now=now),
        for_you=queries.is_for(found, current_user, today=queries.local_today(now)),
        meeting_times=queries.meeting_times(found, now=now), meeting_public=queries.meeting_is_public(found),
        answers=public_answers, shown_name=queries.shown_name, **_facts(now)), status


@bp.get("/calls/<int:call_id>")
@pagecache.cacheable()
def show(call_id):
    return _call_page(loaders.call(call_id))


@bp.post("/calls/<int:call_id>/answer")
@login_required
def answer(call_id):
    found = loaders.call(call_id)
    form = AnswerForm()
    changing = services.my_answer(found, current_user) is not None
    if form.validate_on_submit() and attempt(lambda: services.answer(
            found, current_user, body=form.body.data, show_name=form.show_name.data, now=utcnow()), form=form):
        flash(_("Your answer has been changed.") if changing else _("Thank you. Your answer has been saved."),
              "success")
        return redirect(url_for("calls.show", call_id=found.id, _anchor="answer"))
    return _call_page(found, form=form, status=400)


# --- posting and editing --------------------------------------------------------------------------

def _poster_choices() -> list[tuple[str, str, object]]:
    """(value, label, organisation or None) for each party the viewer may ask for."""
    choices = []
    if access.is_coordinator(current_user):
        choices.append((MUNICIPALITY, _("Dragør Municipality"), None))
    choices += [(org.slug, org.name, org) for org in services.my_organisations(current_user)]
    return choices


def _meeting_choices(organisations):
    tasks, seen = [], set()
    for org in organisations:
        for task in services.meeting_tasks(org):
            if task.id not in seen:
                seen.add(task.id)
                tasks.append(task)
    return [(0, _("No meeting"))] + [(t.id, f"{t.title} ({t.organisation.name})") for t in tasks]


def _fields(form) -> services.CallFields:
    return services.CallFields(
        title=form.title.data, question=form.question.data, background=form.background.data or "",
        closes_on=form.closes_on.data, closes_time=form.closes_time.data, audience=form.audience.data,
        place_name=form.place_name.data or "", postcode=form.postcode.data or "",
        radius_km=float(form.radius_km.data) if form.radius_km.data is not None else None,
        meeting_task_id=form.meeting_task.data or None, answers_public=bool(form.answers_public.data))


def _publishing() -> bool:
    return request.form.get("action") == "publish"


@bp.route("/calls/new", methods=["GET", "POST"])
@login_required
def new():
    choices = _poster_choices()
    if not choices:
        abort(403)
    form = CallForm()
    form.organisation.choices = [(value, label) for value, label, _org in choices]
    if len(choices) == 1 and not form.organisation.data:
        form.organisation.data = choices[0][0]
    # The municipality may link any approved organisation's published task as its meeting.
    form.meeting_task.choices = _meeting_choices([None] if choices[0][2] is None else [c[2] for c in choices])
    if form.validate_on_submit():
        chosen = next((c for c in choices if c[0] == form.organisation.data), None)
        if chosen is None:
            form.organisation.errors = [_("Choose who is asking.")]
        else:
            posted = attempt(lambda: services.create_call(current_user, chosen[2], _fields(form),
                                                          publish=_publishing(), now=utcnow()), form=form)
            if posted:
                flash(_("The call is published.") if posted.value.status is CallStatus.open
                      else _("The call is saved as a draft. Only you and your colleagues can see it."), "success")
                return redirect(url_for("calls.show", call_id=posted.value.id))
    return render_template("calls/form.html", form=form, call=None, several=len(choices) > 1), \
        400 if form.is_submitted() else 200


@bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
@login_required
def edit(call_id):
    found = loaders.call(call_id, may=access.may_own_call)
    form = CallForm(obj=found)
    del form.organisation
    form.meeting_task.choices = _meeting_choices([found.organisation])
    if not form.is_submitted():
        local = to_local(found.closes_at)
        form.closes_on.process(None, local.date())
        form.closes_time.data = local.time().replace(second=0, microsecond=0)
        form.audience.data = found.audience.value
        form.meeting_task.data = found.meeting_task_id or 0
        form.radius_km.data = found.radius_km
    if not services.is_editable(found, now=utcnow()):
        flash(_("The deadline has passed, so the call can no longer be changed. Close it with a note about what "
                "came of it."), "info")
        return redirect(url_for("calls.close", call_id=found.id))
    if form.validate_on_submit() and attempt(lambda: services.update_call(
            found, current_user, _fields(form), publish=_publishing(), now=utcnow()), form=form):
        flash(_("The call is published.") if _publishing() else _("The call has been saved."), "success")
        return redirect(url_for("calls.show", call_id=found.id))
    return render_template("calls/form.html", form=form, call=found, several=False), \
        400 if form.is_submitted() else 200


# --- answers for the owner ------------------------------------------------------------------------

@bp.get("/calls/<int:call_id>/answers")
@login_required
def answers(call_id):
    found = loaders.call(call_id, may=access.may_own_call)
    return render_template("calls/answers.html", call=found, answers=queries.answers(found, hidden_too=True),
                           shown_name=queries.shown_name, confirm=ConfirmForm(), **_facts(utcnow()))


@bp.post("/calls/<int:call_id>/answers/<int:answer_id>/hide")
@login_required
def hide_answer(call_id, answer_id):
    found = loaders.call(call_id, may=access.may_own_call)
    row = loaders.get_or_404(CallAnswer, answer_id)
    if row.call_id != found.id:
        abort(404)
    hidden = request.form.get("hidden") != "no"
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.set_answer_hidden(
            found, row, current_user, hidden=hidden, now=utcnow())):
        flash(_("The answer is hidden from the public page.") if hidden
              else _("The answer is shown on the public page again."), "success")
    return redirect(url_for("calls.answers", call_id=found.id, _anchor=f"answer-{row.id}"))


@bp.get("/calls/<int:call_id>/answers.csv")
@login_required
def answers_csv(call_id):
    found = loaders.call(call_id, may=access.may_own_call)
    # No e-mail addresses: the first name only where the person agreed, the text and the date.
    header = [_("First name"), _("Answer"), _("Date")]
    rows = ([queries.shown_name(a), a.body, to_local(a.created_at).strftime("%d-%m-%Y")]
            for a in queries.answers(found, hidden_too=True))
    return Response(csv_text(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="svar-{found.id}.csv"',
                             "Cache-Control": "no-store"})


# --- closing --------------------------------------------------------------------------------------

@bp.route("/calls/<int:call_id>/close", methods=["GET", "POST"])
@login_required
def close(call_id):
    found = loaders.call(call_id, may=access.may_own_call)
    form = CloseForm()
    if form.validate_on_submit():
        closed = attempt(lambda: services.close_call(found, current_user, outcome=form.outcome.data, now=utcnow()),
                         form=form)
        if closed:
            flash(ngettext("The call is closed and the note is published. We have told the %(num)d person who "
                           "answered.", "The call is closed and the note is published. We have told the %(num)d "
                           "people who answered.", closed.value), "success")
            return redirect(url_for("calls.show", call_id=found.id))
    now = utcnow()
    return render_template("calls/close.html", call=found, form=form, overdue=services.is_overdue(found, now=now),
                           **_facts(now)), 400 if form.is_submitted() else 200


@bp.get("/calls/overdue")
@login_required
def overdue():
    if not access.is_coordinator(current_user):
        abort(403)
    now = utcnow()
    return render_template("calls/overdue.html", rows=queries.overdue(now=now), **_facts(now))

