"""Slots as calendar events: downloads, feeds and the e-mail attachment."""

import dataclasses
import hashlib
from datetime import timedelta

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from portal.access import public_task_clause
from portal.core.ical import UID_DOMAIN, EventData, build_calendar
from portal.core.text import new_token
from portal.extensions import db
from portal.links import base_url
from portal.models import Organisation, Signup, SignupState, Slot, SlotStatus, Task, User, VolunteerProfile
from portal.volunteers.services import ensure_profile


def _base() -> str:
    return base_url()


def event_for(slot: Slot, *, cancelled: bool | None = None) -> EventData:
    task = slot.task
    place = ", ".join(p for p in (task.place_name, task.address, f"{task.postcode} {task.city}".strip()) if p)
    if slot.place_note:
        place = f"{place} ({slot.place_note})"
    url = f"{_base()}/tasks/{task.id}"
    return EventData(
        uid=f"slot-{slot.id}@{UID_DOMAIN}", summary=f"{task.title} – {task.organisation.name}",
        starts_at=slot.starts_at, ends_at=slot.ends_at, stamp=slot.updated_at, sequence=slot.sequence,
        # Google and Outlook do not show URL, so the link to the task page is in the text too.
        description=f"{task.description}\n\n{url}" if task.description else url, location=place, url=url,
        cancelled=slot.status is SlotStatus.cancelled if cancelled is None else cancelled,
        organizer_name=task.organisation.name, organizer_email=task.contact_email)


def slots_ics(slots, *, name="Dragør Frivillig", key: str | None = None) -> bytes:
    """A download or e-mail attachment. Without a key, the calendar UID follows the slots, so
    two different downloads never claim to be the same calendar."""
    key = key or "slots-" + ",".join(str(s.id) for s in sorted(slots, key=lambda s: s.id))
    return build_calendar([event_for(s) for s in slots], name=name, key=key)


def slot_ics(slot: Slot) -> bytes:
    return slots_ics([slot], name=slot.task.title, key=f"slot-{slot.id}")


def cancellation_ics(slot: Slot, *, now) -> bytes:
    """For the "you are no longer coming" e-mail: the same UID as the invitation, marked
    CANCELLED with a higher SEQUENCE, so a calendar that imported the invitation removes it."""
    event = dataclasses.replace(event_for(slot, cancelled=True), sequence=slot.sequence + 1,
                                stamp=max(slot.updated_at, now))
    return build_calendar([event], name=slot.task.title, key=f"slot-{slot.id}")


def _public_slots():
    return (select(Slot).join(Slot.task).join(Task.organisation)
            .options(contains_eager(Slot.task).contains_eager(Task.organisation))
            .where(public_task_clause(), Slot.status == SlotStatus.open))


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


# Offers that were declined or ran out never gave the person a place; they are not their times.
_NEVER_CONFIRMED = ("declined", "offer_expired")


def personal_feed(user: User, *, now) -> bytes:
    """The person's own times, including cancelled ones (as STATUS:CANCELLED) so a subscribed
    calendar removes them, for the last 90 days and everything ahead.

    The slot's SEQUENCE and DTSTAMP only follow changes to the slot. In this feed the person's
    own cancelling (and signing up again) changes the event too, so each such step adds one to
    SEQUENCE (cancel +1, sign up again +1, ...) and DTSTAMP is the latest of those moments;
    clients that honour SEQUENCE then never keep an older version."""
    rows = db.session.execute(
        select(Slot, Signup).join(Signup, Signup.slot_id == Slot.id).join(Slot.task).join(Task.organisation)
        .options(contains_eager(Slot.task).contains_eager(Task.organisation))
        .where(Signup.user_id == user.id, Slot.ends_at > now - timedelta(days=90),
               or_(Signup.state == SignupState.confirmed,
                   (Signup.state == SignupState.cancelled)
                   & or_(Signup.cancel_reason.is_(None), Signup.cancel_reason.not_in(_NEVER_CONFIRMED))))
        .order_by(Slot.starts_at, Slot.id, Signup.id)).all()
    by_slot: dict[int, tuple[Slot, list[Signup]]] = {}
    for slot, signup in rows:
        by_slot.setdefault(slot.id, (slot, []))[1].append(signup)
    events = []
    for slot, signups in by_slot.values():
        # A slot can have old cancelled signups and a new confirmed one; the live one wins.
        live = any(s.state is SignupState.confirmed for s in signups)
        cancellations = sum(s.state is SignupState.cancelled for s in signups)
        own_changes = 2 * cancellations - (0 if live else 1)
        stamp = max([slot.updated_at] + [s.created_at for s in signups]
                    + [s.cancelled_at for s in signups if s.cancelled_at is not None])
        event = event_for(slot, cancelled=slot.status is SlotStatus.cancelled or not live)
        events.append(dataclasses.replace(event, sequence=slot.sequence + own_changes, stamp=stamp))
    return build_calendar(events, name="Mine frivillige opgaver", key=f"user-{user.id}")


def personal_feed_url(user: User) -> str | None:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is None or not profile.calendar_token:
        return None
    return _base() + url_for("calendar.personal_feed", token=profile.calendar_token)


def regenerate_token(user: User) -> str:
    profile = ensure_profile(user)
    profile.calendar_token = new_token()
    db.session.flush()
    return profile.calendar_token


def user_by_feed_token(token: str) -> User | None:
    return db.session.scalar(select(User).join(VolunteerProfile).where(VolunteerProfile.calendar_token == token))


def etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]
