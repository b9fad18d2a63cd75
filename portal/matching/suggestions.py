"""Suggestions for a volunteer: the page, "Min side" and the weekly digest.

The database does the coarse work (open, not full, in time, in a bounding box, the right
age, not already booked) so only a few hundred candidates reach the pure ranking in
portal/core/matching.py, whatever the size of the country."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.access import public_task_clause
from portal.core.distance import bounding_box, flat_km2
from portal.core.matching import Volunteer, rank
from portal.core.people import age_on
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.matching.facts import (HORIZON, NO_PLACE_KM2, SEARCH_RADIUS_KM, category_names, opportunity,
                                   reason_texts, volunteer_facts)
from portal.models import (Clearance, ClearanceStatus, Organisation, Signup, SignupState, Slot, SlotStatus, Task,
                           TaskKind, User, VolunteerProfile)

TASK_CANDIDATES = 100     # nearest interesting tasks considered, however dense the area
TIMES_PER_TASK = 3        # and each one's next few open times


@dataclass
class Shown:
    """A suggestion with its rows, ready for a page or an e-mail."""
    task: Task
    slot: Slot | None
    reasons: list[str]
    score: float


def _near(volunteer: Volunteer):
    if volunteer.position is None:
        return True
    min_lat, max_lat, min_lon, max_lon = bounding_box(volunteer.position,
                                                      volunteer.max_distance_km or SEARCH_RADIUS_KM)
    return or_(Task.latitude.is_(None),
               and_(Task.latitude.between(min_lat, max_lat), Task.longitude.between(min_lon, max_lon)))


def _open_in(now):
    return and_(Slot.status == SlotStatus.open, Slot.taken < Slot.capacity, Slot.starts_at > now,
                Slot.starts_at < now + HORIZON)


def suggestions_for(user: User, *, now: datetime, limit: int = 10, created_after: datetime | None = None) -> list[Shown]:
    """Two narrow steps in SQL (the nearest interesting tasks, then their next open times)
    keep the work the same in a village and in a city of thousands of tasks."""
    profile = db.session.scalar(select(VolunteerProfile).options(selectinload(VolunteerProfile.interests))
                                .where(VolunteerProfile.user_id == user.id))
    volunteer = volunteer_facts(user, now=now, profile=profile)
    cleared = set(db.session.scalars(select(Clearance.organisation_id).where(
        Clearance.user_id == user.id, Clearance.status == ClearanceStatus.approved)))
    age = age_on(user.birth_date, to_local(now).date()) if user.birth_date else 0
    rules = [public_task_clause(), or_(Task.min_age.is_(None), Task.min_age <= age),
             or_(Task.needs_child_certificate.is_(False), Task.organisation_id.in_(cleared or [0])), _near(volunteer)]
    if created_after is not None:
        rules.append(Task.created_at >= created_after)
    order = []
    if volunteer.interests:
        order.append(Task.category_id.in_(volunteer.interests).desc())
    if volunteer.position:
        order.append(func.coalesce(flat_km2(Task.latitude, Task.longitude, volunteer.position), NO_PLACE_KM2))
    mine = exists().where(Signup.slot_id == Slot.id, Signup.user_id == user.id, Signup.state != SignupState.cancelled)
    has_time = exists().where(Slot.task_id == Task.id, _open_in(now), ~mine)
    task_ids = db.session.scalars(
        select(Task.id).join(Organisation, Task.organisation_id == Organisation.id)
        .where(*rules, Task.kind != TaskKind.ongoing, has_time)
        .order_by(*order, Task.id.desc()).limit(TASK_CANDIDATES)).all()
    numbered = (select(Slot.id, func.row_number().over(partition_by=Slot.task_id, order_by=Slot.starts_at).label("n"))
                .where(Slot.task_id.in_(task_ids or [0]), _open_in(now), ~mine).subquery())
    rows = db.session.execute(
        select(Slot, Task).join(Task, Slot.task_id == Task.id)
        .where(Slot.id.in_(select(numbered.c.id).where(numbered.c.n <= TIMES_PER_TASK)))).all()
    roles = db.session.scalars(select(Task).join(Organisation, Task.organisation_id == Organisation.id)
                               .where(*rules, Task.kind == TaskKind.ongoing)
                               .order_by(*order, Task.id.desc()).limit(30)).all()
    by_slot = {slot.id: (slot, task) for slot, task in rows}
    by_role = {task.id: task for task in roles}
    opportunities = [opportunity(slot, task, has_clearance=task.organisation_id in cleared) for slot, task in rows]
    opportunities += [opportunity(None, task, has_clearance=task.organisation_id in cleared) for task in roles]
    ranked = rank(volunteer, opportunities, now=now, limit=limit)
    chosen = [by_slot[s.opportunity.slot_id] if s.opportunity.slot_id is not None
              else (None, by_role[s.opportunity.task_id]) for s in ranked]
    organisations = {o.id: o for o in db.session.scalars(select(Organisation).where(
        Organisation.id.in_({task.organisation_id for _, task in chosen} or {0})))}
    categories = category_names()
    shown = []
    for suggestion, (slot, task) in zip(ranked, chosen):
        # As if loaded with the task: no change to flush, and one query for all shown organisations.
        set_committed_value(task, "organisation", organisations[task.organisation_id])
        shown.append(Shown(task, slot, reason_texts(suggestion.reasons, categories), suggestion.score))
    return shown
