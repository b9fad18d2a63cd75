from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import bp, services
from portal.auth.forms import (ForgotPasswordForm, LoginForm, LogoutForm, RegisterForm,
                               ResetPasswordForm)
from portal.core.text import is_safe_redirect
from portal.errors import DomainError, EmailNotConfirmed, InvalidToken
from portal.extensions import db, limiter
from portal.forms import add_domain_error
from portal.models import utcnow
from portal.security import fresh_session


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit():
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("account.me"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register_user(
                name=form.name.data, email=form.email.data, password=form.password.data,
                birth_date=form.birth_date.data, postcode=form.postcode.data,
                phone=form.phone.data, locale=str(get_locale()), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            db.session.commit()
            session["registered_email"] = form.email.data
            return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form)


@bp.get("/register/check-email")
def check_email():
    return render_template("auth/check_email.html", email=session.get("registered_email"))


@bp.get("/confirm/<token>")
def confirm(token):
    try:
        services.confirm_email(token, now=utcnow())
    except InvalidToken as error:
        db.session.rollback()
        return render_template("auth/token_invalid.html", message=error.message), 400
    db.session.commit()
    flash(_("Thank you. Your e-mail address is confirmed, and you can log in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("account.me"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, now=utcnow())
        except EmailNotConfirmed as error:
            db.session.commit()  # keeps the freshly queued confirmation mail
            form.form_errors.append(str(error.message))
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            fresh_session()
            login_user(user)
            flash(_("You are logged in."), "success")
            target = form.next.data
            return redirect(target if is_safe_redirect(target) else url_for("account.me"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        fresh_session()
        flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.start_password_reset(form.email.data)
        db.session.commit()
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
    if form.validate_on_submit():
        services.reset_password(token, form.password.data, now=utcnow())
        db.session.commit()
        logout_user()
        flash(_("Your password has been changed. Log in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
