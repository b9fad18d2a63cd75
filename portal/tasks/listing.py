"""Finding tasks and times for the public list and the calendar views."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (Category, Organisation, OrganisationStatus, Slot, SlotStatus, Task, TaskKind,
                           TaskStatus)

PAGE_SIZE = 20


@dataclass
class Filters:
    category: str | None = None
    organisation: str | None = None
    kind: str | None = None
    first: date | None = None
    last: date | None = None

    def as_args(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in {
            "category": self.category, "organisation": self.organisation, "kind": self.kind,
            "from": self.first, "to": self.last}.items() if v}


def parse_filters(args) -> Filters:
    def day(name):
        try:
            return date.fromisoformat(args.get(name, ""))
        except ValueError:
            return None
    kind = args.get("kind")
    return Filters(category=args.get("category") or None, organisation=args.get("organisation") or None,
                   kind=kind if kind in {k.value for k in TaskKind} else None, first=day("from"), last=day("to"))


def _public_tasks(filters: Filters):
    query = (select(Task).join(Task.organisation).join(Task.category)
             .where(Task.status == TaskStatus.published, Organisation.status == OrganisationStatus.approved))
    if filters.category:
        query = query.where(Category.slug == filters.category)
    if filters.organisation:
        query = query.where(Organisation.slug == filters.organisation)
    if filters.kind:
        query = query.where(Task.kind == TaskKind(filters.kind))
    return query


def public_slots(filters: Filters, *, start: datetime, end: datetime) -> list[Slot]:
    """Open times of public tasks in [start, end), with task, organisation and category loaded."""
    query = (select(Slot).join(Slot.task).join(Task.organisation).join(Task.category)
             .options(contains_eager(Slot.task).contains_eager(Task.organisation),
                      contains_eager(Slot.task).contains_eager(Task.category))
             .where(Task.status == TaskStatus.published, Organisation.status == OrganisationStatus.approved,
                    Slot.status == SlotStatus.open, Slot.starts_at >= start, Slot.starts_at < end)
             .order_by(Slot.starts_at, Slot.id))
    if filters.category:
        query = query.where(Category.slug == filters.category)
    if filters.organisation:
        query = query.where(Organisation.slug == filters.organisation)
    if filters.kind:
        query = query.where(Task.kind == TaskKind(filters.kind))
    return list(db.session.scalars(query))


def window(filters: Filters, now: datetime) -> tuple[datetime, datetime]:
    start = max(now, to_utc(filters.first, time(0))) if filters.first else now
    end = to_utc(filters.last + timedelta(days=1), time(0)) if filters.last else now + timedelta(days=366)
    return start, end


@dataclass
class TaskRow:
    task: Task
    next_slots: list[Slot]
    free: int


def task_rows(filters: Filters, *, now: datetime, page: int) -> tuple[list[TaskRow], bool]:
    """Tasks with their next open times (ongoing roles need no times), soonest first."""
    start, end = window(filters, now)
    slots = public_slots(filters, start=start, end=end)
    by_task: dict[int, TaskRow] = {}
    for slot in slots:
        row = by_task.setdefault(slot.task_id, TaskRow(slot.task, [], 0))
        if len(row.next_slots) < 3:
            row.next_slots.append(slot)
        row.free += slot.free
    rows = list(by_task.values())
    if filters.kind in (None, TaskKind.ongoing.value):
        ongoing = db.session.scalars(_public_tasks(filters).where(Task.kind == TaskKind.ongoing)
                                     .options(contains_eager(Task.organisation), contains_eager(Task.category))
                                     .order_by(Task.title)).all()
        rows += [TaskRow(t, [], 0) for t in ongoing if t.id not in by_task]
    offset = (page - 1) * PAGE_SIZE
    return rows[offset:offset + PAGE_SIZE], len(rows) > offset + PAGE_SIZE


def slots_by_day(slots: list[Slot]) -> dict[date, list[Slot]]:
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(to_local(slot.starts_at).date(), []).append(slot)
    return days


def organisation_tasks(org: Organisation) -> list[Task]:
    return list(db.session.scalars(select(Task).options(joinedload(Task.category))
                                   .where(Task.organisation_id == org.id)
                                   .order_by(Task.status, Task.title)))
