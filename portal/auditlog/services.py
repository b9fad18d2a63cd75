"""Writing to the audit log from the request side: who saw whose contact details through a roster."""

from datetime import datetime

from sqlalchemy import insert

from portal import audit
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import AuditEvent, AuditSubject

# One INSERT ... VALUES per this many people (SQLite allows 32,766 parameters a statement).
_CHUNK = 5000


def seen_by_staff(actor, action: str, *, people, slot=None, task=None, now: datetime) -> AuditEvent | None:
    """One event for one look at a roster (`roster_viewed`) or one download of it (`roster_exported`),
    with every person on it as a subject, so each can later see it in their data export. The subjects
    go in with one statement whatever their number (the roster's query count stays constant). An empty
    roster shows nobody's details and is not logged."""
    ids = sorted({int(p) for p in people if p is not None})
    if not ids:
        return None
    task = task if task is not None else slot.task
    summary = task.title if slot is None else f"{task.title}, {to_local(slot.starts_at):%d-%m-%Y %H:%M}"
    event = audit.record(actor, action, obj=slot if slot is not None else task, organisation=task.organisation_id,
                         summary=summary, now=now)
    for start in range(0, len(ids), _CHUNK):
        db.session.execute(insert(AuditSubject).values(
            [{"event_id": event.id, "user_id": user_id} for user_id in ids[start:start + _CHUNK]]))
    return event
