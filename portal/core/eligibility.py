"""Who may sign up for which slot. Pure: facts in, a decision with reasons out.
The same decision is shown before a try and enforced on the server during it."""

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from portal.core.people import age_on
from portal.core.timeutil import to_local


class Reason(enum.Enum):
    not_open = "not_open"                  # cancelled slot, paused/closed task or inactive organisation
    started = "started"                    # the slot has begun or is over
    too_young = "too_young"
    needs_clearance = "needs_clearance"    # børneattest not recorded by this organisation
    over_monthly_cap = "over_monthly_cap"
    full = "full"                          # may still join the waitlist
    overlap = "overlap"                    # a warning only


@dataclass(frozen=True)
class SlotFacts:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    is_open: bool
    min_age: int | None = None
    needs_clearance: bool = False


@dataclass(frozen=True)
class PersonFacts:
    birth_date: date | None
    has_clearance: bool = False
    max_hours_per_month: float | None = None
    # (starts_at, ends_at) of the person's other confirmed slots
    booked: tuple[tuple[datetime, datetime], ...] = ()

    @cached_property
    def booked_hours_by_month(self) -> dict[tuple[int, int], float]:
        """Booked hours per local (year, month), worked out once per person: ranking asks for
        every candidate time, and converting every booking to local time again for each one was
        most of the suggestions' work on "Min side" (issue 9)."""
        return booked_hours_by_month(self.booked)


@dataclass(frozen=True)
class Decision:
    blockers: tuple[Reason, ...] = ()
    warnings: tuple[Reason, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def can_sign_up(self) -> bool:
        return not self.blockers

    @property
    def can_join_waitlist(self) -> bool:
        return self.blockers == (Reason.full,)


def hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def booked_hours_by_month(booked) -> dict[tuple[int, int], float]:
    """Hours of booked slots by the local calendar month they start in."""
    totals: dict[tuple[int, int], float] = {}
    for s, e in booked:
        local = to_local(s)
        key = (local.year, local.month)
        totals[key] = totals.get(key, 0) + hours(s, e)
    return totals


def decide(person: PersonFacts, slot: SlotFacts, *, now: datetime) -> Decision:
    blockers: list[Reason] = []
    extra: dict = {}
    if not slot.is_open:
        blockers.append(Reason.not_open)
    if slot.starts_at <= now:
        blockers.append(Reason.started)
    if slot.min_age:
        age = age_on(person.birth_date, to_local(slot.starts_at).date()) if person.birth_date else None
        if age is None or age < slot.min_age:
            blockers.append(Reason.too_young)
            extra["min_age"] = slot.min_age
    if slot.needs_clearance and not person.has_clearance:
        blockers.append(Reason.needs_clearance)
    if person.max_hours_per_month is not None:
        local = to_local(slot.starts_at)
        already = person.booked_hours_by_month.get((local.year, local.month), 0)
        if already + hours(slot.starts_at, slot.ends_at) > person.max_hours_per_month + 1e-9:
            blockers.append(Reason.over_monthly_cap)
            extra.update(cap=person.max_hours_per_month, booked=already)
    if slot.taken >= slot.capacity:
        blockers.append(Reason.full)
    overlaps = any(s < slot.ends_at and slot.starts_at < e for s, e in person.booked)
    return Decision(tuple(blockers), (Reason.overlap,) if overlaps else (), extra)
