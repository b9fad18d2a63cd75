from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal.charter.web import accept_redirect
from portal.errors import DomainError
from portal.models import Signup, Slot, utcnow
from portal.ratelimits import hit, wait_text
from portal.signups import bp, services
from portal.signups.forms import ConfirmForm, HoursForm, SeriesForm, SignupForm
# The module, not the function: tasks.pages imports this package's services, so either may load first.
from portal.tasks import pages
from portal.web import loaders, timespan
from portal.web.actions import attempt


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
    slot = loaders.get_or_404(Slot, slot_id)
    task = loaders.public_task(slot.task_id)
    back = url_for("tasks.show", task_id=task.id) + f"#slot-{slot.id}"
    form = SignupForm()
    if not form.validate_on_submit() or _too_many_signups():
        return redirect(back)
    join = services.join_waitlist if form.action.data == "waitlist" else services.sign_up
    done = attempt(lambda: join(current_user, slot, now=utcnow()), quiet=True)
    if not done:
        if (to_charter := accept_redirect(done.error, back)) is not None:
            return to_charter
        # Already signed up is news, not an error.
        flash(str(done.error.message), "info" if isinstance(done.error, services.AlreadySignedUp) else "error")
    elif done.value.is_confirmed:
        flash(_("You are signed up. We have sent you an e-mail with the time for your calendar."), "success")
        for warning in services.reason_texts(services.decision_for(current_user, slot, now=utcnow()).warnings, {}):
            flash(warning, "warning")
    else:
        flash(_("You are on the waitlist as number %(n)d. We will e-mail you if a place becomes free.",
                n=services.waitlist_position(done.value)), "success")
    return redirect(back)


@bp.post("/tasks/<int:task_id>/series")
@login_required
def sign_up_series(task_id):
    task = loaders.public_task(task_id)
    form = SeriesForm()
    if not form.validate_on_submit():
        return pages.render_task_page(task, series_form=form, status=400)
    if _too_many_signups():
        return redirect(url_for("tasks.show", task_id=task.id) + "#series")
    done = attempt(lambda: services.sign_up_series(current_user, task, first=form.first.data, last=form.last.data,
                                                   now=utcnow()), quiet=True)
    if not done:
        if (to_charter := accept_redirect(done.error, url_for("tasks.show", task_id=task.id) + "#series")) is not None:
            return to_charter
        flash(str(done.error.message), "error")
    if done:
        result = done.value
        if result.signed:
            flash(ngettext("You are signed up for %(num)d time. We have sent you an e-mail with it.",
                           "You are signed up for %(num)d times. We have sent you an e-mail with them all.",
                           len(result.signed)), "success")
        for slot, reason in result.skipped:
            flash(f"{timespan(slot)}: {reason}", "warning")
        if not result.signed and not result.skipped:
            flash(_("There are no open times in that period."), "info")
    return redirect(url_for("tasks.show", task_id=task.id))


@bp.post("/signups/<int:signup_id>/cancel")
@login_required
def cancel(signup_id):
    signup = loaders.get_or_404(Signup, signup_id)
    if signup.user_id != current_user.id:
        abort(404)  # someone else's sign-up does not exist for you
    if ConfirmForm().validate_on_submit() and attempt(lambda: services.cancel(signup, now=utcnow())):
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
        declining = request.form.get("answer") == "decline"
        answer = services.decline if declining else services.accept
        done = attempt(lambda: answer(signup, now=utcnow()), quiet=True)
        if done:
            if declining:
                flash(_("Thank you for answering. The place goes to the next in line."), "info")
            else:
                flash(_("The place is yours. We have sent you an e-mail with the time for your calendar."), "success")
            return redirect(url_for("tasks.show", task_id=signup.slot.task_id))
        # Only the person offered the place can accept the charter for it (not someone else logged in here).
        if (not current_user.is_authenticated or current_user.id == signup.user_id) \
                and (to_charter := accept_redirect(done.error, request.path)) is not None:
            return to_charter
        error_message = done.error.message
    return render_template("signups/respond.html", signup=signup, slot=signup.slot, task=signup.slot.task,
                           form=form, error_message=error_message), (409 if error_message else 200)


@bp.route("/tasks/<int:task_id>/hours", methods=["GET", "POST"])
@login_required
def log_hours(task_id):
    task = loaders.public_task(task_id)
    form = HoursForm()
    if form.validate_on_submit():
        if attempt(lambda: services.log_hours(current_user, task, worked_on=form.worked_on.data,
                                              minutes=int(round(float(form.hours.data) * 60)), note=form.note.data,
                                              now=utcnow()), form=form):
            flash(_("Your hours are registered. The organisation will approve them."), "success")
            return redirect(url_for("account.me"))
    return render_template("signups/hours.html", task=task, form=form)
