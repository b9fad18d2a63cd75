"""The volunteer-leave policy's arithmetic: amounts in tenths ("7,4" hours is 74), the hours a
year they come to, and the parts of the line on /companies. No Flask, no database."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HOURS = "hours"
DAYS = "days"
# A Danish full-time week is 37 hours over five days.
DEFAULT_MINUTES_PER_DAY = 444
MAX_AMOUNT_TENTHS = 10_000       # the database's check: at most 1000 hours or days a year
MAX_MINUTES_PER_DAY = 24 * 60


def parse_tenths(text: str) -> int | None:
    """ "7,4", "7.4", " 7 " → 74. None for anything else: empty, more than one decimal, a
    thousands separator, a sign, NaN or Infinity. Whether the amount is sensible is for the caller."""
    text = (text or "").strip().replace(",", ".")
    if not text or len(text) > 12 or not all(c in "0123456789." for c in text) or text.count(".") > 1:
        return None
    whole, _, decimal = text.partition(".")
    if len(decimal) > 1 or not (whole or decimal):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return int(value * 10)


def format_tenths(tenths: int, decimal_separator: str = ",") -> str:
    """74 → "7,4"; 10 → "1" (no ",0": people write "1 dag")."""
    whole, tenth = divmod(tenths, 10)
    return f"{whole}{decimal_separator}{tenth}" if tenth else str(whole)


def minutes_per_year(amount_tenths: int, unit: str, minutes_per_day: int = DEFAULT_MINUTES_PER_DAY) -> int:
    """Minutes a year per employee, the one number the list sorts by. Days count as
    `minutes_per_day` each; a fraction of a minute rounds half up."""
    per_unit = 60 if unit == HOURS else minutes_per_day
    return int((Decimal(amount_tenths) * per_unit / 10).to_integral_value(ROUND_HALF_UP))


def hours_tenths(minutes: int) -> int:
    """Minutes → hours in tenths, rounded half up: 444 → 74 (7,4 hours)."""
    return int((Decimal(minutes) / 6).to_integral_value(ROUND_HALF_UP))


@dataclass(frozen=True)
class LeaveLine:
    """What the line "Giver 1 dag (7,4 timer) om året til hver medarbejder" is made of."""
    unit: str
    amount_tenths: int
    hours_tenths: int

    @property
    def is_whole_one(self) -> bool:
        """Singular or plural: "1 dag", "1 time" but "1,5 dage", "7,4 timer"."""
        return self.amount_tenths == 10


def leave_line(amount_tenths: int, unit: str, minutes_per_day: int = DEFAULT_MINUTES_PER_DAY) -> LeaveLine:
    return LeaveLine(unit=unit, amount_tenths=amount_tenths,
                     hours_tenths=hours_tenths(minutes_per_year(amount_tenths, unit, minutes_per_day)))
