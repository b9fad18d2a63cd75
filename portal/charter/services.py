"""The volunteer charter (frivilligcharter): published versions, acceptances, and the gate before a
sign-up with an organisation that requires it.

A version is never edited after it is published; a change is a new version, and an organisation that
requires the charter asks every volunteer again. The gate asks for the CURRENT version only: an
acceptance of an older one does not count. With no version published at all, nothing is required."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.errors import DomainError, InvalidState
from portal.extensions import db
from portal.models import CodeAcceptance, CodeOfConduct, Organisation, User

MAX_BODY = 20000
MIN_BODY = 20
# Versions are small integers; a bigger number in an address is not a version (and would
# overflow PostgreSQL's integer).
MAX_VERSION = 2**31 - 1

error_messages = {
    "charter_required": _l("%(org)s asks volunteers to accept the volunteer charter before they sign up. "
                           "Please read it and accept it, then choose your time again."),
    "body_da_missing": _l("Write the charter in Danish."),
    "body_en_missing": _l("Write the charter in English."),
    "too_short": _l("Write at least %(min)d characters."),
    "too_long": _l("Write at most %(max)d characters."),
    "published_meanwhile": _l("Someone else published a new version a moment ago. Read it, then try again."),
    "not_current": _l("The charter has just been updated. Please read the new version before you accept it."),
    "no_charter": _l("There is no volunteer charter yet."),
    "unchanged": _l("The text is the same as the current version. Change it before you publish a new version."),
}


class CharterRequired(DomainError):
    """Raised by the sign-up services when `user` has not accepted the current charter and the
    organisation requires it. Routes send the person to /charter/accept?next=<the task page>."""

    key = "charter_required"

    def __init__(self, organisation: Organisation, code: CodeOfConduct):
        self.organisation = organisation
        self.code = code
        name = organisation.name
        super().__init__(LazyString(lambda: str(error_messages["charter_required"]) % {"org": name}))


# --- reading ----------------------------------------------------------------------------------

def current() -> CodeOfConduct | None:
    """The newest published version, or None when the coordinator has published none."""
    return db.session.scalar(select(CodeOfConduct).order_by(CodeOfConduct.version.desc()).limit(1))


def by_version(version: int) -> CodeOfConduct | None:
    if not 0 < version <= MAX_VERSION:
        return None
    return db.session.scalar(select(CodeOfConduct).where(CodeOfConduct.version == version))


@dataclass
class VersionRow:
    code: CodeOfConduct
    publisher: str | None
    accepted: int


def history() -> list[VersionRow]:
    """Every version, newest first, with who published it and how many people accepted it
    (one grouped query)."""
    counts = (select(CodeAcceptance.code_id, func.count(CodeAcceptance.id).label("n"))
              .group_by(CodeAcceptance.code_id).subquery())
    rows = db.session.execute(
        select(CodeOfConduct, User.name, func.coalesce(counts.c.n, 0))
        .outerjoin(User, User.id == CodeOfConduct.published_by_id)
        .outerjoin(counts, counts.c.code_id == CodeOfConduct.id)
        .order_by(CodeOfConduct.version.desc()))
    return [VersionRow(code, name, int(n)) for code, name, n in rows]


def acceptance(user: User, code: CodeOfConduct) -> CodeAcceptance | None:
    if user is None or getattr(user, "id", None) is None:
        return None
    return db.session.scalar(select(CodeAcceptance).where(CodeAcceptance.user_id == user.id,
                                                          CodeAcceptance.code_id == code.id))


def acceptances_of(user: User) -> list[CodeAcceptance]:
    """A person's own acceptances, newest version first (for their page and their data export)."""
    return list(db.session.scalars(
        select(CodeAcceptance).join(CodeOfConduct, CodeOfConduct.id == CodeAcceptance.code_id)
        .where(CodeAcceptance.user_id == user.id).order_by(CodeOfConduct.version.desc())))


# --- the gate ---------------------------------------------------------------------------------

def needs_acceptance(user: User, organisation: Organisation) -> CodeOfConduct | None:
    """The version `user` must accept before signing up with `organisation`, or None: the
    organisation does not require the charter, no version exists, or the current one is accepted.
    Costs no query when the organisation does not require it."""
    if organisation is None or not organisation.requires_code_of_conduct:
        return None
    code = current()
    if code is None or acceptance(user, code) is not None:
        return None
    return code


def require_acceptance(user: User, organisation: Organisation) -> None:
    """Raises CharterRequired when `needs_acceptance` names a version."""
    code = needs_acceptance(user, organisation)
    if code is not None:
        raise CharterRequired(organisation, code)


def without_acceptance(people: list[User], organisation: Organisation) -> set[int]:
    """Ids of those among `people` who have not accepted the current version, when the
    organisation requires it (a company's team sign-up; two queries however many people)."""
    if not people or not organisation.requires_code_of_conduct:
        return set()
    code = current()
    if code is None:
        return set()
    ids = {p.id for p in people}
    accepted = set(db.session.scalars(select(CodeAcceptance.user_id).where(
        CodeAcceptance.code_id == code.id, CodeAcceptance.user_id.in_(ids))))
    return ids - accepted


# --- writing ----------------------------------------------------------------------------------

def _check_body(text: str | None, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(error_messages[f"{field}_missing"], field=field)
    if len(text) < MIN_BODY:
        raise DomainError(LazyString(lambda: str(error_messages["too_short"]) % {"min": MIN_BODY}), field=field)
    if len(text) > MAX_BODY:
        raise DomainError(LazyString(lambda: str(error_messages["too_long"]) % {"max": MAX_BODY}), field=field)
    return text


def publish(author: User | None, *, body_da: str, body_en: str, now: datetime) -> CodeOfConduct:
    """Publishes the next version. Two coordinators publishing at the same moment: the unique
    version number lets one win; the other is asked to read the new one first."""
    body_da = _check_body(body_da, "body_da")
    body_en = _check_body(body_en, "body_en")
    latest = current()
    if latest is not None and (latest.body_da, latest.body_en) == (body_da, body_en):
        raise DomainError(error_messages["unchanged"], field="body_da")
    version = (latest.version if latest is not None else 0) + 1
    code = CodeOfConduct(version=version, body_da=body_da, body_en=body_en, published_at=now,
                         published_by_id=getattr(author, "id", None))
    try:
        with db.session.begin_nested():
            db.session.add(code)
            db.session.flush()
    except IntegrityError:
        raise InvalidState(error_messages["published_meanwhile"])
    audit.record(author, "charter_published", obj=code, summary=f"v{version}", after={"version": version},
                 now=now)
    return code


def record_acceptance(user: User, code: CodeOfConduct, *, recorded_by: User | None = None,
                      now: datetime) -> CodeAcceptance:
    """Records that `user` accepted `code` (the current version only). Accepting twice returns the
    first acceptance. `recorded_by`: the member of staff who read it out to a citizen without
    e-mail (an assisted profile) and recorded the answer; the audit log keeps that."""
    latest = current()
    if latest is None:
        raise InvalidState(error_messages["no_charter"])
    if code.id != latest.id:
        raise InvalidState(error_messages["not_current"])
    existing = acceptance(user, code)
    if existing is not None:
        return existing
    row = CodeAcceptance(user_id=user.id, code_id=code.id, accepted_at=now,
                         recorded_by_id=getattr(recorded_by, "id", None))
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        # A double click: the other request recorded it.
        return acceptance(user, code)
    if recorded_by is not None and recorded_by.id != user.id:
        audit.record(recorded_by, "charter_recorded", obj=row, subjects=[user.id],
                     summary=f"v{code.version}", after={"version": code.version}, now=now)
    return row
