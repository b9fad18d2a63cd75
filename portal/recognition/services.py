"""A volunteer's hours as the ledger counts them (portal/hours/services.py, the one ledger), their
certificates of volunteering and their milestone-mail setting."""

from collections import defaultdict
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core.hours import as_hours
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import Certificate, Organisation, User
from portal.ratelimits import TooMany, hit, wait_text
from portal.recognition.certificates import issue_hours_certificate


def local_day(moment: datetime) -> date:
    return to_local(moment).date()


def total_of(contributions) -> float:
    return as_hours(sum(c.seconds for c in contributions))


def _names(ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def named_organisations(hours_by_id: dict) -> list[tuple[str, float]]:
    """[(organisation name, hours)], most hours first."""
    names = _names(hours_by_id)
    return sorted(((names.get(org_id, "?"), hours) for org_id, hours in hours_by_id.items()),
                  key=lambda row: (-row[1], row[0]))


def by_year_and_organisation(contributions) -> list[tuple[int, float, list[tuple[str, float]]]]:
    """[(year, hours, [(organisation, hours)])], newest year first; one query for the names."""
    seconds: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for c in contributions:
        seconds[c.day.year][c.organisation_id] += c.seconds
    names = _names({org for per_org in seconds.values() for org in per_org})
    rows = []
    for year in sorted(seconds, reverse=True):
        per_org = sorted(((names.get(org, "?"), as_hours(s)) for org, s in seconds[year].items()),
                         key=lambda row: (-row[1], row[0]))
        rows.append((year, as_hours(sum(seconds[year].values())), per_org))
    return rows


def request_hours_certificate(user: User, *, year: int | None, now: datetime) -> Certificate:
    """A new certificate of volunteering, within CERTIFICATE_RATE_LIMIT per person."""
    limit = current_app.config.get("CERTIFICATE_RATE_LIMIT", "10 per hour;30 per day")
    if blocked := hit("certificate", limit, user.id):
        raise TooMany(_l("You have made many certificates in a short time. Try again %(wait)s.",
                         wait=wait_text(blocked)), field="period")
    return issue_hours_certificate(user, year=year, now=now)


def set_milestone_mails(user: User, *, on: bool) -> None:
    user.milestone_mails = on
    db.session.flush()


# --- switching milestone mails off from the mail itself, without logging in --------------------

_OPTOUT_SALT = "milestone-mails-off"


def milestone_optout_token(user: User) -> str:
    """A signed link that can do one thing only: switch this person's milestone mails off."""
    from itsdangerous import URLSafeSerializer
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_OPTOUT_SALT).dumps(user.id)


def user_by_milestone_token(token: str) -> User:
    from itsdangerous import BadSignature, URLSafeSerializer

    from portal.errors import InvalidToken
    try:
        user_id = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_OPTOUT_SALT).loads(token)
    except (BadSignature, UnicodeError, ValueError):
        raise InvalidToken() from None
    user = db.session.get(User, user_id) if isinstance(user_id, int) and 0 < user_id < 2 ** 31 else None
    if user is None:
        raise InvalidToken()
    return user
