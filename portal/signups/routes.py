from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal.errors import DomainError
from portal.extensions import db
from portal.hardening import as_id
from portal.models import HoursEntry, Signup, Slot, Task, utcnow
from portal.ratelimits import hit, wait_text
from portal.signups import bp, services
from portal.signups.forms import ConfirmForm, HoursForm, SeriesForm, SignupForm
from portal.tasks.pages import render_task_page
from portal.tasks.loaders import member_org as _member_org
from portal.tasks.loaders import public_task as _public_task


def _too_many_signups() -> bool:
    """Counts a sign-up or waitlist POST against SIGNUP_RATE_LIMIT for this user (each one
    mails the user and the organisation sees it); flashes the true wait when it is used up."""
    blocked = hit("signup", current_app.config["SIGNUP_RATE_LIMIT"], current_user.id)
    if blocked:
        flash(_("You have sent many sign-ups in a short while, so we are taking a short break. "
                "Try again %(wait)s.", wait=wait_text(blocked)), "error")
    return blocked is not None


@bp.post("/slots/<int:slot_id>/signup")
@login_required
def sign_up(slot_id):
    slot = db.session.get(Slot, slot_id)
    if slot is None:
        abort(404)
    task = _public_task(slot.task_id)
    form = SignupForm()
    if form.validate_on_submit():
        if _too_many_signups():
            return redirect(url_for("tasks.show", task_id=task.id) + f"#slot-{slot.id}")
        try:
            if form.action.data == "waitlist":
                signup = services.join_waitlist(current_user, slot, now=utcnow())
            else:
                signup = services.sign_up(current_user, slot, now=utcnow())
        except services.AlreadySignedUp as error:
            db.session.rollback()
            flash(str(error.message), "info")
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            if signup.state.value == "confirmed":
                flash(_("You are signed up. We have sent you an e-mail with the time for your calendar."), "success")
                for warning in services.reason_texts(services.decision_for(current_user, slot, now=utcnow()).warnings, {}):
                    flash(warning, "warning")
            else:
                flash(_("You are on the waitlist as number %(n)d. We will e-mail you if a place becomes free.",
                        n=services.waitlist_position(signup)), "success")
    return redirect(url_for("tasks.show", task_id=task.id) + f"#slot-{slot.id}")


@bp.post("/tasks/<int:task_id>/series")
@login_required
def sign_up_series(task_id):
    task = _public_task(task_id)
    form = SeriesForm()
    if not form.validate_on_submit():
        return render_task_page(task, series_form=form, status=400)
    if _too_many_signups():
        return redirect(url_for("tasks.show", task_id=task.id) + "#series")
    result = services.sign_up_series(current_user, task, first=form.first.data, last=form.last.data, now=utcnow())
    db.session.commit()
    if result.signed:
        flash(ngettext("You are signed up for %(num)d time. We have sent you an e-mail with it.",
                       "You are signed up for %(num)d times. We have sent you an e-mail with them all.",
                       len(result.signed)), "success")
    for slot, reason in result.skipped:
        from portal.web import timespan
        flash(f"{timespan(slot)}: {reason}", "warning")
    if not result.signed and not result.skipped:
        flash(_("There are no open times in that period."), "info")
    return redirect(url_for("tasks.show", task_id=task.id))


@bp.post("/signups/<int:signup_id>/cancel")
@login_required
def cancel(signup_id):
    signup = db.session.get(Signup, signup_id)
    if signup is None or signup.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.cancel(signup, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("You are no longer signed up. Thank you for letting us know."), "success")
    target = request.form.get("back")
    return redirect(url_for("account.me") if target != "task" else url_for("tasks.show", task_id=signup.slot.task_id))


@bp.route("/signups/respond/<token>", methods=["GET", "POST"])
def respond(token):
    """The link in a waitlist e-mail. It opens a page with one button; a bare GET changes
    nothing, because mail scanners open links too."""
    try:
        signup = services.signup_by_token(token)
    except DomainError as error:
        return render_template("auth/token_invalid.html", message=error.message), 400
    form = ConfirmForm()
    error_message = None
    if form.validate_on_submit():
        try:
            if request.form.get("answer") == "decline":
                services.decline(signup, now=utcnow())
                db.session.commit()
                flash(_("Thank you for answering. The place goes to the next in line."), "info")
                return redirect(url_for("tasks.show", task_id=signup.slot.task_id))
            services.accept(signup, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            error_message = error.message
        else:
            db.session.commit()
            flash(_("The place is yours. We have sent you an e-mail with the time for your calendar."), "success")
            return redirect(url_for("tasks.show", task_id=signup.slot.task_id))
    return render_template("signups/respond.html", signup=signup, slot=signup.slot, task=signup.slot.task,
                           form=form, error_message=error_message), (409 if error_message else 200)


@bp.route("/tasks/<int:task_id>/hours", methods=["GET", "POST"])
@login_required
def log_hours(task_id):
    task = _public_task(task_id)
    form = HoursForm()
    if form.validate_on_submit():
        try:
            services.log_hours(current_user, task, worked_on=form.worked_on.data,
                               minutes=int(round(float(form.hours.data) * 60)), note=form.note.data, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            from portal.forms import add_domain_error
            add_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your hours are registered. The organisation will approve them."), "success")
            return redirect(url_for("account.me"))
    return render_template("signups/hours.html", task=task, form=form)


@bp.route("/organisations/<slug>/hours", methods=["GET", "POST"])
@login_required
def approve_hours(slug):
    org = _member_org(slug)
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload
    from portal.models import HoursStatus
    if request.method == "POST" and ConfirmForm().validate_on_submit():
        entry_id = as_id(request.form.get("entry"))
        entry = entry_id and db.session.scalar(select(HoursEntry).join(Task).where(
            HoursEntry.id == entry_id, Task.organisation_id == org.id))
        if entry is None:
            abort(404)
        try:
            services.decide_hours(entry, approve=request.form.get("answer") == "approve", by=current_user, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
        return redirect(url_for("signups.approve_hours", slug=org.slug))
    pending = db.session.scalars(select(HoursEntry).options(joinedload(HoursEntry.user), joinedload(HoursEntry.task))
                                 .join(Task).where(Task.organisation_id == org.id,
                                                   HoursEntry.status == HoursStatus.pending)
                                 .order_by(HoursEntry.worked_on)).all()
    return render_template("signups/approve_hours.html", org=org, pending=pending, confirm=ConfirmForm())
