"""Suggestions for volunteers, volunteers for tasks, invitations and the weekly digest.

The database does the coarse work (open, not full, in time, in a bounding box, the right
age, not already booked) so only a few hundred candidates reach the pure ranking in
portal/core/matching.py, whatever the size of the country."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_decimal, lazy_gettext as _l, ngettext
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.core.eligibility import PersonFacts
from portal.core.matching import (AFTERNOON, EVENING, MORNING, Opportunity, ReasonKind, Volunteer,
                                  availability_bit, bounding_box, part_of_day, rank, score)
from portal.core.people import age_on
from portal.core.text import hash_token, new_token
from portal.core.timeutil import to_local
from portal.errors import DomainError, InvalidToken
from portal.extensions import db
from portal.models import (Category, Clearance, ClearanceStatus, Organisation, OrganisationStatus, Signup,
                           SignupState, Slot, SlotStatus, Task, TaskInvitation, TaskKind, TaskStatus, User,
                           VolunteerProfile, volunteer_interests)
from portal.organisations.services import check_invitation_quota
from portal.outbox import queue_email
from portal.signups.services import booked_intervals, ensure_volunteer_profile

HORIZON = timedelta(days=42)       # suggestions look six weeks ahead
SEARCH_RADIUS_KM = 25.0            # when the volunteer set no limit
CANDIDATE_LIMIT = 400
INVITATIONS_PER_WEEK = 2           # the fatigue cap, across all organisations

WEEKDAY_NAMES = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
                 _l("Sunday")]
PART_NAMES = {MORNING: _l("morning"), AFTERNOON: _l("afternoon"), EVENING: _l("evening")}


class InvitationLimit(DomainError):
    message = _l("This volunteer has already had two invitations this week. Try again in a few days.")


class NotOptedIn(DomainError):
    message = _l("This volunteer does not want to be invited.")


# --- facts --------------------------------------------------------------------------------------

def _position(profile: VolunteerProfile | None, user: User):
    if profile is not None and profile.latitude is not None:
        return (profile.latitude, profile.longitude)
    if user.postcode:
        from flask import current_app
        from portal.geocoding import geocoder_from_config
        place = geocoder_from_config(current_app.config["GEOCODER"], current_app.config).locate(postcode=user.postcode)
        if place:
            return (place.latitude, place.longitude)
    return None


def volunteer_facts(user: User, *, now: datetime, profile: VolunteerProfile | None = None,
                    booked=None, clearances: frozenset[int] = frozenset()) -> Volunteer:
    profile = profile if profile is not None else user.volunteer_profile
    skills = tuple(s.strip() for s in (profile.skills or "").split(",") if s.strip()) if profile else ()
    return Volunteer(
        person=PersonFacts(birth_date=user.birth_date, max_hours_per_month=profile.max_hours_per_month if profile else None,
                           booked=booked if booked is not None else booked_intervals(user, around=now + HORIZON / 2)),
        interests=frozenset(c.id for c in profile.interests) if profile else frozenset(),
        skills=skills, availability=profile.availability if profile else 0,
        position=_position(profile, user), max_distance_km=profile.max_distance_km if profile else None)


def _opportunity(slot: Slot | None, task: Task, *, has_clearance: bool) -> Opportunity:
    from portal.core.eligibility import SlotFacts
    facts = None
    if slot is not None:
        facts = SlotFacts(starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=slot.capacity, taken=slot.taken,
                          is_open=True, min_age=task.min_age,
                          needs_clearance=task.needs_child_certificate and not has_clearance)
    position = (task.latitude, task.longitude) if task.latitude is not None else None
    return Opportunity(task_id=task.id, category_id=task.category_id, text=f"{task.title} {task.description}",
                       slot=facts, slot_id=slot.id if slot else None, position=position)


def _public():
    return and_(Task.status == TaskStatus.published, Organisation.status == OrganisationStatus.approved)


def _near(volunteer: Volunteer):
    if volunteer.position is None:
        return True
    min_lat, max_lat, min_lon, max_lon = bounding_box(volunteer.position,
                                                      volunteer.max_distance_km or SEARCH_RADIUS_KM)
    return or_(Task.latitude.is_(None),
               and_(Task.latitude.between(min_lat, max_lat), Task.longitude.between(min_lon, max_lon)))


# --- suggestions for a volunteer ---------------------------------------------------------------------

@dataclass
class Shown:
    """A suggestion with its rows, ready for a page or an e-mail."""
    task: Task
    slot: Slot | None
    reasons: list[str]
    score: float


def _flat_distance(column_lat, column_lon, centre):
    """Squared flat-earth distance: enough to order nearby rows in SQL, portable everywhere."""
    import math
    lat, lon = centre
    scale = math.cos(math.radians(lat))
    return (column_lat - lat) * (column_lat - lat) + (column_lon - lon) * scale * (column_lon - lon) * scale


def _open_in(now):
    return and_(Slot.status == SlotStatus.open, Slot.taken < Slot.capacity, Slot.starts_at > now,
                Slot.starts_at < now + HORIZON)


TASK_CANDIDATES = 100     # nearest interesting tasks considered, however dense the area
TIMES_PER_TASK = 3        # and each one's next few open times


def suggestions_for(user: User, *, now: datetime, limit: int = 10, created_after: datetime | None = None) -> list[Shown]:
    """Two narrow steps in SQL (the nearest interesting tasks, then their next open times)
    keep the work the same in a village and in a city of thousands of tasks."""
    profile = db.session.scalar(select(VolunteerProfile).options(selectinload(VolunteerProfile.interests))
                                .where(VolunteerProfile.user_id == user.id))
    volunteer = volunteer_facts(user, now=now, profile=profile)
    cleared = set(db.session.scalars(select(Clearance.organisation_id).where(
        Clearance.user_id == user.id, Clearance.status == ClearanceStatus.approved)))
    age = age_on(user.birth_date, to_local(now).date()) if user.birth_date else 0
    rules = [_public(), or_(Task.min_age.is_(None), Task.min_age <= age),
             or_(Task.needs_child_certificate.is_(False), Task.organisation_id.in_(cleared or [0])), _near(volunteer)]
    if created_after is not None:
        rules.append(Task.created_at >= created_after)
    order = []
    if volunteer.interests:
        order.append(Task.category_id.in_(volunteer.interests).desc())
    if volunteer.position:
        order.append(func.coalesce(_flat_distance(Task.latitude, Task.longitude, volunteer.position), 1.0))
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
    opportunities = [_opportunity(slot, task, has_clearance=task.organisation_id in cleared) for slot, task in rows]
    opportunities += [_opportunity(None, task, has_clearance=task.organisation_id in cleared) for task in roles]
    ranked = rank(volunteer, opportunities, now=now, limit=limit)
    chosen = [by_slot[s.opportunity.slot_id] if s.opportunity.slot_id is not None
              else (None, by_role[s.opportunity.task_id]) for s in ranked]
    organisations = {o.id: o for o in db.session.scalars(select(Organisation).where(
        Organisation.id.in_({task.organisation_id for _, task in chosen} or {0})))}
    categories = _category_names()
    shown = []
    for suggestion, (slot, task) in zip(ranked, chosen):
        # As if loaded with the task: no change to flush, and one query for all shown organisations.
        set_committed_value(task, "organisation", organisations[task.organisation_id])
        shown.append(Shown(task, slot, reason_texts(suggestion.reasons, categories), suggestion.score))
    return shown


def _category_names() -> dict[int, Category]:
    return {c.id: c for c in db.session.scalars(select(Category))}


def reason_texts(reasons, categories: dict[int, Category], *, for_organiser: bool = False) -> list[str]:
    """Plain words for the reasons: to the volunteer ("1,2 km fra dig") or, on the
    organiser's page, about the volunteer ("1,2 km væk"), where seats and dates go without saying."""
    from flask_babel import get_locale
    locale = str(get_locale())
    texts = []
    for reason in reasons:
        if reason.kind is ReasonKind.distance:
            km = format_decimal(reason.value, format="#,##0.0")
            if reason.value < 0.5:
                texts.append(_("close by") if for_organiser else _("close to you"))
            else:
                texts.append(_("%(km)s km away", km=km) if for_organiser else _("%(km)s km from you", km=km))
        elif reason.kind is ReasonKind.interest:
            category = categories.get(reason.value)
            name = category.name(locale) if category else ""
            texts.append(_("interested in %(category)s", category=name) if for_organiser
                         else _("you chose %(category)s", category=name))
        elif reason.kind is ReasonKind.availability:
            weekday, part = reason.value
            name = str(WEEKDAY_NAMES[weekday])
            # Danish writes weekdays in lower case mid-sentence; English capitalises them.
            values = dict(weekday=name.lower() if locale.startswith("da") else name, part=str(PART_NAMES[part]))
            texts.append(_("has time %(weekday)s %(part)s", **values) if for_organiser
                         else _("%(weekday)s %(part)s suits you", **values))
        elif for_organiser:
            if reason.kind is ReasonKind.skill:
                texts.append(_("skill: %(skill)s", skill=reason.value))
        elif reason.kind is ReasonKind.places_missing:
            texts.append(ngettext("%(num)d place missing", "%(num)d places missing", reason.value))
        elif reason.kind is ReasonKind.skill:
            texts.append(_("uses your skill: %(skill)s", skill=reason.value))
        elif reason.kind is ReasonKind.soon:
            texts.append(_("today") if reason.value == 0 else ngettext("in %(num)d day", "in %(num)d days", reason.value))
    return texts


# --- volunteers for a task ---------------------------------------------------------------------------

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


def find_volunteers(task: Task, *, now: datetime, limit: int = 20) -> list[Candidate]:
    """Opted-in volunteers ranked for the task's unfilled times, showing only what they share.
    SQL picks a narrow set first (interested, free at those times, nearest), Python ranks it."""
    slots = unfilled_slots(task, now=now)
    if not slots:
        return []  # invitations are for times that still need people
    rules = [VolunteerProfile.suggestions_opt_in.is_(True), User.email_confirmed_at.is_not(None)]
    order = []
    position = (task.latitude, task.longitude) if task.latitude is not None else None
    if position:
        min_lat, max_lat, min_lon, max_lon = bounding_box(position, SEARCH_RADIUS_KM)
        rules.append(or_(VolunteerProfile.latitude.is_(None),
                         and_(VolunteerProfile.latitude.between(min_lat, max_lat),
                              VolunteerProfile.longitude.between(min_lon, max_lon))))
    if task.min_age:
        today = to_local(now).date()
        rules.append(User.birth_date <= today.replace(year=today.year - task.min_age))
    interested = exists().where(volunteer_interests.c.profile_id == VolunteerProfile.id,
                                volunteer_interests.c.category_id == task.category_id)
    free_then = 0
    for slot in slots:
        local = to_local(slot.starts_at)
        free_then |= availability_bit(local.weekday(), part_of_day(slot.starts_at))
    order = [(VolunteerProfile.availability.op("&")(free_then) != 0).desc()]
    if position:
        order.append(func.coalesce(_flat_distance(VolunteerProfile.latitude, VolunteerProfile.longitude, position), 1.0))
    base = select(VolunteerProfile.id).join(User, User.id == VolunteerProfile.user_id).where(*rules)
    # The interested first, found through the category index; the rest of the area only if
    # they are too few. In a city that keeps the sort to a few thousand rows, not tens.
    ids = list(db.session.scalars(
        base.join(volunteer_interests, and_(volunteer_interests.c.profile_id == VolunteerProfile.id,
                                            volunteer_interests.c.category_id == task.category_id))
        .order_by(*order, VolunteerProfile.id).limit(VOLUNTEER_CANDIDATES)))
    if len(ids) < VOLUNTEER_CANDIDATES:
        ids += db.session.scalars(base.where(~interested).order_by(*order, VolunteerProfile.id)
                                  .limit(VOLUNTEER_CANDIDATES - len(ids))).all()
    rows = db.session.execute(select(VolunteerProfile, User).join(User, User.id == VolunteerProfile.user_id)
                              .options(selectinload(VolunteerProfile.interests))
                              .where(VolunteerProfile.id.in_(ids or [0]))).all()
    user_ids = [u.id for _, u in rows]
    cleared = set(db.session.scalars(select(Clearance.user_id).where(
        Clearance.organisation_id == task.organisation_id, Clearance.status == ClearanceStatus.approved,
        Clearance.user_id.in_(user_ids or [0]))))
    booked = _booked_by_user(user_ids, first=slots[0].starts_at, last=slots[-1].starts_at)
    recent = _recently_invited(user_ids, now=now)
    earlier = dict(db.session.execute(
        select(TaskInvitation.user_id, func.max(TaskInvitation.sent_at))
        .where(TaskInvitation.task_id == task.id, TaskInvitation.user_id.in_(user_ids or [0]))
        .group_by(TaskInvitation.user_id)).all())
    # Each time as an opportunity once, with and without a recorded børneattest.
    options = {cleared_: [(slot, _opportunity(slot, task, has_clearance=cleared_)) for slot in slots]
               for cleared_ in (False, True)}
    categories = _category_names()
    found = []
    for profile, user in rows:
        volunteer = volunteer_facts(user, now=now, profile=profile, booked=booked.get(user.id, ()))
        best = None
        for slot, opportunity in options[user.id in cleared]:
            result = score(volunteer, opportunity, now=now)
            if result is not None and (best is None or result.score > best[0].score):
                best = (result, slot)
        if best is not None:
            found.append((best[0].score, user, profile, best[1], best[0].reasons))
    found.sort(key=lambda f: (-f[0], f[1].id))
    # Words only for the ones shown: formatting is the slow part of a long list.
    return [Candidate(user, profile, slot, reason_texts(reasons, categories, for_organiser=True), points,
                      recent.get(user.id, 0) >= INVITATIONS_PER_WEEK, earlier.get(user.id))
            for points, user, profile, slot, reasons in found[:limit]]


def _load_interests(profiles):
    if profiles:
        db.session.scalars(select(VolunteerProfile).options(selectinload(VolunteerProfile.interests))
                           .where(VolunteerProfile.id.in_([p.id for p in profiles]))).all()


def _booked_by_user(user_ids, *, first: datetime, last: datetime):
    """Confirmed times in the local months of the times asked about: enough for the
    overlap rule and the monthly hours cap, and no more."""
    if not user_ids:
        return {}
    from portal.core.timeutil import month_bounds
    start = month_bounds(to_local(first).year, to_local(first).month)[0]
    end = month_bounds(to_local(last).year, to_local(last).month)[1]
    rows = db.session.execute(
        select(Signup.user_id, Slot.starts_at, Slot.ends_at).join(Slot, Slot.id == Signup.slot_id)
        .where(Signup.user_id.in_(user_ids), Signup.state == SignupState.confirmed, Slot.status == SlotStatus.open,
               Slot.starts_at >= start, Slot.starts_at < end))
    booked: dict[int, list] = {}
    for user_id, start, end in rows:
        booked.setdefault(user_id, []).append((start, end))
    return {k: tuple(v) for k, v in booked.items()}


def _recently_invited(user_ids, *, now) -> dict[int, int]:
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(TaskInvitation.user_id, func.count(TaskInvitation.id))
        .where(TaskInvitation.user_id.in_(user_ids), TaskInvitation.sent_at > now - timedelta(days=7))
        .group_by(TaskInvitation.user_id)).all())


# --- invitations -------------------------------------------------------------------------------------

def invite(task: Task, slot: Slot | None, volunteer: User, *, by: User, now: datetime) -> TaskInvitation:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == volunteer.id)
                                .with_for_update())
    if profile is None or not profile.suggestions_opt_in:
        raise NotOptedIn()
    # Counting and inserting happen in one write transaction (BEGIN IMMEDIATE on SQLite, the
    # profile row lock on PostgreSQL), so two organisations at once cannot both be the second.
    sent = db.session.scalar(select(func.count(TaskInvitation.id)).where(
        TaskInvitation.user_id == volunteer.id, TaskInvitation.sent_at > now - timedelta(days=7)))
    if sent >= INVITATIONS_PER_WEEK:
        raise InvitationLimit()
    check_invitation_quota(task.organisation)
    token = new_token()
    invitation = TaskInvitation(task_id=task.id, slot_id=slot.id if slot else None, user_id=volunteer.id,
                                invited_by_id=by.id, token_hash=hash_token(token), sent_at=now)
    db.session.add(invitation)
    if not profile.optout_token:
        profile.optout_token = new_token()
    db.session.flush()
    queue_email(volunteer.email, "task_invitation", locale=volunteer.locale, user=volunteer, task=task, slot=slot,
                token=token, optout_token=profile.optout_token)
    return invitation


def invitation_by_token(token: str) -> TaskInvitation:
    invitation = db.session.scalar(select(TaskInvitation).options(joinedload(TaskInvitation.task))
                                   .where(TaskInvitation.token_hash == hash_token(token)))
    if invitation is None:
        raise InvalidToken(_l("This invitation link is not valid."))
    return invitation


def accept_invitation(invitation: TaskInvitation, user: User, *, now: datetime):
    """Signs the invited person up for the slot they were invited to."""
    from portal.errors import NotAllowed
    from portal.signups.services import sign_up
    if invitation.user_id != user.id:
        raise NotAllowed(_l("This invitation was sent to someone else. Log in with your own profile."))
    signup = sign_up(user, invitation.slot, now=now)
    invitation.accepted_at = now
    db.session.flush()
    return signup


def profile_by_optout_token(token: str) -> VolunteerProfile:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.optout_token == token))
    if profile is None:
        raise InvalidToken(_l("This link is not valid."))
    return profile


def stop_invitations(profile: VolunteerProfile) -> None:
    profile.suggestions_opt_in = False
    db.session.flush()


# --- the weekly digest -------------------------------------------------------------------------------

def send_digests(*, now: datetime, limit: int = 500) -> int:
    """Once a week, opted-in volunteers get the new tasks that match them (run by tick)."""
    due = db.session.scalars(select(VolunteerProfile).options(joinedload(VolunteerProfile.user))
                             .where(VolunteerProfile.digest_opt_in.is_(True),
                                    or_(VolunteerProfile.digest_sent_at.is_(None),
                                        VolunteerProfile.digest_sent_at <= now - timedelta(days=7)))
                             .limit(limit)).all()
    sent = 0
    for profile in due:
        since = profile.digest_sent_at or now - timedelta(days=7)
        claimed = db.session.execute(
            update(VolunteerProfile).where(VolunteerProfile.id == profile.id,
                                           or_(VolunteerProfile.digest_sent_at.is_(None),
                                               VolunteerProfile.digest_sent_at <= now - timedelta(days=7)))
            .values(digest_sent_at=now).execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue  # another tick took it
        user = profile.user
        from flask_babel import force_locale
        with force_locale(user.locale):
            found = suggestions_for(user, now=now, limit=5, created_after=since)
            if found:
                queue_email(user.email, "digest", locale=user.locale, user=user, suggestions=found)
                sent += 1
    db.session.flush()
    return sent


def ensure_profile(user: User) -> VolunteerProfile:
    return ensure_volunteer_profile(user)


def update_volunteer_profile(user: User, *, interests: list[int], availability: list[int], skills: str | None,
                             languages: str | None, address: str | None, max_distance_km, suggestions_opt_in: bool,
                             digest_opt_in: bool) -> VolunteerProfile:
    """Saves the matching profile. The position comes from a typed point, else the gazetteer
    (by the place named, else the postcode); we keep its source so people can see why."""
    from flask import current_app

    from portal.core.people import parse_point
    from portal.geocoding import geocoder_from_config
    profile = ensure_volunteer_profile(user)
    profile.interests = list(db.session.scalars(select(Category).where(Category.id.in_(interests or [0]))))
    profile.availability = sum(1 << bit for bit in set(availability or []) if 0 <= bit < 21)
    profile.skills = ", ".join(s.strip() for s in (skills or "").split(",") if s.strip()) or None
    profile.languages = ", ".join(s.strip() for s in (languages or "").split(",") if s.strip()) or None
    profile.address = address or None
    profile.max_distance_km = float(max_distance_km) if max_distance_km is not None else None
    profile.suggestions_opt_in, profile.digest_opt_in = suggestions_opt_in, digest_opt_in
    point = parse_point(address or "")
    if point is not None:
        (profile.latitude, profile.longitude), profile.location_source = point, "typed"
    else:
        place = geocoder_from_config(current_app.config["GEOCODER"], current_app.config).locate(address=address or "",
                                                                              postcode=user.postcode or "")
        profile.latitude, profile.longitude = (place.latitude, place.longitude) if place else (None, None)
        profile.location_source = place.name if place else None  # the source stays with the gazetteer
    if suggestions_opt_in and not profile.optout_token:
        profile.optout_token = new_token()
    db.session.flush()
    return profile
