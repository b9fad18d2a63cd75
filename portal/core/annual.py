"""The annual volunteering account's arithmetic (frivillighedsregnskab), without a database: the
rows are read in portal/coordinator/annual_queries.py from the one hours ledger."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Hashable, Iterable

from portal.core.hours import Contribution, as_hours


@dataclass(frozen=True)
class Change:
    """How this year compares with the one before: +12 (%) more, -5 fewer; `same` when equal."""
    percent: int
    previous: float

    @property
    def up(self) -> bool:
        return self.percent > 0

    @property
    def down(self) -> bool:
        return self.percent < 0


def change(current: float, previous: float) -> Change | None:
    """None when there is nothing to compare with (the year before had none)."""
    if not previous or previous <= 0:
        return None
    return Change(round((current - previous) * 100 / previous), previous)


def volunteers(contributions: Iterable[Contribution]) -> int:
    """People with counted hours (a contribution of zero seconds does not make a volunteer)."""
    seconds: dict[int, int] = defaultdict(int)
    for c in contributions:
        seconds[c.user_id] += c.seconds
    return sum(1 for s in seconds.values() if s > 0)


def organisations(contributions: Iterable[Contribution]) -> set[int]:
    return {c.organisation_id for c in contributions if c.seconds > 0}


def per_month(contributions: Iterable[Contribution], year: int) -> list[float]:
    """Hours in each of the year's 12 months (January first), zeros included."""
    seconds = [0] * 12
    for c in contributions:
        if c.day.year == year:
            seconds[c.day.month - 1] += c.seconds
    return [as_hours(s) for s in seconds]


def ranked(contributions: Iterable[Contribution], key: str, limit: int | None = None) -> list[tuple[Hashable, float]]:
    """(organisation or category id, hours), most hours first, ties by id; at most `limit`."""
    seconds: dict[Hashable, int] = defaultdict(int)
    for c in contributions:
        seconds[getattr(c, key)] += c.seconds
    ordered = sorted(((k, s) for k, s in seconds.items() if s > 0), key=lambda kv: (-kv[1], kv[0]))
    if limit is not None:
        ordered = ordered[:limit]
    return [(k, as_hours(s)) for k, s in ordered]


def kroner(ore: int) -> float:
    return round(ore / 100, 2)


def sheet_number(value):
    """A cell Danish Excel and LibreOffice read as the number it is: whole numbers as they are,
    others with a decimal comma ("9,5"; "9.5" would become the 9th of May). Text is left alone."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".rstrip("0").replace(".", ",")
    return int(value)
