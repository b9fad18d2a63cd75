"""Reading the hours ledger. Two statements whatever the filters: attended times and approved entries.

What counts: a signup whose attendance is `attended` counts its time's length; an HoursEntry counts its
minutes once approved. Pending and rejected entries and no-shows count nothing. A time belongs to the
local date it starts on."""

from collections.abc import Sequence
from datetime import date, time

from sqlalchemy import BigInteger, Integer, case, cast, func, literal, select, union_all

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


# --- summing in the database (the dashboards at national scale) --------------------------------
#
# The same rules as contributions() above, but the database adds the seconds up, so a year of a
# whole country's attended times is not read row by row. A piece of work falls into a "bucket":
# bucket i holds the local days boundaries[i] <= day < boundaries[i + 1]. For an attended time
# the local day it starts on is decided by comparing its UTC start with the UTC instants at which
# those local days begin (worked out in Python: exact across DST nights and month ends on both
# databases); for an entry, its worked_on date is compared with the dates themselves.

GROUPS = ("user", "organisation", "category")


def _seconds(dialect: str, starts, ends):
    """The whole seconds between two stored instants, as contributions() rounds them (per piece)."""
    if dialect == "postgresql":
        length = func.extract("epoch", ends - starts)
    else:   # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" UTC text, which julianday() reads
        length = (func.julianday(ends) - func.julianday(starts)) * 86400
    return cast(func.round(length), BigInteger)


def _bucket(column, edges: Sequence):
    """The bucket of a value already known to lie within [edges[0], edges[-1])."""
    if len(edges) == 2:
        return literal(0, Integer)
    return case(*((column < edge, i) for i, edge in enumerate(edges[1:-1])), else_=len(edges) - 2)


def counted(*, boundaries: Sequence[date], organisation=None, users=None):
    """A subquery: one row per counted piece of work whose local day lies in
    [boundaries[0], boundaries[-1]): user_id, organisation_id, category_id, bucket, seconds.
    `organisation` and `users` filter as in contributions()."""
    boundaries = sorted(set(boundaries))
    if len(boundaries) < 2:
        raise ValueError("at least two boundaries are needed")
    organisation_id = _ident(organisation)
    instants = [to_utc(day, time(0)) for day in boundaries]
    dialect = db.session.get_bind().dialect.name
    attended = (select(Signup.user_id.label("user_id"), Task.organisation_id.label("organisation_id"),
                       Task.category_id.label("category_id"),
                       _bucket(Slot.starts_at, instants).label("bucket"),
                       _seconds(dialect, Slot.starts_at, Slot.ends_at).label("seconds"))
                .select_from(Signup).join(Slot, Signup.slot_id == Slot.id).join(Task, Slot.task_id == Task.id)
                .where(Signup.attendance == Attendance.attended, Slot.starts_at >= instants[0],
                       Slot.starts_at < instants[-1]))
    logged = (select(HoursEntry.user_id, Task.organisation_id, Task.category_id,
                     _bucket(HoursEntry.worked_on, boundaries),
                     cast(HoursEntry.minutes * 60, BigInteger))
              .select_from(HoursEntry).join(Task, HoursEntry.task_id == Task.id)
              .where(HoursEntry.status == HoursStatus.approved, HoursEntry.worked_on >= boundaries[0],
                     HoursEntry.worked_on < boundaries[-1]))
    if users is not None:
        attended = attended.where(Signup.user_id.in_(users))
        logged = logged.where(HoursEntry.user_id.in_(users))
    if organisation_id is not None:
        attended = attended.where(Task.organisation_id == organisation_id)
        logged = logged.where(Task.organisation_id == organisation_id)
    return union_all(attended, logged).subquery("counted")


def hours_summary(*, group_by: Sequence[str] = (), boundaries: Sequence[date], organisation=None,
                  users=None) -> list[tuple]:
    """Seconds summed per bucket (see counted()) and per the `group_by` keys ("user",
    "organisation", "category"): rows (key..., bucket, seconds) in that order, one statement.
    Summing these gives exactly what adding up contributions()' rows gives."""
    pieces = counted(boundaries=boundaries, organisation=organisation, users=users)
    keys = [pieces.c[f"{key}_id"] for key in group_by] + [pieces.c.bucket]
    db.session.flush()
    return [tuple(row) for row in db.session.connection().execute(
        select(*keys, func.sum(pieces.c.seconds)).group_by(*keys).order_by(*keys)).all()]
