"""The coordinator's events: the volunteer day and the welfare meeting, with their programme.
Plain functions; they flush, never commit (the route commits once)."""

import secrets
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core.events import ends_next_day, event_slug
from portal.core.timeutil import to_local, to_utc
from portal.events.errors import error
from portal.extensions import db
from portal.models import AwardYear, Event, EventItem, EventKind, User


def _times(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    starts_at = to_utc(day, starts)
    ends_at = to_utc(day + timedelta(days=1) if ends_next_day(starts, ends) else day, ends)
    if ends_at <= starts_at:
        raise error("end_before_start", field="ends")
    return starts_at, ends_at


def _award_year_id(award_year_id: int | None) -> int | None:
    if not award_year_id:
        return None
    if db.session.get(AwardYear, award_year_id) is None:
        raise error("unknown_award_year", field="award_year")
    return award_year_id


def _free_slug(title: str, day: date, *, keep: Event | None = None) -> str:
    base = slug = event_slug(title, day)
    n = 2
    while True:
        found = db.session.scalar(select(Event.id).where(Event.slug == slug))
        if found is None or (keep is not None and found == keep.id):
            return slug
        slug, n = f"{base}-{n}", n + 1


def create_event(author: User, *, kind: str, title: str, summary: str, day: date, starts: time, ends: time,
                 place_name: str, address: str, award_year_id: int | None, now: datetime) -> Event:
    starts_at, ends_at = _times(day, starts, ends)
    event = Event(slug=_free_slug(title, day), kind=EventKind(kind), title=title, summary=summary or "",
                  starts_at=starts_at, ends_at=ends_at, place_name=place_name or "", address=address or "",
                  award_year_id=_award_year_id(award_year_id), created_by_id=author.id, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(event)
            db.session.flush()
    except IntegrityError:
        # Someone saved an event with the same title and day a moment ago: the unique slug
        # refused the copy, so this one gets a random tail instead of a 500.
        event.slug = f"{event_slug(title, day)}-{secrets.token_hex(3)}"
        db.session.add(event)
        db.session.flush()
    return event


def update_event(event: Event, *, kind: str, title: str, summary: str, day: date, starts: time, ends: time,
                 place_name: str, address: str, award_year_id: int | None) -> None:
    """The slug stays as it was: links already shared keep working. Programme lines move with the day."""
    starts_at, ends_at = _times(day, starts, ends)
    shift = starts_at - event.starts_at
    event.kind, event.title, event.summary = EventKind(kind), title, summary or ""
    if shift:
        for item in event.items:
            item.starts_at = item.starts_at + shift
    event.starts_at, event.ends_at = starts_at, ends_at
    event.place_name, event.address = place_name or "", address or ""
    event.award_year_id = _award_year_id(award_year_id)
    db.session.flush()


def publish_event(event: Event, *, now: datetime) -> None:
    if event.published_at is None:
        event.published_at = now
        db.session.flush()


def unpublish_event(event: Event) -> None:
    event.published_at = None
    db.session.flush()


def add_item(event: Event, *, at: time, title: str, description: str = "", place_note: str = "") -> EventItem:
    """A programme line at a local time on the event's day (or on its last day, if the time is
    before the start and the event runs past midnight)."""
    start_day = to_local(event.starts_at).date()
    starts_at = to_utc(start_day, at)
    if starts_at < event.starts_at:
        starts_at = to_utc(to_local(event.ends_at).date(), at)
    if not event.starts_at <= starts_at <= event.ends_at:
        raise error("item_outside", field="at")
    item = EventItem(event_id=event.id, starts_at=starts_at, title=title, description=description or "",
                     place_note=place_note or "")
    db.session.add(item)
    db.session.flush()
    return item


def remove_item(event: Event, item_id: int) -> None:
    item = db.session.get(EventItem, item_id)
    if item is None or item.event_id != event.id:
        raise error("unknown_item")
    db.session.delete(item)
    db.session.flush()
