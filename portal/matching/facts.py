"""What suggestions and candidate lists share: a volunteer and a task as facts for the pure
ranking in portal/core/matching.py, and the reasons it gives, in plain words."""

from datetime import datetime, timedelta

from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from portal.core.distance import KM_PER_DEGREE
from portal.core.eligibility import PersonFacts, SlotFacts
from portal.core.matching import Opportunity, ReasonKind, Volunteer
from portal.core.timeutil import month_bounds, to_local
from portal.extensions import db
from portal.models import Category, Signup, SignupState, Slot, SlotStatus, Task, User, VolunteerProfile
from portal.volunteers.services import PART_NAMES, WEEKDAY_NAMES, position

HORIZON = timedelta(days=42)       # suggestions look six weeks ahead
SEARCH_RADIUS_KM = 25.0            # when the volunteer set no limit
# Rows without a place sort as if one degree away (about 111 km) in flat_km2's km².
NO_PLACE_KM2 = KM_PER_DEGREE ** 2


def volunteer_facts(user: User, *, now: datetime, profile: VolunteerProfile | None = None,
                    booked=None, interests: frozenset[int] | None = None) -> Volunteer:
    """The volunteer as the ranking sees them. `user` and `profile` may also be one row of
    plain columns under the models' names (birth_date, postcode; availability, skills,
    max_hours_per_month, max_distance_km, latitude, longitude) when `booked` and `interests`
    are given: ranking a hundred candidates from columns costs a fraction of building their
    objects."""
    profile = profile if profile is not None else user.volunteer_profile
    skills = tuple(s.strip() for s in (profile.skills or "").split(",") if s.strip()) if profile else ()
    if interests is None:
        interests = frozenset(c.id for c in profile.interests) if profile else frozenset()
    return Volunteer(
        person=PersonFacts(birth_date=user.birth_date, max_hours_per_month=profile.max_hours_per_month if profile else None,
                           booked=booked if booked is not None
                           else booked_by_user([user.id], first=now, last=now + HORIZON).get(user.id, ())),
        interests=interests, skills=skills, availability=profile.availability if profile else 0,
        position=position(user, profile), max_distance_km=profile.max_distance_km if profile else None)


def booked_by_user(user_ids, *, first: datetime, last: datetime, capped=None,
                   span: tuple[datetime, datetime] | None = None) -> dict[int, tuple[tuple[datetime, datetime], ...]]:
    """Confirmed times in the whole local months from first to last, in one statement for
    everyone asked about: the monthly hours cap counts every booking of a candidate time's
    month (a window around "now" would miss the start of this month or the end of the last),
    and the overlap rule needs no more.

    With `capped` (the ids of those with a monthly cap) and `span` (from the first candidate
    time's start to the last one's end), the others get only the times that overlap the span:
    without a cap only the overlap rule reads their bookings, and a time outside the span
    overlaps no candidate time. A hundred candidates' whole months were most of the rows."""
    if not user_ids:
        return {}
    start = month_bounds(to_local(first).year, to_local(first).month)[0]
    end = month_bounds(to_local(last).year, to_local(last).month)[1]
    conditions = [Signup.user_id.in_(user_ids), Signup.state == SignupState.confirmed, Slot.status == SlotStatus.open,
                  Slot.starts_at >= start, Slot.starts_at < end]
    if span is not None:
        conditions.append(or_(Signup.user_id.in_(list(capped or ()) or [0]),
                              and_(Slot.starts_at < span[1], Slot.ends_at > span[0])))
    rows = db.session.execute(
        select(Signup.user_id, Slot.starts_at, Slot.ends_at).join(Slot, Slot.id == Signup.slot_id).where(*conditions))
    booked: dict[int, list] = {}
    for user_id, starts_at, ends_at in rows:
        booked.setdefault(user_id, []).append((starts_at, ends_at))
    return {k: tuple(v) for k, v in booked.items()}


def opportunity(slot: Slot | None, task: Task, *, has_clearance: bool) -> Opportunity:
    facts = None
    if slot is not None:
        facts = SlotFacts(starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=slot.capacity, taken=slot.taken,
                          is_open=True, min_age=task.min_age,
                          needs_clearance=task.needs_child_certificate and not has_clearance)
    place = (task.latitude, task.longitude) if task.latitude is not None else None
    return Opportunity(task_id=task.id, category_id=task.category_id, text=f"{task.title} {task.description}",
                       slot=facts, slot_id=slot.id if slot else None, position=place)


def category_names() -> dict[int, Category]:
    return {c.id: c for c in db.session.scalars(select(Category))}


def reason_texts(reasons, categories: dict[int, Category], *, for_organiser: bool = False) -> list[str]:
    """Plain words for the reasons: to the volunteer ("1,2 km fra dig") or, on the
    organiser's page, about the volunteer ("1,2 km væk"), where seats and dates go without saying."""
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
