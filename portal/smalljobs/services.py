"""The private small-jobs counter. Only the person reads it: no organisation page, roster, dashboard,
API or coordinator page calls these functions."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core.hours import Period, total
from portal.core.smalljobs import LIMIT_MAX, LIMIT_MIN, Counter
from portal.core.timeutil import month_bounds, to_local
from portal.errors import DomainError
from portal.extensions import db
from portal.hours.services import contributions
from portal.models import Signup, SignupState, Slot, Task, User, VolunteerProfile


class LimitOutOfRange(DomainError):
    message = _l("Enter a whole number of hours between %(min)d and %(max)d, or leave the box empty.",
                 min=LIMIT_MIN, max=LIMIT_MAX)
    field = "limit"


def limit_of(user: User) -> int | None:
    return db.session.scalar(select(VolunteerProfile.small_job_limit_hours)
                             .where(VolunteerProfile.user_id == user.id))


def set_limit(user: User, hours: int | None) -> VolunteerProfile:
    """Sets (or, with None, clears) the person's own monthly limit; makes their profile row if missing."""
    if hours is not None and (isinstance(hours, bool) or not LIMIT_MIN <= int(hours) <= LIMIT_MAX):
        raise LimitOutOfRange()
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is None:
        profile = VolunteerProfile(user_id=user.id)
        db.session.add(profile)
    profile.small_job_limit_hours = hours
    db.session.flush()
    return profile


def counter(user: User, *, now: datetime) -> Counter:
    """This calendar month in Copenhagen: hours on small jobs in the ledger, plus the small-job times
    the person is booked for this month that are not counted yet (not yet marked as attended)."""
    today = to_local(now).date()
    done = total(contributions(user=user, period=Period.month(today.year, today.month), small_jobs_only=True))
    start, end = month_bounds(today.year, today.month)
    booked_seconds = sum(
        (ends - starts).total_seconds() for starts, ends in db.session.execute(
            select(Slot.starts_at, Slot.ends_at).join(Signup, Signup.slot_id == Slot.id)
            .join(Task, Slot.task_id == Task.id)
            .where(Signup.user_id == user.id, Signup.state == SignupState.confirmed,
                   Signup.attendance.is_(None), Task.is_small_job.is_(True),
                   Slot.starts_at >= start, Slot.starts_at < end)))
    return Counter(done=done, booked=round(booked_seconds / 3600, 1), limit=limit_of(user))
