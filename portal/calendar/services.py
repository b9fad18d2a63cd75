"""Slots as calendar events: downloads, feeds and the e-mail attachment."""

import dataclasses
import gzip
import hashlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import url_for
from sqlalchemy import case, func, or_, select

from portal import dataversion
from portal.access import public_task_clause
from portal.core import ical, safetext
from portal.core.ical import UID_DOMAIN, EventData, build_calendar
from portal.core.text import new_token, slugify
from portal.extensions import cache, db
from portal.links import base_url
from portal.models import Organisation, Signup, SignupState, Slot, SlotStatus, Task, User, VolunteerProfile
from portal.volunteers.services import ensure_profile

log = logging.getLogger(__name__)


def _base() -> str:
    return base_url()


def event_for(slot: Slot, *, cancelled: bool | None = None) -> EventData:
    task = slot.task
    part = _task_part(_base(), task.id, task.title, task.description, task.place_name, task.address, task.postcode,
                      task.city, task.contact_email, task.organisation.name)
    return _event(part, slot.id, slot.starts_at, slot.ends_at, slot.updated_at, slot.sequence, slot.place_note,
                  slot.status is SlotStatus.cancelled if cancelled is None else cancelled)


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


# --- the feeds ---------------------------------------------------------------------------------
#
# A feed is named before it is built: its key (which feed, the data version it shows, the day
# its window was cut on, and this code) is the ETag and the cache key. A calendar app that polls
# with If-None-Match is answered from the key alone, and a cached body is found by it.
#
# Every feed has a cap: the national data has 500,000 times in the next eight weeks, and one
# request for all of them took a worker to 3.2 GB. The soonest are kept, and the feed says so.

PUBLIC_DAYS = 90
PUBLIC_CAP = 5_000
ORGANISATION_CAP = TASK_CAP = 1_000
PERSONAL_CAP = 2_000
PERSONAL_DAYS_BACK = 90


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Danish: 5.000


def _cap_note(cap: int) -> str:
    return f"Viser højst de første {_thousands(cap)} tider."


@dataclass(frozen=True)
class Feed:
    """A feed, named but not built. `etag` is None when no data version can be had (Redis down):
    then nothing is cached and the ETag comes from the body, as it did before the cache."""
    etag: str | None
    filename: str
    build: Callable[[], bytes]
    private: bool = False


# The bytes follow this code as much as the data: a deployment that changes them must change
# every ETag, or calendar apps would be told "unchanged" and keep the old text.
_CODE_VERSION = hashlib.sha256(b"".join(Path(module.__file__).read_bytes() for module in (sys.modules[__name__], ical,
                                                                                         safetext))).hexdigest()[:12]


def calendar_version() -> str | None:
    """The version the feeds are named by. Take it before the request reads anything else: a
    write committed after it then moves it on, and what was read is filed under the old name,
    which nobody asks for again (portal/dataversion.py). On SQLite a transaction reads from the
    moment of its first statement, so "before" means before the first statement."""
    return dataversion.current("calendar")


def _named(*parts, version: str | None) -> str | None:
    if version is None:
        return None
    return ical.feed_key(_CODE_VERSION, _base(), version, *parts)


def public_feed_ref(*, version: str | None, now) -> Feed:
    window = ical.feed_window(now, days_ahead=PUBLIC_DAYS)
    # The day is in the name because the window moves with the clock. Seats are not shown, and
    # the calendar version does not follow them, so sign-ups leave the name alone.
    etag = _named("public", window.day, version=version)
    return Feed(etag, "dragoer-frivillig.ics", lambda: _public_body(window))


def _public_body(window: ical.Window) -> bytes:
    rows = _slot_rows(Slot.ends_at > window.starts, Slot.starts_at < window.ends, cap=PUBLIC_CAP)
    description = (f"Frivillige opgaver i Dragør de næste {PUBLIC_DAYS} dage fra {window.day:%d.%m.%Y}. "
                   + _cap_note(PUBLIC_CAP))
    return ical.build_calendar(_slot_events(rows), name="Dragør Frivillig", key="public", description=description)


def organisation_feed_ref(org: Organisation, *, version: str | None, now) -> Feed:
    return _upcoming_feed("org", org.id, Task.organisation_id == org.id, name=f"{org.name} – Dragør Frivillig",
                          description=f"Kommende frivillige opgaver hos {org.name}.", cap=ORGANISATION_CAP,
                          filename=f"{slugify(org.slug)}.ics", version=version, now=now)


def task_feed_ref(task: Task, *, version: str | None, now) -> Feed:
    return _upcoming_feed("task", task.id, Slot.task_id == task.id, name=task.title,
                          description=f"Kommende tider for opgaven {task.title}.", cap=TASK_CAP,
                          filename=f"opgave-{task.id}.ics", version=version, now=now)


def _upcoming_feed(kind: str, ident: int, condition, *, name: str, description: str, cap: int, filename: str,
                   version: str | None, now) -> Feed:
    """One organisation's or one task's upcoming times: named now, built only if asked for."""
    window = ical.feed_window(now)
    etag = _named(kind, ident, window.day, version=version)

    def build() -> bytes:
        rows = _slot_rows(condition, Slot.ends_at > window.starts, cap=cap)
        return ical.build_calendar(_slot_events(rows), name=name, key=f"{kind}-{ident}",
                                   description=f"{description} {_cap_note(cap)}")
    return Feed(etag, filename, build)


def body(feed: Feed, *, gzipped: bool = False) -> bytes:
    """The feed's bytes, gzipped if asked: from the cache under its key, or built and stored
    there. The cache holds the gzipped bytes: calendar apps accept gzip, and compressing a
    3 MB feed for every answer took 200-300 ms (measured), ten times what serving it does;
    the few that do not accept it get it unpacked (a few ms). Redis holds a tenth of the size."""
    if feed.etag is None:
        built = feed.build()
        return _gzip(built) if gzipped else built
    key = f"ics:{feed.etag}"
    try:
        packed = cache.get(key)
    except Exception as error:  # noqa: BLE001 - a cache that fails means "build the feed"
        log.warning("feed cache unreachable: %s", error)
        packed = None
    if packed is None:
        built = feed.build()
        packed = _gzip(built)
        try:
            cache.set(key, packed)
        except Exception as error:  # noqa: BLE001
            log.warning("feed cache unreachable, feed not stored: %s", error)
        return packed if gzipped else built
    return packed if gzipped else gzip.decompress(packed)


def _gzip(data: bytes) -> bytes:
    # mtime=0: the same feed gives the same bytes.
    return gzip.compress(data, compresslevel=6, mtime=0)


def etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


# --- reading the times: columns, not ORM objects, and each task worked out once -----------------
#
# One statement with the task's columns on every row: a task's text repeats on the rows of its
# times, but the rows are capped, and a second statement with thousands of ids cost more.
#
# Rows are unpacked by position, in the order of _COLUMNS: reading a row's 16 columns by name
# cost more than everything else done with the row (measured: 0.4 µs a name).

_COLUMNS = (Slot.id, Slot.task_id, Slot.starts_at, Slot.ends_at, Slot.updated_at, Slot.sequence, Slot.status,
            Slot.place_note, Task.title, Task.description, Task.place_name, Task.address, Task.postcode, Task.city,
            Task.contact_email, Organisation.name.label("organisation_name"))
_BATCH = 250


def _stream(statement):
    """The rows a batch at a time, each gone once its event is written. Read through the
    session's connection (the same transaction), not the ORM: the ORM's execute reads every row
    into a list first, and thousands of rows kept alive through a build were promoted into the
    garbage collector's oldest generation, whose next full pass (50-60 ms with the app loaded)
    then fell inside a feed request now and then."""
    for batch in db.session.connection().execute(statement).partitions(_BATCH):
        yield from batch


def _slot_rows(*where, cap: int):
    """The soonest `cap` open times of public tasks that match `where`, streamed."""
    return _stream(select(*_COLUMNS).join(Slot.task).join(Task.organisation)
                   .where(public_task_clause(), Slot.status == SlotStatus.open, *where)
                   .order_by(Slot.starts_at, Slot.id).limit(cap))


@dataclass(frozen=True)
class _TaskPart:
    """What every event of one task shares, worked out once per task."""
    summary: str
    description: str
    place: str
    url: str
    organizer_name: str
    organizer_email: str


def _task_part(base, task_id, title, description, place_name, address, postcode, city, contact_email, org_name):
    place = ", ".join(p for p in (place_name, address, f"{postcode} {city}".strip()) if p)
    url = f"{base}/tasks/{task_id}"
    # Google and Outlook do not show URL, so the link to the task page is in the text too.
    return _TaskPart(summary=f"{title} – {org_name}", description=f"{description}\n\n{url}" if description else url,
                     place=place, url=url, organizer_name=org_name, organizer_email=contact_email)


def _event(part: _TaskPart, slot_id, starts_at, ends_at, stamp, sequence, place_note, cancelled) -> EventData:
    return EventData(uid=f"slot-{slot_id}@{UID_DOMAIN}", summary=part.summary, starts_at=starts_at,
                     ends_at=ends_at, stamp=stamp, sequence=sequence, description=part.description,
                     location=f"{part.place} ({place_note})" if place_note else part.place, url=part.url,
                     cancelled=cancelled, organizer_name=part.organizer_name, organizer_email=part.organizer_email)


def _slot_events(rows, adjust=None):
    """Events from rows of _COLUMNS (then whatever `adjust` needs): each task's part worked out
    once. `adjust(extra, updated_at, sequence, cancelled)` gives the (stamp, sequence,
    cancelled) of a row with extra columns after _COLUMNS (the personal feed's)."""
    parts: dict[int, _TaskPart] = {}
    width = len(_COLUMNS)
    base = _base()     # the same for every task; a national feed has thousands of tasks
    for row in rows:
        slot_id, task_id, starts_at, ends_at, stamp, sequence, status, place_note = row[:8]
        part = parts.get(task_id)
        if part is None:
            part = parts[task_id] = _task_part(base, task_id, *row[8:width])
        cancelled = status is SlotStatus.cancelled
        if adjust is not None:
            stamp, sequence, cancelled = adjust(row[width:], stamp, sequence, cancelled)
        yield _event(part, slot_id, starts_at, ends_at, stamp, sequence, place_note, cancelled)


# --- the personal feed -----------------------------------------------------------------------------

# Offers that were declined or ran out never gave the person a place; they are not their times.
_NEVER_CONFIRMED = ("declined", "offer_expired")


def _their_times():
    return or_(Signup.state == SignupState.confirmed,
               (Signup.state == SignupState.cancelled)
               & or_(Signup.cancel_reason.is_(None), Signup.cancel_reason.not_in(_NEVER_CONFIRMED)))


def personal_feed_ref(token: str, *, version: str | None, now) -> Feed | None:
    """None when no one has this calendar address.

    The feed shows the person's own signups and the times and tasks they are for. So its name is
    the calendar version (tasks, times, organisations) plus a fingerprint of this person's
    signups, read in the same statement that finds them by the token: other people signing up
    change neither, and the feed stays cached."""
    found = db.session.execute(
        select(VolunteerProfile.user_id, func.count(Signup.id), func.max(Signup.id), func.max(Signup.updated_at))
        .select_from(VolunteerProfile).outerjoin(Signup, Signup.user_id == VolunteerProfile.user_id)
        .where(VolunteerProfile.calendar_token == token).group_by(VolunteerProfile.user_id)).first()
    if found is None:
        return None
    user_id = found[0]
    window = ical.feed_window(now, days_back=PERSONAL_DAYS_BACK)
    etag = _named("user", user_id, window.day, *found[1:], version=version)
    return Feed(etag, "mine-opgaver.ics", lambda: _personal_body(user_id, window), private=True)


def _personal_body(user_id: int, window: ical.Window) -> bytes:
    """The person's own times, including cancelled ones (as STATUS:CANCELLED) so a subscribed
    calendar removes them, from the last 90 days on (the soonest PERSONAL_CAP of them).

    The slot's SEQUENCE and DTSTAMP only follow changes to the slot. In this feed the person's
    own cancelling (and signing up again) changes the event too, so each such step adds one to
    SEQUENCE (cancel +1, sign up again +1, ...) and DTSTAMP is the latest of those moments;
    clients that honour SEQUENCE then never keep an older version."""
    # One row per slot: the person's signups of it are summed up in SQL (still live?, how often
    # cancelled, the latest of their moments), so no signup row reaches Python.
    per_slot = (select(Signup.slot_id,
                       func.max(case((Signup.state == SignupState.confirmed, 1), else_=0)).label("live"),
                       func.sum(case((Signup.state == SignupState.cancelled, 1), else_=0)).label("cancellations"),
                       func.max(Signup.created_at).label("signed_up_at"),
                       func.max(Signup.cancelled_at).label("cancelled_at"))
                .join(Signup.slot)
                .where(Signup.user_id == user_id, Slot.ends_at > window.starts, _their_times())
                .group_by(Signup.slot_id, Slot.starts_at).order_by(Slot.starts_at, Signup.slot_id)
                .limit(PERSONAL_CAP).subquery())
    rows = _stream(select(*_COLUMNS, per_slot.c.live, per_slot.c.cancellations, per_slot.c.signed_up_at,
                          per_slot.c.cancelled_at)
                   .select_from(per_slot).join(Slot, Slot.id == per_slot.c.slot_id).join(Slot.task)
                   .join(Task.organisation).order_by(Slot.starts_at, Slot.id))

    def own_steps(extra, updated_at, sequence, slot_cancelled):
        live, cancellations, signed_up_at, cancelled_at = extra
        # A slot can have old cancelled signups and a new confirmed one; the live one wins.
        stamp = max(updated_at, signed_up_at)
        if cancelled_at is not None and cancelled_at > stamp:
            stamp = cancelled_at
        return stamp, sequence + 2 * cancellations - (0 if live else 1), slot_cancelled or not live

    return ical.build_calendar(_slot_events(rows, own_steps), name="Mine frivillige opgaver", key=f"user-{user_id}",
                               description=f"Dine frivillige tider fra de sidste {PERSONAL_DAYS_BACK} dage og "
                                           f"fremover. " + _cap_note(PERSONAL_CAP))


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

