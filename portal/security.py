"""Sessions that can be ended server-side, and the security headers."""

from flask import request
from flask_babel import lazy_gettext as _l

from portal.extensions import db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def load_user(session_id: str):
    """The session carries "<user id>:<session version>". Logout and password change bump
    the version, so every copy of an older cookie stops working."""
    from portal.models import User

    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def fresh_session() -> None:
    """Starts a clean session (on login, logout, deletion) but keeps the chosen language."""
    from flask import session
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=(), payment=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store" if request.cookies else "no-cache")
    return response


def init_app(app, login_manager):
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see that page.")
    login_manager.login_message_category = "info"
    # We end sessions ourselves through the session version; Flask-Login's "strong"
    # mode would also write to the session of anonymous visitors.
    login_manager.session_protection = None
    app.after_request(security_headers)
