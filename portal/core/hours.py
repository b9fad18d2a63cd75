"""The hours ledger's arithmetic, without a database: what counts is decided when the rows are read
(portal/hours/services.py); this adds them up by person, organisation, category or month."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Callable, Hashable, Iterable


class Source(Enum):
    attended = "attended"  # a time the organisation marked as attended: the time's length counts
    logged = "logged"      # an approved HoursEntry for an ongoing role: its minutes count


@dataclass(frozen=True)
class Contribution:
    user_id: int
    organisation_id: int
    category_id: int
    day: date        # local (Europe/Copenhagen) date of the work
    seconds: int
    source: Source


@dataclass(frozen=True)
class Period:
    """Local dates from `start` up to, not including, `end`; an open side is unbounded."""
    start: date | None = None
    end: date | None = None

    def __contains__(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day < self.end)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1))


def as_hours(seconds: float) -> float:
    """Hours to one decimal, as the portal shows them."""
    return round(seconds / 3600, 1)


def total(contributions: Iterable[Contribution]) -> float:
    return as_hours(sum(c.seconds for c in contributions))


BY: dict[str, Callable[[Contribution], Hashable]] = {
    "user": lambda c: c.user_id,
    "organisation": lambda c: c.organisation_id,
    "category": lambda c: c.category_id,
    "month": lambda c: (c.day.year, c.day.month),
    "year": lambda c: c.day.year,
}


def totals_by(contributions: Iterable[Contribution], key: str) -> dict[Hashable, float]:
    """{person|organisation|category|(year, month)|year: hours}, in key order."""
    seconds: dict[Hashable, int] = defaultdict(int)
    for contribution in contributions:
        seconds[BY[key](contribution)] += contribution.seconds
    return {k: as_hours(v) for k, v in sorted(seconds.items())}
