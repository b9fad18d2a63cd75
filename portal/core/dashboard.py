"""The dashboards' arithmetic, without a database (portal/dashboards/queries.py reads the rows).

A period is a run of local (Europe/Copenhagen) dates from `start` up to, not including, `end`;
every figure is compared with the period of the same length just before it. Hours come from the
one hours ledger (portal.core.hours.Contribution rows); the rest are counts the queries hand in as
plain tuples."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Hashable, Iterable, Sequence

from portal.core.annual import Change, change
from portal.core.hours import Contribution, as_hours
from portal.core.timeutil import to_local

MAX_DAYS = 3660               # a custom period may cover at most ten years (with leap days)
URGENT_DAYS = 14              # "times needing people" looks this far ahead
CLEARANCE_YEARS = 2           # a børneattest check older than this is flagged

# Age bands, youngest first; the key is what the CSV and the code use, the label is translated by
# the route. Ages are counted on the period's last day.
AGE_BANDS = ("under_18", "18_29", "30_49", "50_66", "67_plus", "unknown")

__all__ = ["Change", "change"]


# --- the period -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    start: date          # first local day
    end: date            # the day after the last

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def previous(self) -> "Span":
        """The period of the same number of days just before this one; a calendar month or year is
        compared with the calendar month or year before (same kind of length, as people expect)."""
        if self.start.day == 1 and self.end.day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
            year, month = divmod(self.start.year * 12 + self.start.month - 1 - months, 12)
            if year >= 1:
                return Span(date(year, month + 1, 1), self.start)
        try:
            return Span(self.start - timedelta(days=self.days), self.start)
        except OverflowError:
            return Span(self.start, self.start)

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end


def this_month(today: date) -> Span:
    return Span(today.replace(day=1), _next_month(today.year, today.month))


def last_twelve_months(today: date) -> Span:
    """The current month and the eleven before it (whole calendar months)."""
    year, month = divmod(today.year * 12 + today.month - 1 - 11, 12)
    return Span(date(year, month + 1, 1), _next_month(today.year, today.month))


def calendar_year(year: int) -> Span:
    return Span(date(year, 1, 1), date(year + 1, 1, 1))


def custom(first: date, last: date) -> Span:
    """From `first` to `last`, both included. Raises ValueError with the reason ("order" or
    "too_long") when the two days do not make a period the dashboard can show."""
    if first > last:
        raise ValueError("order")
    if (last - first).days + 1 > MAX_DAYS:
        raise ValueError("too_long")
    return Span(first, last + timedelta(days=1))


def _next_month(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1)


def months_in(span: Span) -> list[tuple[int, int]]:
    """(year, month) for every calendar month the period touches, in order."""
    found, year, month = [], span.start.year, span.start.month
    while date(year, month, 1) < span.end:
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


# --- small pieces -----------------------------------------------------------------------------

def rate(part: float, whole: float) -> float | None:
    """A percentage to one decimal; None when there is nothing to divide by."""
    if not whole or whole <= 0:
        return None
    return round(part * 100 / whole, 1)


def rate_change(current: float | None, previous: float | None) -> Change | None:
    """How a rate compares: the difference in percentage points is not what people read as
    "+12 %", so rates are compared like any figure (relative change)."""
    if current is None or previous is None:
        return None
    return change(current, previous)


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None or birth > day:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(birth: date | None, day: date) -> str:
    age = age_on(birth, day)
    if age is None:
        return "unknown"
    if age < 18:
        return "under_18"
    if age < 30:
        return "18_29"
    if age < 50:
        return "30_49"
    if age < 67:
        return "50_66"
    return "67_plus"


def split(contributions: Iterable[Contribution], span: Span) -> tuple[list[Contribution], list[Contribution]]:
    """The ledger's rows for this period and for the one before (others are dropped)."""
    before = span.previous
    current, previous = [], []
    for c in contributions:
        if c.day in span:
            current.append(c)
        elif c.day in before:
            previous.append(c)
    return current, previous


def hours_ranked(contributions: Iterable[Contribution], key: str) -> list[tuple[Hashable, float]]:
    """(organisation or category id, hours), most hours first, ties by id."""
    seconds: dict[Hashable, int] = defaultdict(int)
    for c in contributions:
        seconds[getattr(c, key)] += c.seconds
    ordered = sorted(((k, s) for k, s in seconds.items() if s > 0), key=lambda kv: (-kv[1], kv[0]))
    return [(k, as_hours(s)) for k, s in ordered]


def hours_per_month(contributions: Iterable[Contribution], span: Span) -> list[tuple[tuple[int, int], float]]:
    """Every month of the period with its hours (zeros included)."""
    seconds: dict[tuple[int, int], int] = defaultdict(int)
    for c in contributions:
        seconds[(c.day.year, c.day.month)] += c.seconds
    return [(month, as_hours(seconds.get(month, 0))) for month in months_in(span)]


def people(contributions: Iterable[Contribution]) -> set[int]:
    """The people the ledger counts (a contribution of zero seconds does not make a volunteer)."""
    seconds: dict[int, int] = defaultdict(int)
    for c in contributions:
        seconds[c.user_id] += c.seconds
    return {u for u, s in seconds.items() if s > 0}


def active_per_month(contributions: Iterable[Contribution], span: Span) -> list[tuple[tuple[int, int], int]]:
    """Distinct people with counted work in each month of the period."""
    seen: dict[tuple[int, int], set[int]] = defaultdict(set)
    for c in contributions:
        if c.seconds > 0:
            seen[(c.day.year, c.day.month)].add(c.user_id)
    return [(month, len(seen.get(month, ()))) for month in months_in(span)]


def per_month(days: Iterable[date], span: Span) -> list[tuple[tuple[int, int], int]]:
    """How many of `days` fall in each month of the period (new accounts per month)."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for day in days:
        if day in span:
            counts[(day.year, day.month)] += 1
    return [(month, counts.get(month, 0)) for month in months_in(span)]


def per_band(births: Iterable[date | None], day: date) -> list[tuple[str, int]]:
    """How many people fall in each age band on `day` (every band listed, zeros included)."""
    counts = dict.fromkeys(AGE_BANDS, 0)
    for birth in births:
        counts[age_band(birth, day)] += 1
    return list(counts.items())


# --- fill rate ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fill:
    key: Hashable
    capacity: int
    taken: int

    @property
    def percent(self) -> float | None:
        return rate(self.taken, self.capacity)


def fill_by(rows: Iterable[tuple[Hashable, int, int]]) -> list[Fill]:
    """(key, capacity, taken) rows, several per key allowed, as one Fill per key: the emptiest
    first (where help is most needed), then by key."""
    capacity: dict[Hashable, int] = defaultdict(int)
    taken: dict[Hashable, int] = defaultdict(int)
    for key, cap, took in rows:
        capacity[key] += max(int(cap or 0), 0)
        taken[key] += max(int(took or 0), 0)
    fills = [Fill(k, capacity[k], taken[k]) for k in capacity if capacity[k] > 0]
    return sorted(fills, key=lambda f: (f.taken / f.capacity, str(f.key)))


def fill_total(rows: Iterable[tuple[Hashable, int, int]]) -> Fill:
    rows = list(rows)
    return Fill(None, sum(max(int(c or 0), 0) for _, c, _ in rows), sum(max(int(t or 0), 0) for _, _, t in rows))


# --- times needing people -----------------------------------------------------------------------

@dataclass(frozen=True)
class Need:
    slot_id: int
    task_id: int
    task_title: str
    organisation_name: str
    starts_at: datetime
    capacity: int
    taken: int

    @property
    def missing(self) -> int:
        return max(self.capacity - self.taken, 0)


def most_urgent(needs: Sequence[Need], *, now: datetime, limit: int = 25) -> list[Need]:
    """Times that are not full, starting within URGENT_DAYS: the soonest (local) day first, and on
    one day the emptiest (the smallest share of places taken), then by time."""
    horizon = now + timedelta(days=URGENT_DAYS)
    open_ = [n for n in needs if now <= n.starts_at < horizon and n.capacity > n.taken]
    open_.sort(key=lambda n: (to_local(n.starts_at).date(), n.taken / n.capacity if n.capacity else 1, n.starts_at, n.slot_id))
    return open_[:limit]


# --- people -----------------------------------------------------------------------------------

def first_timers(first_days: Iterable[tuple[int, date]], span: Span) -> int:
    """People whose first attended time ever falls in the period: (user id, first day) rows."""
    return sum(1 for _, day in first_days if day in span)


@dataclass(frozen=True)
class NoShows:
    attended: int
    no_show: int

    @property
    def percent(self) -> float | None:
        return rate(self.no_show, self.attended + self.no_show)
