import json

from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.account import bp, services
from portal.account.forms import ChangePasswordForm, DeleteAccountForm, ProfileForm
from portal.calendar.services import personal_feed_url
from portal.ideas.answers import STATE_LABELS as IDEA_STATE_LABELS
from portal.ideas.queries import ideas_of
from portal.matching.suggestions import suggestions_for
from portal.models import utcnow
from portal.organisations.services import memberships_of
from portal.security import fresh_session
from portal.signups import services as signups
from portal.web.actions import attempt


@bp.before_request
@login_required
def require_login():
    pass


@bp.get("")
def me():
    now = utcnow()
    mine = signups.overview(current_user, now=now)
    for s in mine.upcoming:
        s.can_cancel = signups.can_cancel(s, now)
    for s in mine.waiting:
        s.position = signups.waitlist_position(s)
    return render_template("account/me.html", memberships=memberships_of(current_user), mine=mine,
                           feed_url=personal_feed_url(current_user),
                           suggestions=suggestions_for(current_user, now=now, limit=5),
                           my_ideas=ideas_of(current_user), idea_states=IDEA_STATE_LABELS)


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    form = ProfileForm(obj=current_user)
    if not form.is_submitted() and current_user.volunteer_profile:
        form.max_hours_per_month.data = current_user.volunteer_profile.max_hours_per_month
    if form.validate_on_submit() and (saved := attempt(lambda: services.update_profile(
            current_user, name=form.name.data, email=form.email.data,
            birth_date=form.birth_date.data, postcode=form.postcode.data,
            phone=form.phone.data, locale=form.locale.data, now=utcnow(),
            max_hours_per_month=form.max_hours_per_month.data), form=form)):
        session["lang"] = current_user.locale
        flash(_("Your profile has been saved."), "success")
        if saved.value:  # a confirmation link went to a new address
            flash(_("We have sent a link to %(email)s. Your new address is used once you click it.",
                    email=current_user.pending_email), "info")
        return redirect(url_for("account.me"))
    return render_template("account/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and attempt(
            lambda: services.change_password(current_user, form.current_password.data, form.password.data), form=form):
        # Every other session is gone; keep this one by logging in again with the new version.
        login_user(current_user._get_current_object())
        flash(_("Your password has been changed. You have been logged out everywhere else."), "success")
        return redirect(url_for("account.me"))
    return render_template("account/password.html", form=form)


@bp.get("/export")
def export():
    data = services.export_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="mine-data-dragoer-frivillig.json"',
        "Cache-Control": "no-store",
    })


@bp.route("/delete", methods=["GET", "POST"])
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit() and attempt(
            lambda: services.delete_account(current_user._get_current_object(), form.password.data), form=form):
        logout_user()
        fresh_session()
        flash(_("Your profile and personal data have been deleted. Thank you for your help."), "success")
        return redirect(url_for("main.index"))
    return render_template("account/delete.html", form=form)
