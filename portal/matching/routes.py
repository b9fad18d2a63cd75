from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.core.matching import PARTS_OF_DAY
from portal.errors import DomainError
from portal.extensions import db
from portal.hardening import as_id
from portal.matching import bp, services
from portal.matching.forms import VolunteerProfileForm
from portal.models import Slot, User, utcnow
from portal.signups.forms import ConfirmForm
from portal.tasks import services as tasks
from portal.tasks.loaders import member_task


def _profile_form(profile) -> VolunteerProfileForm:
    form = VolunteerProfileForm()
    locale = str(get_locale())
    form.interests.choices = [(c.id, c.name(locale)) for c in tasks.categories()]
    form.availability.choices = [(day * 3 + part, f"{day}-{part}") for day in range(7) for part in PARTS_OF_DAY]
    if not form.is_submitted() and profile is not None:
        form.interests.data = [c.id for c in profile.interests]
        form.availability.data = [bit for bit in range(21) if profile.availability & (1 << bit)]
        form.skills.data, form.languages.data = profile.skills, profile.languages
        form.address.data, form.max_distance_km.data = profile.address, profile.max_distance_km
        form.suggestions_opt_in.data, form.digest_opt_in.data = profile.suggestions_opt_in, profile.digest_opt_in
    if profile is not None and profile.location_source:
        # Said next to the field it belongs to, so screen readers hear it there too.
        form.address.description = f"{form.address.description} " + _("Right now we use: %(place)s.",
                                                                         place=profile.location_source)
    return form


@bp.route("/me/volunteering", methods=["GET", "POST"])
@login_required
def volunteer_profile():
    profile = current_user.volunteer_profile
    form = _profile_form(profile)
    if form.validate_on_submit():
        services.update_volunteer_profile(
            current_user, interests=form.interests.data, availability=form.availability.data,
            skills=form.skills.data, languages=form.languages.data, address=form.address.data,
            max_distance_km=form.max_distance_km.data, suggestions_opt_in=form.suggestions_opt_in.data,
            digest_opt_in=form.digest_opt_in.data)
        db.session.commit()
        flash(_("Thank you. Your suggestions now follow what you told us."), "success")
        return redirect(url_for("account.me") + "#suggestions")
    return render_template("matching/profile.html", form=form, profile=profile,
                           weekdays=services.WEEKDAY_NAMES, parts=services.PART_NAMES)


@bp.get("/tasks/<int:task_id>/volunteers")
@login_required
def find_volunteers(task_id):
    task = member_task(task_id)
    return render_template("matching/find.html", task=task, candidates=services.find_volunteers(task, now=utcnow()),
                           confirm=ConfirmForm(), cap=services.INVITATIONS_PER_WEEK)


@bp.post("/tasks/<int:task_id>/volunteers/<int:user_id>/invite")
@login_required
def invite(task_id, user_id):
    task = member_task(task_id)
    volunteer = db.session.get(User, user_id)
    slot_id = as_id(request.form.get("slot"))
    slot = db.session.get(Slot, slot_id) if slot_id else None
    if volunteer is None or slot is None or slot.task_id != task.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.invite(task, slot, volunteer, by=current_user, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(name)s has been invited by e-mail.", name=volunteer.name), "success")
    return redirect(url_for("matching.find_volunteers", task_id=task.id))


@bp.route("/invitations/task/<token>", methods=["GET", "POST"])
def task_invitation(token):
    """The link in an invitation e-mail: a page with one button (a bare GET signs up no one)."""
    try:
        invitation = services.invitation_by_token(token)
    except DomainError as error:
        return render_template("auth/token_invalid.html", message=error.message), 400
    form = ConfirmForm()
    error_message = None
    if form.validate_on_submit():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        try:
            services.accept_invitation(invitation, current_user, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            error_message = error.message
        else:
            db.session.commit()
            flash(_("You are signed up. We have sent you an e-mail with the time for your calendar."), "success")
            return redirect(url_for("tasks.show", task_id=invitation.task_id))
    return render_template("matching/invitation.html", invitation=invitation, task=invitation.task,
                           slot=invitation.slot, form=form, error_message=error_message)


@bp.route("/invitations/stop/<token>", methods=["GET", "POST"])
def stop_invitations(token):
    try:
        profile = services.profile_by_optout_token(token)
    except DomainError as error:
        return render_template("auth/token_invalid.html", message=error.message), 400
    form = ConfirmForm()
    if form.validate_on_submit():
        services.stop_invitations(profile)
        db.session.commit()
        return render_template("matching/stopped.html")
    return render_template("matching/stop.html", form=form)
