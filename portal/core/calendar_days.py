"""The days of a calendar page: a few times each and how many more, built in one pass.

A national month holds hundreds of thousands of open times. A calendar page shows at most a
few per day and an exact count of the rest (the rest is one link away, in the day's list),
so its size stays the same however much data there is. The database picks the times
(portal.tasks.listing.calendar); this module only cuts the month into local days, groups the
picked times, and formats each clock time once per distinct minute: formatting with Babel is
what made a time costly to render, and a busy day repeats the same few starting times."""

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from portal.core.timeutil import to_local, to_utc


def day_edges(first: date, days: int) -> list[datetime]:
    """The UTC instants at which each of `days` local days from `first` begins, then the
    instant the last one ends: days + 1 edges. Local days are 23 or 25 hours long across a
    daylight-saving change, so the edges are worked out day by day, not by adding 24 hours."""
    return [to_utc(first + timedelta(days=i), time(0)) for i in range(days + 1)]


def day_number(moment: datetime, edges: list[datetime]) -> int | None:
    """Which of the days a UTC moment falls on (0 for the first), None outside them. The
    database does the same with a CASE over the same edges; this is its reference."""
    if not edges or moment < edges[0] or moment >= edges[-1]:
        return None
    return bisect_right(edges, moment) - 1


def free_level(free: int) -> str:
    """How a number of free places is shown: "none" (full, waitlist), "few" (one left) or ""."""
    return "none" if free <= 0 else "few" if free == 1 else ""


@dataclass(frozen=True)
class CalendarTime:
    slot_id: int
    task_id: int
    title: str
    organisation: str
    starts: str            # "13.00" in Danish, "1:00 PM" in English
    ends: str
    free: int
    free_text: str         # "2 pladser tilbage"

    @property
    def free_level(self) -> str:
        return free_level(self.free)


@dataclass
class CalendarDay:
    day: date
    total: int                                   # every matching time that day, shown or not
    times: list[CalendarTime] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many of the day's times are left for the day's list ("+N more")."""
        return max(self.total - len(self.times), 0)


class Memo:
    """A function remembered by key, for formatting that repeats (the same clock time, the
    same number of free places) hundreds of times on one page."""

    def __init__(self, function: Callable, key: Callable = lambda value: value):
        self._function, self._key, self._seen = function, key, {}

    def __call__(self, value):
        key = self._key(value)
        try:
            return self._seen[key]
        except KeyError:
            result = self._seen[key] = self._function(value)
            return result


def clock_memo(format_clock: Callable[[datetime], str]) -> Memo:
    """format_clock(local datetime) once per local hour and minute."""
    return Memo(format_clock, key=lambda local: (local.hour, local.minute))


def build_days(rows: Iterable, totals: dict[int, int], *, edges: list[datetime],
               format_clock: Callable[[datetime], str], describe_free: Callable[[int], str]) -> dict[date, CalendarDay]:
    """The calendar's days. `edges` are the days' bounds (day_edges); `totals` counts every
    matching time by day number (0 = the first day); `rows` are the times picked to be shown, in
    order, each with id, task_id, title, organisation, starts_at, ends_at (UTC), capacity and taken."""
    first = to_local(edges[0]).date()
    clock, places = clock_memo(format_clock), Memo(describe_free)
    days = {first + timedelta(days=n): CalendarDay(day=first + timedelta(days=n), total=total)
            for n, total in sorted(totals.items()) if total}
    for row in rows:
        n = day_number(row.starts_at, edges)
        entry = days.get(first + timedelta(days=n)) if n is not None else None
        if entry is None:          # added between the two queries: it is counted next time
            continue
        free = max(row.capacity - row.taken, 0)
        entry.times.append(CalendarTime(slot_id=row.id, task_id=row.task_id, title=row.title,
                                        organisation=row.organisation, starts=clock(to_local(row.starts_at)),
                                        ends=clock(to_local(row.ends_at)), free=free, free_text=places(free)))
    return days
