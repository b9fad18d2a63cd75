"""Reading the hours ledger. Two statements whatever the filters: attended times and approved entries.

What counts: a signup whose attendance is `attended` counts its time's length; an HoursEntry counts its
minutes once approved. Pending and rejected entries and no-shows count nothing. A time belongs to the
local date it starts on."""

from datetime import time

from sqlalchemy import select

from portal.core.hours import Contribution, Period, Source, total, totals_by
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import Attendance, HoursEntry, HoursStatus, Signup, Slot, Task


def _ident(thing) -> int | None:
    return getattr(thing, "id", thing)


def contributions(*, user=None, organisation=None, category=None, period: Period | None = None,
                  users=None, small_jobs_only: bool = False) -> list[Contribution]:
    """Every counted piece of work matching the filters (a model or its id for each; None: all).
    `users` narrows to a group of people (ids or a SELECT of ids), e.g. a company's consenting staff.
    `small_jobs_only`: work on tasks marked as small jobs (a volunteer's private counter, issue 13)."""
    user_id, organisation_id, category_id = _ident(user), _ident(organisation), _ident(category)

    attended = (select(Signup.user_id, Task.organisation_id, Task.category_id, Slot.starts_at, Slot.ends_at)
                .select_from(Signup).join(Slot, Signup.slot_id == Slot.id).join(Task, Slot.task_id == Task.id)
                .where(Signup.attendance == Attendance.attended))
    logged = (select(HoursEntry.user_id, Task.organisation_id, Task.category_id, HoursEntry.worked_on,
                     HoursEntry.minutes)
              .select_from(HoursEntry).join(Task, HoursEntry.task_id == Task.id)
              .where(HoursEntry.status == HoursStatus.approved))
    if user_id is not None:
        attended = attended.where(Signup.user_id == user_id)
        logged = logged.where(HoursEntry.user_id == user_id)
    if users is not None:
        attended = attended.where(Signup.user_id.in_(users))
        logged = logged.where(HoursEntry.user_id.in_(users))
    if organisation_id is not None:
        attended = attended.where(Task.organisation_id == organisation_id)
        logged = logged.where(Task.organisation_id == organisation_id)
    if category_id is not None:
        attended = attended.where(Task.category_id == category_id)
        logged = logged.where(Task.category_id == category_id)
    if small_jobs_only:
        attended = attended.where(Task.is_small_job.is_(True))
        logged = logged.where(Task.is_small_job.is_(True))
    if period is not None and period.start is not None:
        attended = attended.where(Slot.starts_at >= to_utc(period.start, time(0)))
        logged = logged.where(HoursEntry.worked_on >= period.start)
    if period is not None and period.end is not None:
        attended = attended.where(Slot.starts_at < to_utc(period.end, time(0)))
        logged = logged.where(HoursEntry.worked_on < period.end)

    # Plain rows through the session's connection (after the flush autoflush would do): the ORM's
    # row processing made reading 20,000 times three times slower (the dashboards read many).
    db.session.flush()
    connection = db.session.connection()
    found = [Contribution(u, o, c, to_local(start).date(), round((end - start).total_seconds()), Source.attended)
             for u, o, c, start, end in connection.execute(attended).all()]
    found += [Contribution(u, o, c, day, minutes * 60, Source.logged)
              for u, o, c, day, minutes in connection.execute(logged).all()]
    return found


def total_hours(*, user=None, organisation=None, category=None, period: Period | None = None,
                users=None) -> float:
    """Hours to one decimal, e.g. a person's hours as a volunteer (`total_hours(user=karen)`)."""
    return total(contributions(user=user, organisation=organisation, category=category, period=period,
                               users=users))


def hours_by(key: str, *, user=None, organisation=None, category=None, period: Period | None = None) -> dict:
    """Hours per "user", "organisation", "category", "month" ((year, month)) or "year"."""
    return totals_by(contributions(user=user, organisation=organisation, category=category, period=period), key)
