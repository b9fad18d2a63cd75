"""The year's badge: earned on checkable criteria, expiring with its year, revocable."""

from datetime import datetime


def award_badges(*, now: datetime) -> int:
    """tick: gives this year's badge to every company that meets the criteria and has none yet."""
    return 0
