"""Reading the audit log for the coordinator: filters, pages by id (newest first, no OFFSET), the
CSV. A page costs the same few statements whatever the log's size."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import exists, func, select

from portal.core.timeutil import to_utc
from portal.extensions import db
from portal.models import AuditEvent, AuditSubject, Organisation, User

PAGE_SIZE = 50
CSV_LIMIT = 50_000


@dataclass(frozen=True)
class Filters:
    action: str | None = None
    actor: str | None = None
    organisation_id: int | None = None
    person: str | None = None
    start: date | None = None      # local dates, both included
    end: date | None = None


@dataclass
class Row:
    event: AuditEvent
    organisation_name: str | None
    people: int


@dataclass
class Page:
    rows: list[Row] = field(default_factory=list)
    older: int | None = None       # the `before` id of the next page, None on the last one


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(filters: Filters):
    query = select(AuditEvent, Organisation.name).outerjoin(Organisation,
                                                             Organisation.id == AuditEvent.organisation_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.actor:
        query = query.where(AuditEvent.actor_name.ilike(_like(filters.actor), escape="\\"))
    if filters.organisation_id:
        query = query.where(AuditEvent.organisation_id == filters.organisation_id)
    if filters.start:
        query = query.where(AuditEvent.at >= to_utc(filters.start, time(0)))
    if filters.end:
        query = query.where(AuditEvent.at < to_utc(filters.end + timedelta(days=1), time(0)))
    if filters.person:
        query = query.where(exists(
            select(AuditSubject.event_id).join(User, User.id == AuditSubject.user_id)
            .where(AuditSubject.event_id == AuditEvent.id, User.name.ilike(_like(filters.person), escape="\\"))))
    return query


def _people_counts(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(select(AuditSubject.event_id, func.count()).where(AuditSubject.event_id.in_(ids))
                                   .group_by(AuditSubject.event_id)).all())


def page(filters: Filters, *, before: int | None = None) -> Page:
    """Up to PAGE_SIZE events, newest first, older than the event `before` when given."""
    query = _filtered(filters)
    if before:
        query = query.where(AuditEvent.id < before)
    found = db.session.execute(query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1)).all()
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    counts = _people_counts([event.id for event, _name in found])
    rows = [Row(event, name, counts.get(event.id, 0)) for event, name in found]
    return Page(rows=rows, older=rows[-1].event.id if more and rows else None)


def all_rows(filters: Filters) -> list[Row]:
    """The filtered log for the CSV, newest first (at most CSV_LIMIT events)."""
    found = db.session.execute(_filtered(filters).order_by(AuditEvent.id.desc()).limit(CSV_LIMIT)).all()
    counts = {}
    ids = [event.id for event, _name in found]
    for start in range(0, len(ids), 10_000):
        counts.update(_people_counts(ids[start:start + 10_000]))
    return [Row(event, name, counts.get(event.id, 0)) for event, name in found]


def organisation_choices() -> list[tuple[int, str]]:
    return list(db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all())
