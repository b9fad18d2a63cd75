"""Signing up without ever overbooking, and the waitlist with hold-and-offer. (The organiser's
follow-up of who came lives in portal/followup/.)

The seat counter is changed only by conditional UPDATEs inside the caller's transaction:
    UPDATE slots SET taken = taken + 1 WHERE id = :id AND status = 'open' AND taken < capacity
If no row changed, the slot was full. The partial unique index on live signups stops a
double click; its IntegrityError rolls the counter back with everything else."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from portal.calendar.services import cancellation_ics, slot_ics, slots_ics
from portal.charter import services as charter
from portal import access
from portal.core.eligibility import Decision, PersonFacts, Reason, SlotFacts, decide
from portal.core.text import hash_token, new_token
from portal.core.timeutil import to_local
from portal.errors import DomainError, InvalidState
from portal.extensions import db
from portal.hours import services as ledger
from portal.models import (SEAT_HOLDING, Clearance, ClearanceStatus, HoursEntry, Signup, SignupState, Slot,
                           SlotStatus, Task, TaskKind, User, VolunteerProfile)
from portal.outbox import queue_email
from portal.signups import errors
# The errors live in their catalogue beside this module; callers may import them from here.
from portal.signups.errors import AlreadySignedUp, NotEligible, SlotFull, TooLateToCancel, reason_texts  # noqa: F401

OFFER_HOURS = 24          # how long a held seat waits for the first in line
OFFER_STOPS_BEFORE = 2    # ... but never later than this many hours before the start
FIRST_COME_WINDOW = 24    # inside this many hours before start, the first to accept gets the seat

# --- facts and decisions ----------------------------------------------------------------------

BOOKED_WINDOW = timedelta(days=35)  # a month either side: enough for overlap and the monthly cap


def booked_intervals(user: User, *, around: datetime, exclude_slot: int | None = None):
    """The person's confirmed times within a month either side (enough for overlap and the cap)."""
    rows = db.session.execute(
        select(Slot.starts_at, Slot.ends_at).join(Signup, Signup.slot_id == Slot.id)
        .where(Signup.user_id == user.id, Signup.state == SignupState.confirmed,
               Slot.status == SlotStatus.open, Slot.id != (exclude_slot or 0),
               Slot.starts_at > around - BOOKED_WINDOW, Slot.starts_at < around + BOOKED_WINDOW))
    return tuple((s, e) for s, e in rows)


def person_facts(user: User, slot: Slot) -> PersonFacts:
    org_id = slot.task.organisation_id
    clearance = db.session.scalar(select(Clearance.status).where(
        Clearance.user_id == user.id, Clearance.organisation_id == org_id))
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    return PersonFacts(birth_date=user.birth_date, has_clearance=clearance is ClearanceStatus.approved,
                       max_hours_per_month=profile.max_hours_per_month if profile else None,
                       booked=booked_intervals(user, around=slot.starts_at, exclude_slot=slot.id))


def slot_is_open(slot: Slot) -> bool:
    return slot.status is SlotStatus.open and access.is_public_task(slot.task)


def slot_facts(slot: Slot) -> SlotFacts:
    task = slot.task
    return SlotFacts(starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=slot.capacity,
                     taken=slot.taken, is_open=slot_is_open(slot), min_age=task.min_age,
                     needs_clearance=task.needs_child_certificate)


def decision_for(user: User, slot: Slot, *, now: datetime) -> Decision:
    return decide(person_facts(user, slot), slot_facts(slot), now=now)


def live_signup(user: User, slot: Slot) -> Signup | None:
    return db.session.scalar(select(Signup).where(Signup.user_id == user.id, Signup.slot_id == slot.id,
                                                  Signup.state != SignupState.cancelled))


def blockers_but_full(decision: Decision) -> tuple[Reason, ...]:
    """What stops a sign-up outright: every blocker except "full" (a full time still has a
    waitlist, and the page says so beside its button)."""
    return tuple(r for r in decision.blockers if r is not Reason.full)


# --- what one viewer sees on a task page ------------------------------------------------------

@dataclass
class SlotChoice:
    """One time of a task page, as the viewer sees it: their live signup (with its waitlist
    position and whether they may still cancel), or the decision with its texts."""
    slot: Slot
    mine: Signup | None = None
    position: int | None = None
    can_cancel: bool = False
    decision: Decision | None = None
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def viewer_facts(user: User | None, slots: list[Slot], *, now: datetime) -> list[SlotChoice]:
    """`live_signup`, `decision_for`, `waitlist_position` and `can_cancel` for every slot, in a
    fixed number of queries however many slots there are (the slots' task and organisation
    are loaded once through the identity map)."""
    if user is None or not slots:
        return [SlotChoice(slot) for slot in slots]
    ids = [slot.id for slot in slots]
    mine = {s.slot_id: s for s in db.session.scalars(select(Signup).where(
        Signup.user_id == user.id, Signup.slot_id.in_(ids), Signup.state != SignupState.cancelled))}
    positions = waitlist_positions([s for s in mine.values() if s.state is SignupState.waitlisted])
    undecided = [slot for slot in slots if slot.id not in mine]
    facts = _people_facts(user, undecided)
    choices = []
    for slot in slots:
        signup = mine.get(slot.id)
        if signup is not None:
            choices.append(SlotChoice(slot, signup, positions.get(signup.id), can_cancel(signup, now)))
            continue
        decision = decide(facts[slot.id], slot_facts(slot), now=now)
        choices.append(SlotChoice(slot, decision=decision,
                                  reasons=reason_texts(blockers_but_full(decision), decision.extra),
                                  warnings=reason_texts(decision.warnings, decision.extra)))
    return choices


def _people_facts(user: User, slots: list[Slot]) -> dict[int, PersonFacts]:
    """`person_facts` for many slots: clearances, profile and booked times read once each."""
    if not slots:
        return {}
    org_ids = {slot.task.organisation_id for slot in slots}
    cleared = set(db.session.scalars(select(Clearance.organisation_id).where(
        Clearance.user_id == user.id, Clearance.organisation_id.in_(org_ids),
        Clearance.status == ClearanceStatus.approved)))
    cap = db.session.scalar(select(VolunteerProfile.max_hours_per_month).where(VolunteerProfile.user_id == user.id))
    earliest, latest = min(s.starts_at for s in slots), max(s.starts_at for s in slots)
    booked = db.session.execute(
        select(Slot.id, Slot.starts_at, Slot.ends_at).join(Signup, Signup.slot_id == Slot.id)
        .where(Signup.user_id == user.id, Signup.state == SignupState.confirmed, Slot.status == SlotStatus.open,
               Slot.starts_at > earliest - BOOKED_WINDOW, Slot.starts_at < latest + BOOKED_WINDOW)).all()
    facts = {}
    for slot in slots:
        around = slot.starts_at
        near = tuple((s, e) for slot_id, s, e in booked if slot_id != slot.id
                     and around - BOOKED_WINDOW < s < around + BOOKED_WINDOW)
        facts[slot.id] = PersonFacts(birth_date=user.birth_date,
                                     has_clearance=slot.task.organisation_id in cleared,
                                     max_hours_per_month=cap, booked=near)
    return facts


# --- the seat counter -------------------------------------------------------------------------

# Seats are not part of a calendar event: the slot keeps its updated_at (the feeds' DTSTAMP) and
# the calendar's data version (portal/dataversion.py), so subscribed calendars see no change.
_SEATS_ONLY = {"synchronize_session": False, "seats_only": True}


def _take_seat(slot_id: int) -> bool:
    result = db.session.execute(
        update(Slot).where(Slot.id == slot_id, Slot.status == SlotStatus.open, Slot.taken < Slot.capacity)
        .values(taken=Slot.taken + 1, updated_at=Slot.updated_at).execution_options(**_SEATS_ONLY))
    return result.rowcount == 1


def _free_seat(slot_id: int) -> None:
    db.session.execute(update(Slot).where(Slot.id == slot_id, Slot.taken > 0)
                       .values(taken=Slot.taken - 1, updated_at=Slot.updated_at).execution_options(**_SEATS_ONLY))


def _refresh(slot: Slot) -> None:
    db.session.refresh(slot, attribute_names=["taken", "capacity", "status"])


def _transition(signup: Signup, from_state: SignupState, to_state: SignupState, **values) -> bool:
    """Moves a signup between states only if nobody else moved it first (two ticks, or a
    volunteer and an organiser at once); the seat counter follows only a won transition."""
    db.session.flush()
    result = db.session.execute(
        update(Signup).where(Signup.id == signup.id, Signup.state == from_state)
        .values(state=to_state, **values).execution_options(synchronize_session=False))
    db.session.refresh(signup)
    return result.rowcount == 1


# --- signing up -------------------------------------------------------------------------------

def _check_may_sign_up(user: User, slot: Slot, now: datetime) -> None:
    """Every rule but 'full' (a full slot still has a waitlist)."""
    if live_signup(user, slot) is not None:
        raise AlreadySignedUp()
    decision = decision_for(user, slot, now=now)
    blockers = blockers_but_full(decision)
    if blockers:
        raise NotEligible(Decision(blockers, decision.warnings, decision.extra))
    # The organisation may ask for the current volunteer charter first (charter.CharterRequired).
    charter.require_acceptance(user, slot.task.organisation)


def _insert(signup: Signup) -> Signup:
    db.session.add(signup)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Another request of the same person won the race (a double click).
        raise AlreadySignedUp()
    return signup


def sign_up(user: User, slot: Slot, *, now: datetime, send_mail: bool = True) -> Signup:
    """Confirms a seat or raises: NotEligible (with reasons), SlotFull, AlreadySignedUp."""
    _check_may_sign_up(user, slot, now)
    if not _take_seat(slot.id):
        raise SlotFull()
    signup = _insert(Signup(slot_id=slot.id, user_id=user.id, state=SignupState.confirmed, created_at=now))
    _refresh(slot)
    if send_mail:
        _mail_confirmation(signup)
    return signup


def _mail_confirmation(signup: Signup) -> None:
    slot = signup.slot
    queue_email(signup.user.email, "signup_confirmed", locale=signup.user.locale, user=signup.user,
                slot=slot, task=slot.task,
                attachment=("invitation.ics", "text/calendar", slot_ics(slot)))


@dataclass
class SeriesResult:
    signed: list[Slot]
    skipped: list[tuple[Slot, str]]


def sign_up_series(user: User, task: Task, *, first: date, last: date, now: datetime) -> SeriesResult:
    """Every open time of a task between two local dates. Times that cannot be booked are
    skipped with their reason; the rest are booked in the same transaction."""
    slots = [s for s in db.session.scalars(
        select(Slot).where(Slot.task_id == task.id, Slot.status == SlotStatus.open, Slot.starts_at > now)
        .order_by(Slot.starts_at)) if first <= to_local(s.starts_at).date() <= last]
    result = SeriesResult([], [])
    for slot in slots:
        try:
            with db.session.begin_nested():
                sign_up(user, slot, now=now, send_mail=False)
        except AlreadySignedUp:
            continue
        except (NotEligible, SlotFull) as error:
            result.skipped.append((slot, str(error.message)))
        else:
            result.signed.append(slot)
    if result.signed:
        queue_email(user.email, "series_confirmed", locale=user.locale, user=user, task=task,
                    slots=result.signed, skipped=result.skipped,
                    attachment=("invitation.ics", "text/calendar", slots_ics(result.signed)))
    return result


def join_waitlist(user: User, slot: Slot, *, now: datetime) -> Signup:
    _check_may_sign_up(user, slot, now)
    if not slot.is_full:
        return sign_up(user, slot, now=now)
    return _insert(Signup(slot_id=slot.id, user_id=user.id, state=SignupState.waitlisted, created_at=now))


def waitlist_positions(signups: list[Signup]) -> dict[int, int]:
    """`waitlist_position` of many waitlisted signups in one grouped query: signup id -> place."""
    if not signups:
        return {}
    ahead = aliased(Signup)
    rows = db.session.execute(
        select(Signup.id, func.count(ahead.id)).outerjoin(ahead, and_(
            ahead.slot_id == Signup.slot_id, ahead.state == SignupState.waitlisted,
            (ahead.created_at < Signup.created_at) | and_(ahead.created_at == Signup.created_at, ahead.id < Signup.id)))
        .where(Signup.id.in_([s.id for s in signups])).group_by(Signup.id))
    return {signup_id: count + 1 for signup_id, count in rows}


def waitlist_position(signup: Signup) -> int | None:
    if signup.state is not SignupState.waitlisted:
        return None
    ahead = db.session.scalar(select(func.count(Signup.id)).where(
        Signup.slot_id == signup.slot_id, Signup.state == SignupState.waitlisted,
        (Signup.created_at < signup.created_at) | and_(Signup.created_at == signup.created_at, Signup.id < signup.id)))
    return ahead + 1


# --- cancelling and the waitlist --------------------------------------------------------------

def cancel_deadline(signup: Signup) -> datetime:
    return signup.slot.starts_at - timedelta(hours=signup.slot.task.cancel_deadline_hours)


def can_cancel(signup: Signup, now: datetime) -> bool:
    if signup.state in (SignupState.waitlisted, SignupState.offered):
        return True
    return signup.state is SignupState.confirmed and now < cancel_deadline(signup)


def cancel(signup: Signup, *, now: datetime, reason: str = "volunteer") -> None:
    if signup.state is SignupState.cancelled:
        return
    if signup.state is SignupState.confirmed and now >= cancel_deadline(signup):
        raise TooLateToCancel(to_local(cancel_deadline(signup)).strftime("%d.%m.%Y %H:%M"))
    held_seat = signup.state in SEAT_HOLDING
    if not _transition(signup, signup.state, SignupState.cancelled, cancelled_at=now, cancel_reason=reason):
        return  # someone else changed it in the meantime
    if held_seat:
        _free_seat(signup.slot_id)
        _refresh(signup.slot)
        if reason == "volunteer":
            queue_email(signup.user.email, "signup_cancelled", locale=signup.user.locale,
                        user=signup.user, slot=signup.slot, task=signup.slot.task,
                        attachment=("cancelled.ics", "text/calendar", cancellation_ics(signup.slot, now=now)))
        offer_free_seats(signup.slot, now=now)


def _waitlisted(slot: Slot) -> list[Signup]:
    return list(db.session.scalars(select(Signup).options(joinedload(Signup.user))
                                   .where(Signup.slot_id == slot.id, Signup.state == SignupState.waitlisted)
                                   .order_by(Signup.created_at, Signup.id)))


def offer_free_seats(slot: Slot, *, now: datetime) -> None:
    """A seat came free. Far from the start, the first in line gets it held with a deadline;
    close to the start, everyone waiting is told and the first to accept gets it."""
    if slot.status is not SlotStatus.open or slot.starts_at <= now:
        return
    waiting = _waitlisted(slot)
    if not waiting:
        return
    offer_deadline = min(now + timedelta(hours=OFFER_HOURS), slot.starts_at - timedelta(hours=OFFER_STOPS_BEFORE))
    first_come = slot.starts_at - now <= timedelta(hours=FIRST_COME_WINDOW) or offer_deadline <= now
    if first_come:
        for signup in waiting:
            if signup.offered_at is None:  # each person is told once
                token = _new_link(signup)
                signup.offered_at = now
                queue_email(signup.user.email, "place_free", locale=signup.user.locale, user=signup.user,
                            slot=slot, task=slot.task, token=token)
        db.session.flush()
        return
    for signup in waiting:
        if not _take_seat(slot.id):
            break
        token = new_token()
        if not _transition(signup, SignupState.waitlisted, SignupState.offered, offered_at=now,
                           offer_expires_at=offer_deadline, link_token_hash=hash_token(token)):
            _free_seat(slot.id)  # they left the waitlist meanwhile; give the seat back
            continue
        queue_email(signup.user.email, "waitlist_offer", locale=signup.user.locale, user=signup.user,
                    slot=slot, task=slot.task, token=token, deadline=offer_deadline)
    db.session.flush()
    _refresh(slot)


def _new_link(signup: Signup) -> str:
    token = new_token()
    signup.link_token_hash = hash_token(token)
    return token


def signup_by_token(token: str) -> Signup:
    signup = db.session.scalar(select(Signup).where(Signup.link_token_hash == hash_token(token)))
    if signup is None:
        raise errors.link_invalid()
    return signup


def accept(signup: Signup, *, now: datetime) -> Signup:
    """Accept a held offer, or (close to the start) try to take the free seat first."""
    slot = signup.slot
    if signup.state is SignupState.confirmed:
        return signup
    if signup.state in (SignupState.offered, SignupState.waitlisted):
        charter.require_acceptance(signup.user, slot.task.organisation)
    expired = errors.offer_expired()
    if signup.state is SignupState.offered:
        if signup.offer_expires_at and now >= signup.offer_expires_at:
            raise expired
        if not _transition(signup, SignupState.offered, SignupState.confirmed, link_token_hash=None):
            raise expired
    elif signup.state is SignupState.waitlisted:
        if slot.starts_at <= now or not _take_seat(slot.id):
            raise SlotFull(errors.error_messages["taken_first"])
        if not _transition(signup, SignupState.waitlisted, SignupState.confirmed, link_token_hash=None):
            raise errors.no_longer_signed_up()
    else:
        raise errors.no_longer_signed_up()
    _refresh(slot)
    _mail_confirmation(signup)
    return signup


def decline(signup: Signup, *, now: datetime) -> None:
    cancel(signup, now=now, reason="declined")


def expire_offers(*, now: datetime) -> int:
    """Offers nobody answered pass to the next in line (run by `flask tick`)."""
    expired = list(db.session.scalars(select(Signup).where(
        Signup.state == SignupState.offered, Signup.offer_expires_at <= now)))
    for signup in expired:
        cancel(signup, now=now, reason="offer_expired")
    return len(expired)


def send_reminders(*, now: datetime) -> int:
    """A reminder 24 hours before. The conditional UPDATE makes two ticks at once send one."""
    due = db.session.scalars(
        select(Signup).join(Slot).where(Signup.state == SignupState.confirmed, Signup.reminder_sent_at.is_(None),
                                        Slot.status == SlotStatus.open, Slot.starts_at > now,
                                        Slot.starts_at <= now + timedelta(hours=24))).all()
    sent = 0
    for signup in due:
        claimed = db.session.execute(update(Signup).where(Signup.id == signup.id, Signup.reminder_sent_at.is_(None))
                                     .values(reminder_sent_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount:
            queue_email(signup.user.email, "reminder", locale=signup.user.locale, user=signup.user,
                        slot=signup.slot, task=signup.slot.task)
            sent += 1
    db.session.flush()
    return sent


# --- the volunteer's own overview -------------------------------------------------------------

@dataclass
class MyOverview:
    upcoming: list[Signup]
    waiting: list[Signup]
    past: list[Signup]
    hours: float


def overview(user: User, *, now: datetime) -> MyOverview:
    signups = list(db.session.scalars(
        select(Signup).options(joinedload(Signup.slot).joinedload(Slot.task).joinedload(Task.organisation))
        .join(Slot).where(Signup.user_id == user.id, Signup.state != SignupState.cancelled)
        .order_by(Slot.starts_at)))
    upcoming = [s for s in signups if s.state is SignupState.confirmed and s.slot.ends_at > now]
    waiting = [s for s in signups if s.state in (SignupState.waitlisted, SignupState.offered) and s.slot.ends_at > now]
    past = [s for s in signups if s.state is SignupState.confirmed and s.slot.ends_at <= now][::-1]
    return MyOverview(upcoming, waiting, past, ledger.total_hours(user=user))


# --- hours on ongoing roles -----------------------------------------------------------------

def log_hours(user: User, task: Task, *, worked_on: date, minutes: int, note: str | None, now: datetime) -> HoursEntry:
    if task.kind is not TaskKind.ongoing:
        raise InvalidState(errors.error_messages["hours_only_ongoing"])
    if worked_on > to_local(now).date():
        raise DomainError(errors.error_messages["hours_in_future"], field="worked_on")
    entry = HoursEntry(task_id=task.id, user_id=user.id, worked_on=worked_on, minutes=minutes, note=note or None,
                       created_at=now)
    db.session.add(entry)
    db.session.flush()
    return entry

