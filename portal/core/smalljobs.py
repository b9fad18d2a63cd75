"""A volunteer's private small-jobs counter: how close this month's hours are to the limit they chose
themselves. Pure: numbers in, a verdict out. The portal does not know the law's limit; it only
compares with the person's own number."""

from dataclasses import dataclass

NEAR = 0.8          # "you are getting close" from 80 % of the person's own limit
LIMIT_MIN, LIMIT_MAX = 1, 200


@dataclass(frozen=True)
class Counter:
    done: float              # hours in the ledger this month (attended times, approved hours)
    booked: float            # hours on times the person is booked for this month, not yet counted
    limit: int | None        # the person's own monthly limit, None when not set

    @property
    def total(self) -> float:
        return round(self.done + self.booked, 1)

    @property
    def level(self) -> str:
        """"none" (no limit set), "ok", "near" (>= 80 %) or "over" (at or above the limit)."""
        return level(self.total, self.limit)

    @property
    def meter_value(self) -> float:
        """For a <meter max=limit>: the total, capped at the limit so the bar stays inside."""
        return min(self.total, float(self.limit)) if self.limit else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.total / self.limit) if self.limit else 0


def level(total: float, limit: int | None) -> str:
    if not limit:
        return "none"
    if total >= limit:
        return "over"
    if total >= NEAR * limit:
        return "near"
    return "ok"


def parse_limit(text: str | None) -> tuple[int | None, str | None]:
    """What was typed into the limit box: (hours, None), (None, None) for an empty box (no limit),
    or (None, reason) with reason "whole" (not a whole number) or "range" (outside 1..200)."""
    value = (text or "").strip()
    if not value:
        return None, None
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        return None, "whole"
    hours = int(value)
    if not LIMIT_MIN <= hours <= LIMIT_MAX:
        return None, "range"
    return hours, None
