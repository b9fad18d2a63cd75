"""The organiser's follow-up pages. Members change things; the coordinator may read them
(`access.may_follow`) but not post."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access
from portal.auditlog.services import seen_by_staff
from portal.core.spreadsheet import csv_text
from portal.core.timeutil import to_local
from portal.followup import bp, services
from portal.followup.forms import ClearanceForm, ConfirmForm
from portal.hardening import as_id
from portal.models import Signup, SignupState, utcnow
from portal.web import loaders
from portal.web.actions import attempt


def _reading() -> bool:
    return request.method in ("GET", "HEAD")


@bp.get("/slots/<int:slot_id>/roster")
@login_required
def roster(slot_id):
    slot = loaders.slot(slot_id, may=access.may_follow)
    may_manage = access.may_manage(current_user, slot.task.organisation)
    people = services.roster(slot)
    page = render_template("followup/roster.html", slot=slot, task=slot.task, roster=people,
                           confirm=ConfirmForm(), can_mark_attendance=may_manage and slot.starts_at <= utcnow())
    # Logged after rendering: the commit expires what the page reads (the audit log, issue 13).
    attempt(lambda: seen_by_staff(current_user, "roster_viewed", slot=slot,
                                  people=[s.user_id for group in people.values() for s in group], now=utcnow()))
    return page


@bp.post("/signups/<int:signup_id>/attendance")
@login_required
def attendance(signup_id):
    signup = loaders.get_or_404(Signup, signup_id)
    slot = loaders.slot(signup.slot_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: services.mark_attendance(signup, request.form.get("attended") == "yes", now=utcnow(),
                                                         by=current_user))
    return redirect(url_for("followup.roster", slot_id=slot.id))


def _csv(rows, filename):
    # csv_text makes a cell that starts like a formula (a name "=HYPERLINK(...)") plain text.
    header = [_("Time"), _("Name"), _("E-mail address"), _("Phone"), _("Status"), _("Attendance")]
    body = csv_text(header, ([to_local(slot.starts_at).strftime("%d-%m-%Y %H:%M"), signup.user.name,
                              signup.user.email or "", signup.user.phone or "", _state_label(signup),
                              _attendance_label(signup)] for slot, signup in rows))
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _state_label(signup):
    return {SignupState.confirmed: _("Coming"), SignupState.offered: _("Offered a place"),
            SignupState.waitlisted: _("Waitlist")}.get(signup.state, "")


def _attendance_label(signup):
    if signup.attendance is None:
        return ""
    return _("Attended") if signup.attended else _("Did not show")


@bp.get("/slots/<int:slot_id>/roster.csv")
@login_required
def roster_csv(slot_id):
    slot = loaders.slot(slot_id, may=access.may_follow)
    rows = services.roster_rows(slot)
    response = _csv(rows, f"deltagere-{slot.id}.csv")
    attempt(lambda: seen_by_staff(current_user, "roster_exported", slot=slot,
                                  people=[s.user_id for _slot, s in rows], now=utcnow()))
    return response


@bp.get("/tasks/<int:task_id>/roster.csv")
@login_required
def task_roster_csv(task_id):
    task = loaders.task(task_id, may=access.may_follow)
    rows = services.task_roster_rows(task)
    response = _csv(rows, f"deltagere-opgave-{task.id}.csv")
    attempt(lambda: seen_by_staff(current_user, "roster_exported", task=task,
                                  people=[s.user_id for _slot, s in rows], now=utcnow()))
    return response


@bp.route("/organisations/<slug>/clearances", methods=["GET", "POST"])
@login_required
def clearances(slug):
    org = loaders.organisation(slug, may=access.may_follow if _reading() else access.may_manage)
    form = ClearanceForm()
    if not form.is_submitted():
        form.checked_on.data = to_local(utcnow()).date()
    if form.validate_on_submit():
        done = attempt(lambda: services.record_clearance(org, form.email.data, approved=form.approved.data == "yes",
                                                         checked_on=form.checked_on.data, checked_by=current_user,
                                                         now=utcnow()),
                       form=form)
        if done:
            flash(_("The børneattest status for %(name)s is saved.", name=done.value.user.name), "success")
            return redirect(url_for("followup.clearances", slug=org.slug))
    return render_template("followup/clearances.html", org=org, form=form, recorded=services.clearances(org),
                           can_record=access.may_manage(current_user, org))


@bp.route("/organisations/<slug>/hours", methods=["GET", "POST"])
@login_required
def approve_hours(slug):
    org = loaders.organisation(slug, may=access.may_follow if _reading() else access.may_manage)
    if request.method == "POST" and ConfirmForm().validate_on_submit():
        entry = services.hours_entry(org, as_id(request.form.get("entry")))
        if entry is None:
            abort(404)
        if attempt(lambda: services.decide_hours(entry, approve=request.form.get("answer") == "approve",
                                                 by=current_user, now=utcnow())):
            flash(_("Saved."), "success")
        return redirect(url_for("followup.approve_hours", slug=org.slug))
    return render_template("followup/approve_hours.html", org=org, pending=services.pending_hours(org),
                           confirm=ConfirmForm(), can_decide=access.may_manage(current_user, org))
