"""The organiser's follow-up: rosters, attendance, børneattest records and logged hours.
Each function flushes; the caller commits (design.md, house rule 3)."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from portal import audit
from portal.core.timeutil import to_local
from portal.errors import InvalidState
from portal.extensions import db
from portal.followup.errors import NotStarted, UnknownVolunteer
from portal.models import (Attendance, Clearance, ClearanceStatus, HoursEntry, HoursStatus, Organisation,
                           Signup, SignupState, Slot, Task, User, email_key)

ROSTER_GROUPS = ("coming", "offered", "waiting")
_GROUP_OF = {SignupState.confirmed: "coming", SignupState.offered: "offered", SignupState.waitlisted: "waiting"}


def _grouped(signups) -> dict[str, list[Signup]]:
    groups = {name: [] for name in ROSTER_GROUPS}
    for signup in signups:
        groups[_GROUP_OF[signup.state]].append(signup)
    return groups


def roster(slot: Slot) -> dict[str, list[Signup]]:
    """Everyone on a time, in the order they signed up: coming, offered a place, waiting."""
    rows = db.session.scalars(select(Signup).options(joinedload(Signup.user))
                              .where(Signup.slot_id == slot.id, Signup.state != SignupState.cancelled)
                              .order_by(Signup.created_at, Signup.id))
    return _grouped(rows)


def roster_rows(slot: Slot) -> list[tuple[Slot, Signup]]:
    """One time's roster as (time, signup) rows for the CSV: coming, offered, waiting."""
    people = roster(slot)
    return [(slot, s) for group in ROSTER_GROUPS for s in people[group]]


def task_roster_rows(task: Task) -> list[tuple[Slot, Signup]]:
    """Every time's roster of a task (past times too) in one query: by time, then as
    `roster_rows` orders one time."""
    signups = db.session.scalars(
        select(Signup).join(Signup.slot).options(contains_eager(Signup.slot), joinedload(Signup.user))
        .where(Slot.task_id == task.id, Signup.state != SignupState.cancelled)
        .order_by(Slot.starts_at, Slot.id, Signup.created_at, Signup.id)).unique().all()
    by_slot: dict[int, list[Signup]] = {}
    for signup in signups:
        by_slot.setdefault(signup.slot_id, []).append(signup)
    rows = []
    for people in by_slot.values():
        groups = _grouped(people)
        rows += [(s.slot, s) for group in ROSTER_GROUPS for s in groups[group]]
    return rows


def mark_attendance(signup: Signup, attended: bool, *, now: datetime, by: User | None = None) -> None:
    if signup.state is not SignupState.confirmed:
        raise InvalidState()
    if signup.slot.starts_at > now:
        raise NotStarted()
    before = signup.attendance
    signup.attendance = Attendance.attended if attended else Attendance.no_show
    db.session.flush()
    if before is not signup.attendance:
        task = signup.slot.task
        audit.record(by, "attendance_changed", obj=signup, organisation=task.organisation_id,
                     summary=f"{task.title}, {to_local(signup.slot.starts_at):%d-%m-%Y %H:%M}",
                     before={"attendance": before.value if before else None},
                     after={"attendance": signup.attendance.value}, subjects=[signup.user_id], now=now)


# --- børneattest records ----------------------------------------------------------------------

def clearances(org: Organisation) -> list[Clearance]:
    return list(db.session.scalars(select(Clearance).options(joinedload(Clearance.user))
                                   .where(Clearance.organisation_id == org.id)
                                   .order_by(Clearance.checked_on.desc())))


def set_clearance(org_id: int, user: User, *, approved: bool, checked_on: date, checked_by: User,
                  now: datetime | None = None) -> Clearance:
    clearance = db.session.scalar(select(Clearance).where(Clearance.user_id == user.id,
                                                          Clearance.organisation_id == org_id))
    if clearance is None:
        clearance = Clearance(user_id=user.id, organisation_id=org_id, status=ClearanceStatus.approved,
                              checked_on=checked_on)
        db.session.add(clearance)
    before = None if clearance.id is None else {"status": clearance.status.value,
                                                 "checked_on": clearance.checked_on.isoformat()}
    clearance.status = ClearanceStatus.approved if approved else ClearanceStatus.refused
    clearance.checked_on, clearance.checked_by_id = checked_on, checked_by.id
    db.session.flush()
    audit.record(checked_by, "clearance_recorded", obj=clearance, organisation=org_id, summary=user.name,
                 before=before, after={"status": clearance.status.value, "checked_on": checked_on.isoformat()},
                 subjects=[user.id], now=now)
    return clearance


def record_clearance(org: Organisation, email: str, *, approved: bool, checked_on: date,
                     checked_by: User, now: datetime | None = None) -> Clearance:
    """`set_clearance` for the person with this e-mail address."""
    person = db.session.scalar(select(User).where(User.email == email_key(email)))
    if person is None:
        raise UnknownVolunteer()
    return set_clearance(org.id, person, approved=approved, checked_on=checked_on, checked_by=checked_by, now=now)


# --- hours logged on ongoing roles --------------------------------------------------------------

def pending_hours(org: Organisation) -> list[HoursEntry]:
    return list(db.session.scalars(select(HoursEntry).options(joinedload(HoursEntry.user), joinedload(HoursEntry.task))
                                   .join(Task).where(Task.organisation_id == org.id,
                                                     HoursEntry.status == HoursStatus.pending)
                                   .order_by(HoursEntry.worked_on)))


def hours_entry(org: Organisation, entry_id: int | None) -> HoursEntry | None:
    """An entry on one of the organisation's tasks, or None."""
    if not entry_id:
        return None
    return db.session.scalar(select(HoursEntry).join(Task).where(HoursEntry.id == entry_id,
                                                                 Task.organisation_id == org.id))


def decide_hours(entry: HoursEntry, *, approve: bool, by: User, now: datetime) -> None:
    if entry.status is not HoursStatus.pending:
        raise InvalidState()
    entry.status = HoursStatus.approved if approve else HoursStatus.rejected
    entry.decided_by_id, entry.decided_at = by.id, now
    db.session.flush()
    audit.record(by, "hours_decided", obj=entry, organisation=entry.task.organisation_id,
                 summary=f"{entry.task.title}, {entry.worked_on.isoformat()}",
                 before={"status": HoursStatus.pending.value, "minutes": entry.minutes},
                 after={"status": entry.status.value, "minutes": entry.minutes}, subjects=[entry.user_id], now=now)
