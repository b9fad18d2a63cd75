"""The audit log: one call from any service that changes an approval or touches other people's data.

    audit.record(actor, "roster_exported", obj=slot, organisation=org, subjects=[u.id for u in people],
                 summary=f"{task.title}, {n} people", now=now)

Recorded inside the caller's transaction, so a rolled-back action leaves no trace and a committed one
always has its line. `before`/`after` are small dicts (made JSON here); never put a password, a token or
a CPR number in them. Actions are short snake_case names; ACTIONS lists the ones the log page explains
(a new feature adds its own)."""

import json
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import AuditEvent, AuditSubject, utcnow

ACTIONS = (
    "organisation_approved", "organisation_rejected", "organisation_suspended", "organisation_reinstated",
    "company_approved", "company_rejected", "company_suspended",
    "clearance_recorded", "attendance_changed", "hours_decided", "hours_changed",
    "roster_viewed", "roster_exported", "contact_details_viewed",
    "assisted_profile_created", "assisted_profile_changed", "assisted_signup", "assisted_profile_taken_over",
    "displacement_decided", "membership_changed", "message_sent", "newsletter_sent", "data_exported",
)


def _json(value) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(actor, action: str, *, obj=None, organisation=None, summary: str = "", before: dict | None = None,
           after: dict | None = None, subjects=(), now: datetime | None = None) -> AuditEvent:
    """Adds one audit event (and its subjects) to the session and flushes."""
    organisation_id = getattr(organisation, "id", organisation)
    event = AuditEvent(
        at=now or utcnow(), actor_id=getattr(actor, "id", None),
        actor_name=(getattr(actor, "name", None) or "system")[:120], action=action[:40],
        object_type=type(obj).__name__[:40] if obj is not None else None, object_id=getattr(obj, "id", None),
        organisation_id=organisation_id, summary=(summary or "")[:300], before=_json(before), after=_json(after))
    db.session.add(event)
    db.session.flush()
    for user_id in sorted({int(getattr(s, "id", s)) for s in subjects if s is not None}):
        db.session.add(AuditSubject(event_id=event.id, user_id=user_id))
    db.session.flush()
    return event


def keep_days() -> int:
    return int(current_app.config.get("AUDIT_KEEP_DAYS", 1095))


def forget_old(*, now: datetime) -> int:
    """Tick step: events older than AUDIT_KEEP_DAYS are deleted (their subjects cascade)."""
    cutoff = now - timedelta(days=keep_days())
    old = select(AuditEvent.id).where(AuditEvent.at < cutoff)
    db.session.execute(delete(AuditSubject).where(AuditSubject.event_id.in_(old)))
    return db.session.execute(delete(AuditEvent).where(AuditEvent.at < cutoff)).rowcount or 0
