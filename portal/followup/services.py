"""The organiser's follow-up: rosters, attendance, børneattest records and logged hours.
Each function flushes; the caller commits (design.md, house rule 3)."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

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


def mark_attendance(signup: Signup, attended: bool, *, now: datetime) -> None:
    if signup.state is not SignupState.confirmed:
        raise InvalidState()
    if signup.slot.starts_at > now:
        raise NotStarted()
    signup.attendance = Attendance.attended if attended else Attendance.no_show
    db.session.flush()


# --- børneattest records ----------------------------------------------------------------------

def clearances(org: Organisation) -> list[Clearance]:
    return list(db.session.scalars(select(Clearance).options(joinedload(Clearance.user))
                                   .where(Clearance.organisation_id == org.id)
                                   .order_by(Clearance.checked_on.desc())))


def set_clearance(org_id: int, user: User, *, approved: bool, checked_on: date, checked_by: User) -> Clearance:
    clearance = db.session.scalar(select(Clearance).where(Clearance.user_id == user.id,
                                                          Clearance.organisation_id == org_id))
    if clearance is None:
        clearance = Clearance(user_id=user.id, organisation_id=org_id, status=ClearanceStatus.approved,
                              checked_on=checked_on)
        db.session.add(clearance)
    clearance.status = ClearanceStatus.approved if approved else ClearanceStatus.refused
    clearance.checked_on, clearance.checked_by_id = checked_on, checked_by.id
    db.session.flush()
    return clearance


def record_clearance(org: Organisation, email: str, *, approved: bool, checked_on: date,
                     checked_by: User) -> Clearance:
    """`set_clearance` for the person with this e-mail address."""
    person = db.session.scalar(select(User).where(User.email == email_key(email)))
    if person is None:
        raise UnknownVolunteer()
    return set_clearance(org.id, person, approved=approved, checked_on=checked_on, checked_by=checked_by)


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
