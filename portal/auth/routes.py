from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import bp, services
from portal.auth.forms import (ForgotPasswordForm, LoginForm, LogoutForm, RegisterForm,
                               ResetPasswordForm)
from portal.core.text import is_safe_redirect
from portal.errors import EmailNotConfirmed, InvalidToken
from portal.models import utcnow
from portal.ratelimits import client_network, hit, wait_text
from portal.security import fresh_session
from portal.web.actions import attempt


def _network_limit(scope: str, setting: str):
    """Counts this POST against the per-network limit; None, or the Blocked answer."""
    return hit(scope, current_app.config[setting], client_network())


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("account.me"))
    form = RegisterForm()
    if form.validate_on_submit():
        # Only complete forms count, so pupils who mistype do not use up their class's quota.
        if blocked := _network_limit("register", "REGISTER_RATE_LIMIT"):
            form.form_errors.append(_(
                "Many profiles have been created from your network recently, so we are pausing for a "
                "while. Try again %(wait)s. What you typed is still here; only the password must be "
                "typed again.", wait=wait_text(blocked)))
            return render_template("auth/register.html", form=form), 429
        if attempt(lambda: services.register_user(
                name=form.name.data, email=form.email.data, password=form.password.data,
                birth_date=form.birth_date.data, postcode=form.postcode.data,
                phone=form.phone.data, locale=str(get_locale()), now=utcnow()), form=form):
            session["registered_email"] = form.email.data
            return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form)


@bp.get("/register/check-email")
def check_email():
    return render_template("auth/check_email.html", email=session.get("registered_email"))


@bp.get("/confirm/<token>")
def confirm(token):
    confirmed = attempt(lambda: services.confirm_email(token, now=utcnow()), quiet=True)
    if not confirmed:
        return render_template("auth/token_invalid.html", message=confirmed.error.message), 400
    flash(_("Thank you. Your e-mail address is confirmed, and you can log in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("account.me"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        if blocked := _network_limit("login", "LOGIN_RATE_LIMIT"):
            form.form_errors.append(_("There have been too many login attempts from your network. "
                                      "Try again %(wait)s.", wait=wait_text(blocked)))
            return render_template("auth/login.html", form=form), 429
        answer = attempt(lambda: services.log_in(form.email.data, form.password.data, now=utcnow()), form=form)
        if answer and isinstance(answer.value, EmailNotConfirmed):
            form.form_errors.append(str(answer.value.message))  # the new confirmation mail is committed
        elif answer:
            fresh_session()
            login_user(answer.value)
            flash(_("You are logged in."), "success")
            target = form.next.data
            return redirect(target if is_safe_redirect(target) else url_for("account.me"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        attempt(lambda: services.end_all_sessions(current_user))
        logout_user()
        fresh_session()
        flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if blocked := _network_limit("forgot-password", "FORGOT_PASSWORD_RATE_LIMIT"):
            form.form_errors.append(_("Many new passwords have been requested from your network. "
                                      "Try again %(wait)s.", wait=wait_text(blocked)))
            return render_template("auth/forgot_password.html", form=form), 429
        # Mails to one address are limited inside the service, without saying so here.
        attempt(lambda: services.start_password_reset(form.email.data))
        flash(_("If %(email)s has a profile, we have sent a link to choose a new password. "
                "The link works for 2 hours.", email=form.email.data), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        services.user_for_reset_token(token)
    except InvalidToken as error:
        return render_template("auth/token_invalid.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit() and attempt(
            lambda: services.reset_password(token, form.password.data, now=utcnow()), form=form):
        logout_user()
        flash(_("Your password has been changed. Log in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
