"""Stored in UTC, entered and shown in Europe/Copenhagen."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Copenhagen")


def to_utc(day: date, at: time) -> datetime:
    """A local wall-clock time on a local date, as an aware UTC datetime. A time that does
    not exist (the hour skipped in spring) moves forward like a wall clock does."""
    local = datetime.combine(day, at, tzinfo=LOCAL)
    round_trip = local.astimezone(timezone.utc).astimezone(LOCAL)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        local = datetime.combine(day, at, tzinfo=LOCAL) + timedelta(hours=1)
    return local.astimezone(timezone.utc)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which a local calendar day starts and ends (23 or 25 hours on DST days)."""
    return to_utc(day, time(0)), to_utc(day + timedelta(days=1), time(0))


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return to_utc(first, time(0)), to_utc(following, time(0))
