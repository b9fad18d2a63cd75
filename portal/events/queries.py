"""What the event pages read. A fixed number of queries per page, however many tasks, times and
people: the event, its programme, its tasks, their times, the first-timer count, the call."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from portal.access import public_task_clause
from portal.extensions import db
from portal.models import (AwardYear, Call, CallStatus, Event, EventItem, Organisation, OrganisationStatus, Signup,
                           SignupState, Slot, SlotStatus, Task)


def upcoming_events(*, now: datetime) -> list[Event]:
    """Published events that have not ended, soonest first."""
    return list(db.session.scalars(select(Event).where(Event.published_at.is_not(None), Event.ends_at > now)
                                   .order_by(Event.starts_at, Event.id)))


def all_events() -> list[Event]:
    """The coordinator's list: every event, newest first."""
    return list(db.session.scalars(select(Event).order_by(Event.starts_at.desc(), Event.id.desc())))


def items_of(event: Event) -> list[EventItem]:
    return list(db.session.scalars(select(EventItem).where(EventItem.event_id == event.id)
                                   .order_by(EventItem.starts_at, EventItem.id)))


@dataclass
class EventTask:
    task: Task
    slots: list[Slot]


def event_tasks(event: Event, *, now: datetime) -> list[EventTask]:
    """The event's public tasks (taster tasks first) with their times that have not ended: two queries."""
    tasks = list(db.session.scalars(
        select(Task).join(Organisation, Organisation.id == Task.organisation_id)
        .where(Task.event_id == event.id, public_task_clause())
        .options(joinedload(Task.organisation))
        .order_by(Task.is_taster.desc(), Task.title, Task.id)))
    by_task: dict[int, list[Slot]] = {task.id: [] for task in tasks}
    if tasks:
        for slot in db.session.scalars(select(Slot).where(Slot.task_id.in_(list(by_task)), Slot.ends_at > now,
                                                          Slot.status == SlotStatus.open)
                                       .order_by(Slot.starts_at, Slot.id)):
            by_task[slot.task_id].append(slot)
    return [EventTask(task, by_task[task.id]) for task in tasks]


def first_timer_count(event: Event) -> int:
    """People whose first sign-up ever (by when they signed up, any task, even one they later
    cancelled) is for one of this event's times, and who still have a place at one of them (confirmed:
    the waitlist is not coming yet). portal.core.events.first_timers says the same in Python. One query."""
    on_event = select(Slot.id).join(Task, Task.id == Slot.task_id).where(Task.event_id == event.id)
    first_here = (select(Signup.user_id.label("user_id"), func.min(Signup.created_at).label("first_at"))
                  .where(Signup.slot_id.in_(on_event)).group_by(Signup.user_id).subquery())
    earlier = aliased(Signup)
    live = aliased(Signup)
    earlier_elsewhere = exists(select(earlier.id).where(
        earlier.user_id == first_here.c.user_id, earlier.created_at < first_here.c.first_at,
        earlier.slot_id.not_in(on_event)))
    still_signed_up = exists(select(live.id).where(
        live.user_id == first_here.c.user_id, live.slot_id.in_(on_event), live.state == SignupState.confirmed))
    return db.session.scalar(select(func.count()).select_from(first_here)
                             .where(~earlier_elsewhere, still_signed_up)) or 0


def call_before(event: Event):
    """The public call for input before the meeting: the Call whose meeting task is one of the
    event's tasks (portal/models/voice.py), or None."""
    return db.session.scalar(
        select(Call).join(Task, Task.id == Call.meeting_task_id)
        .outerjoin(Organisation, Organisation.id == Call.organisation_id)
        .where(Task.event_id == event.id, Call.status != CallStatus.draft,
               or_(Call.organisation_id.is_(None), Organisation.status == OrganisationStatus.approved))
        .order_by(Call.id).limit(1))


def award_years() -> list[AwardYear]:
    return list(db.session.scalars(select(AwardYear).order_by(AwardYear.year.desc())))


def event_choices(*, now: datetime, keep_id: int | None = None) -> list[tuple[int, str, datetime]]:
    """(id, title, starts_at) of the published events a task may join: those not yet ended, and
    the one the task already belongs to (so editing an old task does not drop it)."""
    condition = and_(Event.published_at.is_not(None), Event.ends_at > now)
    if keep_id is not None:
        condition = or_(condition, Event.id == keep_id)
    return [tuple(row) for row in db.session.execute(
        select(Event.id, Event.title, Event.starts_at).where(condition).order_by(Event.starts_at, Event.id))]


def may_join(event_id: int, *, now: datetime, keep_id: int | None = None) -> bool:
    return any(row[0] == event_id for row in event_choices(now=now, keep_id=keep_id))


def event_of(task: Task):
    """The published event a task belongs to, as (slug, title), or None."""
    if task.event_id is None:
        return None
    return db.session.execute(select(Event.slug, Event.title).where(
        Event.id == task.event_id, Event.published_at.is_not(None))).first()
