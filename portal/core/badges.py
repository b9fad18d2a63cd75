"""The year's badge "Vi giver fri til frivillighed <year>": its criteria and its state, as pure
functions of facts and the clock (no Flask, no database).

A badge belongs to a calendar year in Dragør's time: earned in 2027, it is valid until New Year's
night 2028 in Copenhagen, whatever the UTC date is at that moment. A revoked badge stays revoked
for its year, and a badge of a company the coordinator has suspended is not valid while it is."""

import enum
from dataclasses import dataclass
from datetime import date, datetime, time

from portal.core.timeutil import to_local, to_utc

# The activity that earns a badge must lie within this many months before the moment it is checked.
ACTIVITY_MONTHS = 12


class Criterion(enum.Enum):
    approved = "approved"        # the coordinator approved the company
    policy = "policy"            # a published volunteer-leave policy
    activity = "activity"        # a completed task, team day or partnership in the last 12 months


class BadgeState(enum.Enum):
    valid = "valid"
    expired = "expired"
    revoked = "revoked"
    suspended = "suspended"      # the company is suspended: the badge says nothing while it is
    none = "none"                # never had one


@dataclass(frozen=True)
class Facts:
    """What is true of one company now; gathered by portal/companies/badges.py."""
    approved: bool = False
    policy_published: bool = False
    completed_task: bool = False   # an attended time of a linked, consenting employee
    team_day: bool = False         # a team sign-up whose time is over, with someone attending
    partnership: bool = False      # a deal done or evaluated

    @property
    def activity(self) -> bool:
        return self.completed_task or self.team_day or self.partnership


def missing(facts: Facts) -> list[Criterion]:
    """The criteria not met, in the order a company would work through them."""
    met = {Criterion.approved: facts.approved, Criterion.policy: facts.policy_published,
           Criterion.activity: facts.activity}
    return [criterion for criterion, ok in met.items() if not ok]


def earned(facts: Facts) -> bool:
    return not missing(facts)


def badge_year(now: datetime) -> int:
    """The year a badge earned at `now` is for: the calendar year in Copenhagen."""
    return to_local(now).year


def expires_at(year: int) -> datetime:
    """New Year's midnight after `year`, Copenhagen time, as UTC (23:00 UTC on 31 December)."""
    return to_utc(date(year + 1, 1, 1), time(0))


def last_valid_day(year: int) -> date:
    return date(year, 12, 31)


def activity_since(now: datetime) -> datetime:
    """The start of the last 12 months: the same local day and hour a year earlier
    (29 February falls back to the 28th)."""
    local = to_local(now)
    day = local.date()
    try:
        earlier = day.replace(year=day.year - 1)
    except ValueError:
        earlier = day.replace(year=day.year - 1, day=28)
    return to_utc(earlier, local.time().replace(tzinfo=None))


def state(*, revoked_at: datetime | None, expires: datetime | None, now: datetime,
          company_active: bool = True) -> BadgeState:
    """The state of the latest badge (`expires` None: there is none). Revoked beats expired:
    the page must say why a sticker is void, not only that its year is over."""
    if expires is None:
        return BadgeState.none
    if revoked_at is not None and revoked_at <= now:
        return BadgeState.revoked
    if now >= expires:
        return BadgeState.expired
    if not company_active:
        return BadgeState.suspended
    return BadgeState.valid
