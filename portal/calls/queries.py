"""What the call pages read: the public list, who a call is for, the answers, the overdue list."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.calls.services import my_organisations, overdue_days
from portal.core.distance import distance_km
from portal.core.people import age_on
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import (Call, CallAnswer, CallAudience, CallStatus, Organisation, Slot, SlotStatus, User,
                           VolunteerProfile)

YOUNG = (15, 25)
CLOSED_SHOWN = 30


def _public():
    """SQL: a call anyone may see: published, by the municipality or an approved organisation."""
    return and_(Call.status != CallStatus.draft,
                or_(Call.organisation_id.is_(None), Call.organisation_id.in_(
                    select(Organisation.id).where(access.public_organisation_clause()))))


def _with_organisation(query):
    return query.options(joinedload(Call.organisation))


@dataclass(frozen=True)
class Listing:
    open: list[Call]            # answering now, deadline soonest first
    waiting: list[Call]         # deadline passed, the note not yet published
    closed: list[Call]          # with their "what came of it", newest first
    mine: list[Call]            # the viewer's own drafts and calls (staff only)


def listing(user, *, now: datetime) -> Listing:
    public = _public()
    open_calls = db.session.scalars(_with_organisation(select(Call)).where(
        public, Call.status == CallStatus.open, Call.closes_at > now).order_by(Call.closes_at, Call.id)).all()
    waiting = db.session.scalars(_with_organisation(select(Call)).where(
        public, Call.status == CallStatus.open, Call.closes_at <= now).order_by(Call.closes_at, Call.id)).all()
    closed = db.session.scalars(_with_organisation(select(Call)).where(
        public, Call.status == CallStatus.closed).order_by(Call.closed_at.desc(), Call.id.desc())
        .limit(CLOSED_SHOWN)).all()
    return Listing(list(open_calls), list(waiting), list(closed), own_calls(user))


def own_calls(user) -> list[Call]:
    """The calls the viewer owns and may change: their organisations' and, for the coordinator,
    the municipality's. Closed ones are in the public list."""
    if not getattr(user, "is_authenticated", False):
        return []
    ours = [o.id for o in my_organisations(user)]
    whose = [Call.organisation_id.in_(ours)] if ours else []
    if access.is_coordinator(user):
        whose.append(Call.organisation_id.is_(None))
    if not whose:
        return []
    return list(db.session.scalars(_with_organisation(select(Call)).where(
        or_(*whose), Call.status != CallStatus.closed).order_by(Call.closes_at, Call.id)))


# --- who the call is for --------------------------------------------------------------------------

def _position(user) -> tuple[float, float] | None:
    """Where the viewer lives, as near as we know: their volunteer profile's point, else their
    postcode's town in the gazetteer (offline; never a network lookup on a page view)."""
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is not None and profile.latitude is not None and profile.longitude is not None:
        return profile.latitude, profile.longitude
    if user.postcode:
        from portal.geocoding import GazetteerGeocoder

        found = GazetteerGeocoder().locate(postcode=user.postcode)
        if found is not None:
            return found.latitude, found.longitude
    return None


def is_for(call: Call, user, *, today: date) -> bool:
    """Whether a "young" or "near" call is meant for the viewer (a highlight; anyone logged in
    may answer). False for calls to everyone: there is nothing to point out."""
    if not getattr(user, "is_authenticated", False) or call.audience is CallAudience.everyone:
        return False
    if call.audience is CallAudience.young:
        return user.birth_date is not None and YOUNG[0] <= age_on(user.birth_date, today) <= YOUNG[1]
    if call.latitude is None or call.longitude is None or call.radius_km is None:
        return False
    where = _position(user)
    return where is not None and distance_km(where, (call.latitude, call.longitude)) <= call.radius_km


# --- the meeting ----------------------------------------------------------------------------------

def meeting_times(call: Call, *, now: datetime, limit: int = 3) -> list[Slot]:
    """The next open times of the call's meeting task, if it is still public."""
    task = call.meeting_task
    if task is None or not access.is_public_task(task):
        return []
    return list(db.session.scalars(select(Slot).where(
        Slot.task_id == task.id, Slot.status == SlotStatus.open, Slot.starts_at > now)
        .order_by(Slot.starts_at, Slot.id).limit(limit)))


def meeting_is_public(call: Call) -> bool:
    return call.meeting_task is not None and access.is_public_task(call.meeting_task)


# --- answers --------------------------------------------------------------------------------------

def first_name(user: User | None) -> str:
    return (user.name or "").split()[0] if user is not None and (user.name or "").strip() else ""


def answers(call: Call, *, hidden_too: bool = False) -> list[CallAnswer]:
    """The answers, oldest first, with their people loaded for the first names; those the owner
    hid from the public page only with `hidden_too` (the owner's own list)."""
    query = select(CallAnswer).options(joinedload(CallAnswer.user)).where(CallAnswer.call_id == call.id)
    if not hidden_too:
        query = query.where(CallAnswer.hidden_at.is_(None))
    return list(db.session.scalars(query.order_by(CallAnswer.created_at, CallAnswer.id)))


def shown_name(answer: CallAnswer) -> str:
    """The first name when the person agreed to show it; blank otherwise (the page says "A citizen")."""
    return first_name(answer.user) if answer.show_name else ""


# --- the coordinator's overdue list ---------------------------------------------------------------

@dataclass(frozen=True)
class Overdue:
    call: Call
    days: int


def overdue(*, now: datetime) -> list[Overdue]:
    calls = db.session.scalars(_with_organisation(select(Call)).options(joinedload(Call.owner)).where(
        Call.status == CallStatus.open, Call.closes_at <= now).order_by(Call.closes_at, Call.id)).all()
    return [Overdue(c, overdue_days(c, now=now)) for c in calls]


def local_today(now: datetime) -> date:
    return to_local(now).date()
