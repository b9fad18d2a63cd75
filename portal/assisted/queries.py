"""Read-only listings for assisted profiles and the call list (a constant number of queries a page)."""

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.core.assisted import group_by_person
from portal.core.timeutil import local_day_bounds, to_local
from portal.extensions import db
from portal.models import (AssistedProfile, CallListItem, Organisation, Signup, SignupState, Slot, SlotStatus,
                           Task, User)

PAGE = 200
CHOICES = 60


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def profiles(*, organisation: Organisation | None = None, search: str = "") -> list[AssistedProfile]:
    """Live assisted profiles (not taken over), by name; an organisation's own when given."""
    query = (select(AssistedProfile).join(User, User.id == AssistedProfile.user_id)
             .options(joinedload(AssistedProfile.user))
             .where(AssistedProfile.taken_over_at.is_(None)).order_by(func.lower(User.name), User.id).limit(PAGE))
    if organisation is not None:
        query = query.where(AssistedProfile.organisation_id == organisation.id)
    if search:
        query = query.where(func.lower(User.name).like(_like(search.lower()), escape="\\"))
    return list(db.session.scalars(query))


def recorded_by(profile: AssistedProfile) -> User | None:
    return db.session.get(User, profile.recorded_by_id) if profile.recorded_by_id else None


def signups_of(user: User, *, now: datetime) -> dict[str, list[Signup]]:
    rows = list(db.session.scalars(
        select(Signup).join(Slot).options(joinedload(Signup.slot).joinedload(Slot.task).joinedload(Task.organisation))
        .where(Signup.user_id == user.id, Signup.state != SignupState.cancelled).order_by(Slot.starts_at)))
    return {
        "upcoming": [s for s in rows if s.state is SignupState.confirmed and s.slot.ends_at > now],
        "waiting": [s for s in rows if s.state in (SignupState.waitlisted, SignupState.offered) and s.slot.ends_at > now],
        "past": [s for s in rows if s.state is SignupState.confirmed and s.slot.ends_at <= now][::-1],
    }


def slot_choices(search: str, *, now: datetime) -> list[Slot]:
    """Upcoming open times of published tasks, soonest first; full ones too (the citizen can wait)."""
    query = (select(Slot).join(Task, Task.id == Slot.task_id).join(Organisation, Organisation.id == Task.organisation_id)
             .options(joinedload(Slot.task).joinedload(Task.organisation))
             .where(access.public_task_clause(), Slot.status == SlotStatus.open, Slot.starts_at > now)
             .order_by(Slot.starts_at, Slot.id).limit(CHOICES))
    if search:
        query = query.where(func.lower(Task.title).like(_like(search.lower()), escape="\\"))
    return list(db.session.scalars(query))


def _lines_query(organisation: Organisation | None):
    query = select(CallListItem).options(joinedload(CallListItem.user))
    if organisation is not None:
        query = query.join(AssistedProfile, AssistedProfile.user_id == CallListItem.user_id).where(
            AssistedProfile.organisation_id == organisation.id)
    return query


def call_list(*, organisation: Organisation | None = None, now: datetime) -> dict:
    """Open lines grouped by person (whoever waited longest first), the profiles' phone and note, offers
    waiting for an answer, and the lines done today."""
    open_lines = list(db.session.scalars(_lines_query(organisation).where(CallListItem.done_at.is_(None))
                                         .order_by(CallListItem.created_at, CallListItem.id).limit(500)))
    start, _end = local_day_bounds(to_local(now).date())
    done_today = list(db.session.scalars(_lines_query(organisation).where(CallListItem.done_at >= start)
                                         .order_by(CallListItem.done_at.desc(), CallListItem.id.desc()).limit(200)))
    people = {line.user_id for line in open_lines}
    profiles_by_user = {p.user_id: p for p in db.session.scalars(
        select(AssistedProfile).where(AssistedProfile.user_id.in_(people)))} if people else {}
    offers: dict[int, list[Signup]] = {}
    if people:
        for signup in db.session.scalars(
                select(Signup).join(Slot).options(joinedload(Signup.slot).joinedload(Slot.task))
                .where(Signup.user_id.in_(people), Slot.starts_at > now,
                       or_(Signup.state == SignupState.offered,
                           (Signup.state == SignupState.waitlisted) & Signup.offered_at.is_not(None)))
                .order_by(Signup.offer_expires_at, Signup.id)):
            offers.setdefault(signup.user_id, []).append(signup)
    callers = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({line.done_by_id for line in done_today if line.done_by_id})))} if done_today else {}
    return {"groups": group_by_person(open_lines), "profiles": profiles_by_user, "offers": offers,
            "done_today": done_today, "callers": callers}


def open_count(*, organisation: Organisation | None = None) -> int:
    query = select(func.count(CallListItem.id)).where(CallListItem.done_at.is_(None))
    if organisation is not None:
        query = query.join(AssistedProfile, AssistedProfile.user_id == CallListItem.user_id).where(
            AssistedProfile.organisation_id == organisation.id)
    return db.session.scalar(query) or 0


def open_lines_of(user: User) -> list[CallListItem]:
    return list(db.session.scalars(select(CallListItem).where(CallListItem.user_id == user.id,
                                                              CallListItem.done_at.is_(None))
                                   .order_by(CallListItem.created_at, CallListItem.id)))


def contact_phone(task: Task) -> str | None:
    org = task.organisation
    return task.contact_phone or org.volunteer_contact_phone or org.contact_phone

