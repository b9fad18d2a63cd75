"""Slots as calendar events: downloads, feeds and the e-mail attachment."""

import hashlib

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from portal.core.ical import UID_DOMAIN, EventData, build_calendar
from portal.core.text import new_token
from portal.extensions import db
from portal.models import (Organisation, OrganisationStatus, Signup, SignupState, Slot, SlotStatus, Task,
                           TaskStatus, User, VolunteerProfile)


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def event_for(slot: Slot, *, cancelled: bool | None = None) -> EventData:
    task = slot.task
    place = ", ".join(p for p in (task.place_name, task.address, f"{task.postcode} {task.city}") if p)
    if slot.place_note:
        place = f"{place} ({slot.place_note})"
    return EventData(
        uid=f"slot-{slot.id}@{UID_DOMAIN}", summary=f"{task.title} – {task.organisation.name}",
        starts_at=slot.starts_at, ends_at=slot.ends_at, stamp=slot.updated_at, sequence=slot.sequence,
        description=task.description, location=place, url=f"{_base()}/tasks/{task.id}",
        cancelled=slot.status is SlotStatus.cancelled if cancelled is None else cancelled,
        organizer_name=task.organisation.name, organizer_email=task.contact_email)


def slots_ics(slots, *, name="Dragør Frivillig", key="download") -> bytes:
    return build_calendar([event_for(s) for s in slots], name=name, key=key)


def slot_ics(slot: Slot) -> bytes:
    return slots_ics([slot], name=slot.task.title, key=f"slot-{slot.id}")


def _public_slots():
    return (select(Slot).join(Slot.task).join(Task.organisation)
            .options(contains_eager(Slot.task).contains_eager(Task.organisation))
            .where(Task.status == TaskStatus.published, Organisation.status == OrganisationStatus.approved,
                   Slot.status == SlotStatus.open))


def public_feed(*, now) -> bytes:
    slots = db.session.scalars(_public_slots().where(Slot.ends_at > now).order_by(Slot.starts_at, Slot.id)).all()
    return slots_ics(slots, name="Dragør Frivillig", key="public")


def organisation_feed(org: Organisation, *, now) -> bytes:
    slots = db.session.scalars(_public_slots().where(Task.organisation_id == org.id, Slot.ends_at > now)
                               .order_by(Slot.starts_at, Slot.id)).all()
    return slots_ics(slots, name=f"{org.name} – Dragør Frivillig", key=f"org-{org.id}")


def task_feed(task: Task, *, now) -> bytes:
    slots = db.session.scalars(_public_slots().where(Slot.task_id == task.id, Slot.ends_at > now)
                               .order_by(Slot.starts_at, Slot.id)).all()
    return slots_ics(slots, name=task.title, key=f"task-{task.id}")


def personal_feed(user: User, *, now) -> bytes:
    """The person's own times, including cancelled ones (as STATUS:CANCELLED) so a subscribed
    calendar removes them, for the last 90 days and everything ahead."""
    from datetime import timedelta
    rows = db.session.execute(
        select(Slot, Signup.state).join(Signup, Signup.slot_id == Slot.id).join(Slot.task).join(Task.organisation)
        .options(contains_eager(Slot.task).contains_eager(Task.organisation))
        .where(Signup.user_id == user.id, Signup.state.in_([SignupState.confirmed, SignupState.cancelled]),
               Slot.ends_at > now - timedelta(days=90))
        .order_by(Slot.starts_at, Slot.id, Signup.id)).all()
    latest: dict[int, tuple[Slot, SignupState]] = {}
    for slot, state in rows:
        # A slot can have an old cancelled signup and a new confirmed one; the live one wins.
        if slot.id not in latest or state is SignupState.confirmed:
            latest[slot.id] = (slot, state)
    events = [event_for(slot, cancelled=slot.status is SlotStatus.cancelled or state is SignupState.cancelled)
              for slot, state in latest.values()]
    return build_calendar(events, name="Mine frivillige opgaver", key=f"user-{user.id}")


def personal_feed_url(user: User) -> str | None:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is None or not profile.calendar_token:
        return None
    return _base() + url_for("calendar.personal_feed", token=profile.calendar_token)


def regenerate_token(user: User) -> str:
    from portal.signups.services import ensure_volunteer_profile
    profile = ensure_volunteer_profile(user)
    profile.calendar_token = new_token()
    db.session.flush()
    return profile.calendar_token


def user_by_feed_token(token: str) -> User | None:
    return db.session.scalar(select(User).join(VolunteerProfile).where(VolunteerProfile.calendar_token == token))


def etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]
