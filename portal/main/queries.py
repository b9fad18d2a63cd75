"""What the front page shows: the need this week, a few concrete times soon, the awards by phase,
the latest stories and the next event. A fixed handful of statements whatever the data (the page
is pinned in tests/web/test_query_counts_home.py); everything read is public."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.access import public_task_clause
from portal.awards import queries as awards
from portal.awards import winners as award_winners
from portal.core.awards import Phase
from portal.extensions import db
from portal.models import Event, Organisation, Slot, SlotStatus, Task
from portal.stories import queries as stories

# "How many times need people": we count the next 7 days from now rather than "this week", so the
# number means the same on a Sunday evening as on a Monday morning; the page says so.
NEED_DAYS = 7
# The concrete needs are the soonest times with free places within this horizon, one per task.
NEEDS_SHOWN = 4
NEEDS_HORIZON = timedelta(days=45)
# Candidates read to find NEEDS_SHOWN different tasks (a task repeated daily fills the first rows).
NEEDS_CANDIDATES = 40
# Winners stay on the front page for about a year after their announcement.
WINNERS_SHOWN_FOR = timedelta(days=365)


@dataclass(frozen=True)
class Need:
    slot_id: int
    task_id: int
    title: str
    organisation: str
    starts_at: datetime
    ends_at: datetime
    place: str
    missing: int


@dataclass
class AwardBlock:
    phase: Phase
    year: int
    opens_at: datetime
    closes_at: datetime
    announce_at: datetime
    winners: list = field(default_factory=list)

    @property
    def last_moment(self) -> datetime:
        """The last instant one may nominate: its local date is the last day ("til og med"), even
        when nominations close at midnight, which is already the next day."""
        return self.closes_at - timedelta(microseconds=1)


@dataclass
class FrontPage:
    need_count: int          # times with free places in the next NEED_DAYS days
    places_missing: int      # the free places of those times together
    needs: list[Need]
    award: AwardBlock | None
    stories: list
    event: Event | None


def _open_times(now: datetime, until: datetime) -> list:
    return [Slot.status == SlotStatus.open, Slot.taken < Slot.capacity, Slot.starts_at >= now,
            Slot.starts_at < until, public_task_clause()]


def need_this_week(now: datetime) -> tuple[int, int]:
    """(times that still need people, places missing) over the next NEED_DAYS days."""
    count, missing = db.session.execute(
        select(func.count(Slot.id), func.coalesce(func.sum(Slot.capacity - Slot.taken), 0))
        .select_from(Slot).join(Task, Slot.task_id == Task.id)
        .join(Organisation, Task.organisation_id == Organisation.id)
        .where(*_open_times(now, now + timedelta(days=NEED_DAYS)))).one()
    return int(count or 0), int(missing or 0)


def needs_soon(now: datetime, limit: int = NEEDS_SHOWN) -> list[Need]:
    """The soonest times with free places, at most one per task, in one statement."""
    rows = db.session.execute(
        select(Slot.id, Task.id, Task.title, Organisation.name, Slot.starts_at, Slot.ends_at,
               # A place left empty on the task form is stored as "", not NULL: fall through it.
               func.coalesce(func.nullif(Slot.place_note, ""), func.nullif(Task.place_name, ""), Task.address),
               Task.city,
               Slot.capacity - Slot.taken)
        .select_from(Slot).join(Task, Slot.task_id == Task.id)
        .join(Organisation, Task.organisation_id == Organisation.id)
        .where(*_open_times(now, now + NEEDS_HORIZON))
        .order_by(Slot.starts_at, Slot.id).limit(NEEDS_CANDIDATES)).all()
    seen, needs = set(), []
    for slot_id, task_id, title, org, starts, ends, place, city, missing in rows:
        if task_id in seen:
            continue
        seen.add(task_id)
        where = place if not city or city in (place or "") else f"{place}, {city}"
        needs.append(Need(slot_id, task_id, title, org, starts, ends, where or "", int(missing)))
        if len(needs) == limit:
            break
    return needs


def award_block(now: datetime) -> AwardBlock | None:
    year = awards.current_year(now)
    if year is None:
        return None
    phase = awards.phase_of(year, now)
    block = AwardBlock(phase, year.year, year.nominations_open_at, year.nominations_close_at, year.announce_at)
    if phase is Phase.announced:
        if now - year.announce_at > WINNERS_SHOWN_FOR:
            return None
        block.winners = award_winners.hall_of_fame(now=now).get(year.year, [])
    return block


def next_event(now: datetime) -> Event | None:
    return db.session.scalar(
        select(Event).where(Event.published_at.is_not(None), Event.published_at <= now, Event.ends_at > now)
        .order_by(Event.starts_at, Event.id).limit(1))


def front_page(now: datetime) -> FrontPage:
    count, missing = need_this_week(now)
    return FrontPage(need_count=count, places_missing=missing, needs=needs_soon(now), award=award_block(now),
                     stories=stories.latest_public(limit=3), event=next_event(now))
