"""Weekly and fortnightly rules that materialise concrete times for a rolling horizon."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from portal.core.timeutil import to_utc


@dataclass(frozen=True)
class WeeklyRule:
    weekdays: frozenset[int]          # 0 = Monday … 6 = Sunday
    starts: time                      # local wall-clock time
    ends: time
    first_date: date
    last_date: date | None = None
    interval_weeks: int = 1           # 1 weekly, 2 fortnightly
    exceptions: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self):
        if not self.weekdays or not all(0 <= d <= 6 for d in self.weekdays):
            raise ValueError("weekdays must be a non-empty set of 0..6")
        if self.ends <= self.starts:
            raise ValueError("a slot must end after it starts")
        if self.interval_weeks not in (1, 2):
            raise ValueError("only weekly and fortnightly rules")
        if self.last_date is not None and self.last_date < self.first_date:
            raise ValueError("the rule ends before it starts")


@dataclass(frozen=True)
class Occurrence:
    day: date                 # the local date; together with the task it identifies the slot
    starts_at: datetime       # UTC
    ends_at: datetime         # UTC


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def occurrences(rule: WeeklyRule, window_start: date, window_end: date) -> list[Occurrence]:
    """Occurrences on local dates window_start..window_end (both included). The local hour
    is the same every time, so the UTC hour shifts across daylight-saving changes."""
    start = max(rule.first_date, window_start)
    end = window_end if rule.last_date is None else min(rule.last_date, window_end)
    anchor = _monday(rule.first_date)
    found = []
    day = start
    while day <= end:
        weeks = (_monday(day) - anchor).days // 7
        if (day.weekday() in rule.weekdays and weeks % rule.interval_weeks == 0
                and day not in rule.exceptions):
            found.append(Occurrence(day, to_utc(day, rule.starts), to_utc(day, rule.ends)))
        day += timedelta(days=1)
    return found
