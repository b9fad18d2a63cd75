"""Volunteers for a task: opted-in people ranked for its unfilled times, for the organiser.

SQL picks a narrow set first (interested, free at those times, nearest); the pure ranking
in portal/core/matching.py orders it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Float, and_, case, exists, func, literal, or_, select, text, union_all

from portal.core.distance import bounding_box, flat_km2
from portal.core.matching import availability_bit, part_of_day, score
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.matching.facts import (NO_PLACE_KM2, SEARCH_RADIUS_KM, booked_by_user, category_names, opportunity,
                                   reason_texts, volunteer_facts)
from portal.matching.invitations import INVITATIONS_PER_WEEK
from portal.models import (Clearance, ClearanceStatus, Slot, SlotStatus, Task, TaskInvitation, User, VolunteerProfile,
                           volunteer_interests)

@dataclass
class Candidate:
    user: User
    profile: VolunteerProfile
    slot: Slot | None
    reasons: list[str]
    score: float
    invited_recently: bool
    invited_to_task_at: datetime | None = None


def unfilled_slots(task: Task, *, now: datetime) -> list[Slot]:
    return list(db.session.scalars(select(Slot).where(Slot.task_id == task.id, Slot.status == SlotStatus.open,
                                                      Slot.starts_at > now, Slot.taken < Slot.capacity)
                                   .order_by(Slot.starts_at).limit(4)))  # the next few are what needs people


VOLUNTEER_CANDIDATES = 100
# Bookings are read for this many more than are shown at first (see find_volunteers).
BOOKINGS_MARGIN = 10
# What volunteer_facts reads, under the models' names.
_FACTS = (VolunteerProfile.id.label("profile_id"), VolunteerProfile.user_id, VolunteerProfile.availability,
          VolunteerProfile.skills, VolunteerProfile.max_hours_per_month, VolunteerProfile.max_distance_km,
          VolunteerProfile.latitude, VolunteerProfile.longitude, User.birth_date, User.postcode)


def find_volunteers(task: Task, *, now: datetime, limit: int = 20) -> list[Candidate]:
    """Opted-in volunteers ranked for the task's unfilled times, showing only what they share.
    SQL picks a narrow set first (interested, free at those times, nearest), Python ranks it."""
    slots = unfilled_slots(task, now=now)
    if not slots:
        return []  # invitations are for times that still need people
    people = [User.email_confirmed_at.is_not(None)]      # checked on their users, after the order
    position = (task.latitude, task.longitude) if task.latitude is not None else None
    if task.min_age:
        today = to_local(now).date()
        people.append(User.birth_date <= today.replace(year=today.year - task.min_age))
    interested = exists().where(volunteer_interests.c.profile_id == VolunteerProfile.id,
                                volunteer_interests.c.category_id == task.category_id)
    free_then = 0
    for slot in slots:
        local = to_local(slot.starts_at)
        free_then |= availability_bit(local.weekday(), part_of_day(slot.starts_at))
    free = VolunteerProfile.availability.op("&")(free_then) != 0
    base = select(VolunteerProfile.id, VolunteerProfile.user_id).where(VolunteerProfile.suggestions_opt_in.is_(True))
    # The interested first, found through the category index; the rest of the area only if
    # they are too few. In a city that keeps the sort to a few thousand rows, not tens.
    # Those free at the task's times before the others, in two statements rather than one sort
    # by "free first": around Copenhagen the hundred nearest free are found among a few thousand
    # free, where the one sort ordered all 13,000 of the 25 km first (p95 37 -> 25 ms).
    interested_ones = base.join(volunteer_interests,
                                and_(volunteer_interests.c.profile_id == VolunteerProfile.id,
                                     volunteer_interests.c.category_id == task.category_id))
    # No parallel workers are needed for these any more (PostgreSQL plans none): turning them off
    # for the search (SET LOCAL, then back) cost two statements and saved nothing once the box
    # was an index range and the users were read after the order.
    ids = _nearest(interested_ones.where(free), VOLUNTEER_CANDIDATES, position=position, people=people)
    if len(ids) < VOLUNTEER_CANDIDATES:
        ids += _nearest(interested_ones.where(~free), VOLUNTEER_CANDIDATES - len(ids), position=position,
                        people=people)
    # The ranking reads one interest, the task's: the first query found who has it.
    interests = dict.fromkeys(ids, frozenset({task.category_id}))
    if len(ids) < VOLUNTEER_CANDIDATES:
        ids += _nearest(base.where(~interested), VOLUNTEER_CANDIDATES - len(ids), position=position,
                        people=people, first=free)
    # Plain columns for the hundred ranked; whole rows below for the few shown.
    rows = db.session.execute(select(*_FACTS).join(User, User.id == VolunteerProfile.user_id)
                              .where(VolunteerProfile.id.in_(ids or [0]))).all()
    cleared = set(db.session.scalars(select(Clearance.user_id).where(
        Clearance.organisation_id == task.organisation_id, Clearance.status == ClearanceStatus.approved,
        Clearance.user_id.in_([row.user_id for row in rows] or [0]))))
    # Each time as an opportunity once, with and without a recorded børneattest.
    options = {cleared_: [(slot, opportunity(slot, task, has_clearance=cleared_)) for slot in slots]
               for cleared_ in (False, True)}
    # Ranked first as if nobody had booked anything. Bookings only ever take a time away (a clash,
    # a full month), never add points, so that is the most each one can score: bookings are read
    # for the best few, and for more only while someone not yet read could still come before the
    # last one shown. Reading all hundred's bookings was a third of the time at national scale.
    hopeful = []
    for row in rows:
        volunteer = volunteer_facts(row, now=now, profile=row, booked=(),
                                    interests=interests.get(row.profile_id, frozenset()))
        scored = [(result, slot, option) for slot, option in options[row.user_id in cleared]
                  for result in (score(volunteer, option, now=now),) if result is not None]
        if scored:
            scored.sort(key=lambda s: -s[0].score)   # stable: the earliest of equally good times
            hopeful.append((-scored[0][0].score, row.user_id, row, scored))
    hopeful.sort(key=lambda h: (h[0], h[1]))
    span = (slots[0].starts_at, max(slot.ends_at for slot in slots))
    found, read = [], 0
    while read < len(hopeful):
        if limit and len(found) >= limit:
            found.sort(key=lambda f: (-f[0], f[1]))
            if (-found[limit - 1][0], found[limit - 1][1]) < hopeful[read][:2]:
                break   # nobody left could score more than the last one shown
        batch = hopeful[read:read + max(limit, 1) + (BOOKINGS_MARGIN if read == 0 else 0)]
        read += len(batch)
        booked = booked_by_user([h[1] for h in batch], first=slots[0].starts_at, last=slots[-1].starts_at,
                                capped=[h[1] for h in batch if h[2].max_hours_per_month is not None], span=span)
        for _, user_id, row, scored in batch:
            best = scored[0]
            if user_id in booked:
                volunteer = volunteer_facts(row, now=now, profile=row, booked=booked[user_id],
                                            interests=interests.get(row.profile_id, frozenset()))
                best = next((s for s in scored if score(volunteer, s[2], now=now) is not None), None)
            if best is not None:
                found.append((best[0].score, user_id, row.profile_id, best[1], best[0].reasons))
    found.sort(key=lambda f: (-f[0], f[1]))
    shown = found[:limit]
    categories = category_names()
    people = {profile.id: (profile, user) for profile, user in db.session.execute(
        select(VolunteerProfile, User).join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.id.in_([profile_id for _, _, profile_id, _, _ in shown] or [0])))}
    invited = _invitations([user_id for _, user_id, _, _, _ in shown], task, now=now)
    # Words only for the ones shown: formatting is the slow part of a long list.
    return [Candidate(people[profile_id][1], people[profile_id][0], slot,
                      reason_texts(reasons, categories, for_organiser=True), points,
                      invited.get(user_id, (0, None))[0] >= INVITATIONS_PER_WEEK, invited.get(user_id, (0, None))[1])
            for points, user_id, profile_id, slot, reasons in shown]


def _nearest(query, n: int, *, position: tuple[float, float] | None, people, first=None) -> list[int]:
    """The ids of the first n profiles `query` finds (a select of profile id and user_id) whose
    users meet `people`, nearest to position first (those without a place last, as if a degree
    away), ties by id; with `first` (a condition) those meeting it before the others.

    Two parts in one statement: those placed inside the search box, and those without a place.
    As one condition ("no place, or inside the box") PostgreSQL could only use the opt-in column
    of the index and read every opted-in profile in the country; apart, each part is a range of
    the index (opt-in, latitude): the box's band of latitude, and the profiles without one.
    Each part is put in order before its users are read (OFFSET 0 keeps PostgreSQL from merging
    the two levels), so around Copenhagen about a hundred users are read, not the thousand or
    more the profiles' conditions leave."""
    rank = [case((first, 0), else_=1)] if first is not None else []
    if position is None:
        parts = [query.add_columns(*[r.label("rank") for r in rank], literal(0.0, Float).label("km2"))]
    else:
        min_lat, max_lat, min_lon, max_lon = bounding_box(position, SEARCH_RADIUS_KM)
        placed = (query.where(VolunteerProfile.latitude.between(min_lat, max_lat),
                              VolunteerProfile.longitude.between(min_lon, max_lon))
                  .add_columns(*[r.label("rank") for r in rank],
                               flat_km2(VolunteerProfile.latitude, VolunteerProfile.longitude, position).label("km2")))
        # Inside a 25 km box (35 km at its corners) everyone is nearer than NO_PLACE_KM2 (111 km).
        unplaced = (query.where(VolunteerProfile.latitude.is_(None))
                    .add_columns(*[r.label("rank") for r in rank], literal(NO_PLACE_KM2, Float).label("km2")))
        parts = [placed, unplaced]
    chosen = []
    for part in parts:
        ordered = part.order_by(*[text("rank")] if rank else [], text("km2"), VolunteerProfile.id).offset(0).subquery()
        chosen.append(select(ordered.c.id, *([ordered.c.rank] if rank else []), ordered.c.km2)
                      .join(User, User.id == ordered.c.user_id).where(*people)
                      .order_by(*([ordered.c.rank] if rank else []), ordered.c.km2, ordered.c.id).limit(n))
    if len(chosen) == 1:
        return list(db.session.scalars(chosen[0]))
    both = union_all(*[select(c.subquery()) for c in chosen]).subquery()
    return list(db.session.scalars(select(both.c.id).order_by(*([both.c.rank] if rank else []), both.c.km2, both.c.id)
                                   .limit(n)))


def _invitations(user_ids, task: Task, *, now: datetime) -> dict[int, tuple[int, datetime | None]]:
    """For each person shown: invitations in the last seven days (the fatigue cap, across all
    organisations) and when they were last invited to this task. One statement, for the shown
    few only: the ranking does not read either."""
    if not user_ids:
        return {}
    recent = TaskInvitation.sent_at > now - timedelta(days=7)
    this_task = TaskInvitation.task_id == task.id
    return {user_id: (int(count or 0), last) for user_id, count, last in db.session.execute(
        select(TaskInvitation.user_id, func.sum(case((recent, 1), else_=0)),
               func.max(case((this_task, TaskInvitation.sent_at))))
        .where(TaskInvitation.user_id.in_(user_ids), or_(recent, this_task))
        .group_by(TaskInvitation.user_id))}

