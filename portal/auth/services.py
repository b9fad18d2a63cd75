"""Accounts: registration, e-mail confirmation, login, password reset and change."""

from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.core.people import age_on
from portal.errors import EmailNotConfirmed, InvalidCredentials, InvalidToken, TooYoung
from portal.extensions import db
from portal.models import Consent, ConsentKind, User, email_key
from portal.outbox import queue_email
from portal.ratelimits import hit

TERMS_VERSION = "2026-11"
PRIVACY_VERSION = "2026-11"

# Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email_key(email)))


def register_user(*, name, email, password, birth_date: date, postcode, phone, locale,
                  now: datetime) -> User | None:
    """Creates an unconfirmed account and mails a confirmation link.

    If the address is already registered we create nothing and instead tell the owner by
    e-mail, so the form never reveals whether an address has an account."""
    minimum = current_app.config["MINIMUM_AGE"]
    if birth_date > now.date():
        raise TooYoung(_l("The date of birth cannot be in the future."))
    if age_on(birth_date, now.date()) < minimum:
        raise TooYoung(_l("You must be at least %(age)d years old to create a profile yourself. "
                          "Ask a parent or the volunteer coordinator for help.", age=minimum))
    if age_on(birth_date, now.date()) > 120:
        raise TooYoung(_l("Check the year of your date of birth."))
    # Hashed before we know whether the address exists: the hash is most of the time a
    # registration takes, so an existing address must not answer faster than a new one.
    password_hash = hash_password(password)
    existing = user_by_email(email)
    if existing is not None:
        if _may_mail_about_account("account-exists", existing.email):
            queue_email(existing.email, "account_exists", locale=existing.locale, user=existing)
        return None
    user = User(name=name, email=email_key(email), password_hash=password_hash,
                birth_date=birth_date, postcode=postcode, phone=phone or None, locale=locale)
    user.consents = [
        Consent(kind=ConsentKind.terms, version=TERMS_VERSION, given_at=now),
        Consent(kind=ConsentKind.privacy, version=PRIVACY_VERSION, given_at=now),
    ]
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def confirmation_token(user: User, email: str) -> str:
    return _serializer("confirm-email").dumps({"u": user.id, "e": email})


def send_confirmation(user: User, email: str | None = None) -> None:
    email = email or user.email
    queue_email(email, "confirm_email", locale=user.locale, user=user,
                token=confirmation_token(user, email))


def confirm_email(token: str, *, now: datetime) -> User:
    try:
        data = _serializer("confirm-email").loads(
            token, max_age=current_app.config["EMAIL_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        raise InvalidToken()
    user = db.session.get(User, data.get("u"))
    if user is None:
        raise InvalidToken()
    if user.pending_email and user.pending_email == data.get("e"):
        if user_by_email(user.pending_email) is not None:
            raise InvalidToken()
        user.email, user.pending_email = user.pending_email, None
    elif user.email != data.get("e"):
        raise InvalidToken()
    user.email_confirmed_at = user.email_confirmed_at or now
    db.session.flush()
    return user


def authenticate(email: str, password: str, *, now: datetime) -> User:
    global _DUMMY_HASH
    user = user_by_email(email)
    if user is None or not user.password_hash:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("not-a-real-password")
        check_password_hash(_DUMMY_HASH, password)
        raise InvalidCredentials()
    if not check_password_hash(user.password_hash, password):
        raise InvalidCredentials()
    if not user.is_confirmed:
        send_confirmation(user)
        raise EmailNotConfirmed()
    user.last_login_at = now
    db.session.flush()
    return user


def create_confirmed_user(*, email: str, name: str, password: str, coordinator: bool, now: datetime) -> User:
    """An account made by the operator (`flask --app wsgi create-user`): confirmed from the start."""
    user = User(email=email_key(email), name=name, password_hash=hash_password(password),
                is_coordinator=coordinator, email_confirmed_at=now)
    db.session.add(user)
    db.session.flush()
    return user


def log_in(email: str, password: str, *, now: datetime) -> "User | EmailNotConfirmed":
    """`authenticate`, except that an unconfirmed address is answered rather than raised: the
    new confirmation mail it queued must be committed, not rolled back."""
    try:
        return authenticate(email, password, now=now)
    except EmailNotConfirmed as refusal:
        return refusal


def end_all_sessions(user: User) -> None:
    user.session_version += 1
    db.session.flush()


def reset_token(user: User) -> str:
    # Bound to the current password hash: once the password changes, the link is dead.
    return _serializer("reset-password").dumps({"u": user.id, "h": user.password_hash[-12:]})


def _may_mail_about_account(kind: str, email: str) -> bool:
    """Anyone can make us mail an address by typing it into a form; ACCOUNT_MAIL_RATE_LIMIT
    caps how many such mails one inbox gets. Counted whether or not the address has a
    profile, and never shown, so the cap reveals nothing."""
    return hit(f"{kind}-mail", current_app.config["ACCOUNT_MAIL_RATE_LIMIT"], email_key(email)) is None


def start_password_reset(email: str) -> None:
    """Mails a reset link if the address has an account (and has not had too many such
    mails lately); says nothing either way."""
    if not _may_mail_about_account("reset", email):
        return
    user = user_by_email(email)
    if user is not None and user.password_hash:
        queue_email(user.email, "reset_password", locale=user.locale, user=user,
                    token=reset_token(user))


def user_for_reset_token(token: str) -> User:
    try:
        data = _serializer("reset-password").loads(
            token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        raise InvalidToken()
    user = db.session.get(User, data.get("u"))
    if user is None or not user.password_hash or user.password_hash[-12:] != data.get("h"):
        raise InvalidToken()
    return user


def reset_password(token: str, new_password: str, *, now: datetime) -> User:
    user = user_for_reset_token(token)
    set_password(user, new_password)
    # Following the link proves the user reads this mailbox.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
    db.session.flush()
    return user


def set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    queue_email(user.email, "password_changed", locale=user.locale, user=user)
