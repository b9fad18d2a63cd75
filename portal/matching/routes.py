from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.charter.web import accept_redirect
from portal.errors import DomainError
from portal.hardening import as_id
from portal.matching import bp, candidates, invitations
from portal.models import Slot, User, utcnow
from portal.web import loaders
from portal.web.actions import attempt
from portal.web.forms import ConfirmForm


@bp.get("/tasks/<int:task_id>/volunteers")
@login_required
def find_volunteers(task_id):
    task = loaders.task(task_id)
    return render_template("matching/find.html", task=task, candidates=candidates.find_volunteers(task, now=utcnow()),
                           confirm=ConfirmForm(), cap=invitations.INVITATIONS_PER_WEEK)


@bp.post("/tasks/<int:task_id>/volunteers/<int:user_id>/invite")
@login_required
def invite(task_id, user_id):
    task = loaders.task(task_id)
    volunteer = loaders.get_or_404(User, user_id)
    slot_id = as_id(request.form.get("slot"))
    slot = loaders.get_or_404(Slot, slot_id) if slot_id else None
    if slot is None or slot.task_id != task.id:
        abort(404)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: invitations.invite(task, slot, volunteer, by=current_user, now=utcnow())):
        flash(_("%(name)s has been invited by e-mail.", name=volunteer.name), "success")
    return redirect(url_for("matching.find_volunteers", task_id=task.id))


@bp.route("/invitations/task/<token>", methods=["GET", "POST"])
def task_invitation(token):
    """The link in an invitation e-mail: a page with one button (a bare GET signs up no one)."""
    try:
        invitation = invitations.invitation_by_token(token)
    except DomainError as error:
        return render_template("auth/token_invalid.html", message=error.message), 400
    form = ConfirmForm()
    error_message = None
    if form.validate_on_submit():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        outcome = attempt(lambda: invitations.accept_invitation(invitation, current_user, now=utcnow()), form=form)
        if outcome:
            flash(_("You are signed up. We have sent you an e-mail with the time for your calendar."), "success")
            return redirect(url_for("tasks.show", task_id=invitation.task_id))
        if (to_charter := accept_redirect(outcome.error, request.path)) is not None:
            return to_charter  # the organisation asks for the volunteer charter first
        error_message = outcome.error.message  # the page shows it in its own box above the button
    return render_template("matching/invitation.html", invitation=invitation, task=invitation.task,
                           slot=invitation.slot, form=form, error_message=error_message)


@bp.route("/invitations/stop/<token>", methods=["GET", "POST"])
def stop_invitations(token):
    try:
        profile = invitations.profile_by_optout_token(token)
    except DomainError as error:
        return render_template("auth/token_invalid.html", message=error.message), 400
    form = ConfirmForm()
    if form.validate_on_submit() and attempt(lambda: invitations.stop_invitations(profile)):
        return render_template("matching/stopped.html")
    return render_template("matching/stop.html", form=form)
