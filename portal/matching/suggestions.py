"""Suggestions for a volunteer: the page, "Min side" and the weekly digest.

The database does the coarse work (open, not full, in time, in a bounding box, the right
age, not already booked) so only a few hundred candidates reach the pure ranking in
portal/core/matching.py, whatever the size of the country."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Bundle, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.access import public_organisation_clause, public_task_clause
from portal.core.distance import bounding_box, flat_km2
from portal.core.matching import Volunteer, box_is_enough, rank
from portal.core.people import age_on
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.matching.facts import (HORIZON, NO_PLACE_KM2, SEARCH_RADIUS_KM, category_names, opportunity,
                                   reason_texts, volunteer_facts)
from portal.models import (Clearance, ClearanceStatus, Organisation, Signup, SignupState, Slot, SlotStatus, Task,
                           TaskKind, TaskStatus, User, VolunteerProfile)

TASK_CANDIDATES = 100     # nearest interesting tasks considered, however dense the area
TIMES_PER_TASK = 3        # and each one's next few open times
ROLE_CANDIDATES = 30      # ongoing roles considered
# Looked through in turn before the volunteer's whole reach: where tasks are dense the nearest
# hundred interesting ones lie within a few km, and sorting that box's tasks is a fraction of
# sorting the 25 km around (around Copenhagen a sixth of the country's tasks). Each box that does
# not settle the list costs two statements more (times, roles); at national scale a second box
# (2.5 then 8 km) measured no faster than this one.
BOXES_KM = (5.0,)


@dataclass
class Shown:
    """A suggestion with its rows, ready for a page or an e-mail."""
    task: Task
    slot: Slot | None
    reasons: list[str]
    score: float


# What the ranking reads (portal.matching.facts.opportunity), under the models' own names.
_SLOT_FACTS = Bundle("slot", Slot.id, Slot.starts_at, Slot.ends_at, Slot.capacity, Slot.taken)
_TASK_FACTS = Bundle("task", Task.id, Task.organisation_id, Task.category_id, Task.title, Task.description,
                     Task.latitude, Task.longitude, Task.min_age, Task.needs_child_certificate)


def _near(volunteer: Volunteer):
    if volunteer.position is None:
        return True
    min_lat, max_lat, min_lon, max_lon = bounding_box(volunteer.position,
                                                      volunteer.max_distance_km or SEARCH_RADIUS_KM)
    return or_(Task.latitude.is_(None),
               and_(Task.latitude.between(min_lat, max_lat), Task.longitude.between(min_lon, max_lon)))


def _nearest_first(query, volunteer: Volunteer, limit: int, fetch):
    """The first `limit` rows of query(*box_rules) (ordered interested first, then nearest),
    looked for in small boxes around the volunteer first: when a box settles them
    (portal.core.matching.box_is_enough) they are the same rows as the whole area's, in the
    same order. Rows must have category_id, latitude and longitude."""
    for radius in BOXES_KM if volunteer.position is not None else ():
        if radius >= (volunteer.max_distance_km or SEARCH_RADIUS_KM):
            break
        min_lat, max_lat, min_lon, max_lon = bounding_box(volunteer.position, radius)
        rows = fetch(query(Task.latitude.between(min_lat, max_lat), Task.longitude.between(min_lon, max_lon))
                     .limit(limit))
        found = [(not volunteer.interests or r.category_id in volunteer.interests, r.latitude, r.longitude)
                 for r in rows]
        if box_is_enough(volunteer.position, found, limit, radius):
            return rows
    return fetch(query().limit(limit))


def _order(volunteer: Volunteer) -> list[tuple[object, bool]]:
    """Interested first, then nearest, then newest, as (expression, descending)."""
    order = []
    if volunteer.interests:
        order.append((Task.category_id.in_(volunteer.interests), True))
    if volunteer.position:
        order.append((func.coalesce(flat_km2(Task.latitude, Task.longitude, volunteer.position), NO_PLACE_KM2), False))
    return order + [(Task.id, True)]


def _sorted_then_checked(rules, order, check):
    """query(*box_rules) for _nearest_first: the tasks matching rules (on the task's own
    columns) for which check(row) holds, in order. The tasks are sorted first, and the check
    (index look-ups in other tables) runs on them in that order until the limit is reached:
    inside the sort it ran for every task of the area, around Copenhagen ten thousand."""
    def query(*box):
        keys = [expression.label(f"key{n}") for n, (expression, _) in enumerate(order)]
        inner = (select(Task.id, Task.organisation_id, Task.category_id, Task.latitude, Task.longitude, *keys)
                 .where(*rules, *box)
                 .order_by(*(key.desc() if descending else key for key, (_, descending) in zip(keys, order)))
                 .subquery())
        sort = [inner.c[key.name] for key in keys]
        return (select(inner.c.id, inner.c.category_id, inner.c.latitude, inner.c.longitude)
                .where(check(inner.c))
                .order_by(*(key.desc() if descending else key for key, (_, descending) in zip(sort, order))))
    return query


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
    rules = [or_(Task.min_age.is_(None), Task.min_age <= age),
             or_(Task.needs_child_certificate.is_(False), Task.organisation_id.in_(cleared or [0])), _near(volunteer)]
    if created_after is not None:
        rules.append(Task.created_at >= created_after)
    order = _order(volunteer)
    mine = exists().where(Signup.slot_id == Slot.id, Signup.user_id == user.id, Signup.state != SignupState.cancelled)
    task_ids = [row.id for row in _nearest_first(
        # public_task_clause() in its two halves: the organisation's is a look-up like the times'.
        _sorted_then_checked([Task.status == TaskStatus.published, *rules, Task.kind != TaskKind.ongoing], order,
                             lambda task: and_(exists().where(Organisation.id == task.organisation_id,
                                                              public_organisation_clause()),
                                               exists().where(Slot.task_id == task.id, _open_in(now), ~mine))),
        volunteer, TASK_CANDIDATES, lambda query: db.session.execute(query).all())]
    numbered = (select(Slot.id, func.row_number().over(partition_by=Slot.task_id, order_by=Slot.starts_at).label("n"))
                .where(Slot.task_id.in_(task_ids or [0]), _open_in(now), ~mine).subquery())
    # The few hundred candidates are ranked from plain columns; whole rows (and their
    # organisations) are loaded below for the handful shown. Building ORM objects for every
    # candidate was a large part of the time.
    rows = db.session.execute(
        select(_SLOT_FACTS, _TASK_FACTS).join(Task, Slot.task_id == Task.id)
        .where(Slot.id.in_(select(numbered.c.id).where(numbered.c.n <= TIMES_PER_TASK)))).all()
    roles = _nearest_first(lambda *box: select(_TASK_FACTS).join(Organisation, Task.organisation_id == Organisation.id)
                           .where(public_task_clause(), *rules, Task.kind == TaskKind.ongoing, *box)
                           .order_by(*(e.desc() if descending else e for e, descending in order)),
                           volunteer, ROLE_CANDIDATES, lambda query: db.session.scalars(query).all())
    opportunities = [opportunity(slot, task, has_clearance=task.organisation_id in cleared) for slot, task in rows]
    opportunities += [opportunity(None, task, has_clearance=task.organisation_id in cleared) for task in roles]
    ranked = rank(volunteer, opportunities, now=now, limit=limit)
    slot_ids = [s.opportunity.slot_id for s in ranked if s.opportunity.slot_id is not None]
    tasks, slots = {}, {}
    for task, organisation, slot in db.session.execute(
            select(Task, Organisation, Slot).join(Organisation, Task.organisation_id == Organisation.id)
            .outerjoin(Slot, and_(Slot.task_id == Task.id, Slot.id.in_(slot_ids or [0])))
            .where(Task.id.in_({s.opportunity.task_id for s in ranked} or {0}))):
        # As if loaded with the task: no change to flush, and one query for all that is shown.
        set_committed_value(task, "organisation", organisation)
        tasks[task.id] = task
        if slot is not None:
            slots[slot.id] = slot
    categories = category_names()
    return [Shown(tasks[s.opportunity.task_id], slots.get(s.opportunity.slot_id),
                  reason_texts(s.reasons, categories), s.score) for s in ranked]
