"""Assisted profiles: a citizen without e-mail whom the coordinator (or an organisation admin) creates,
signs up and phones; the call list of what the portal would have mailed them; handing the profile over
to the citizen when they get an e-mail address; their data export and deletion.

Services flush; the route commits once (design.md, house rule 3). Every staff action on the citizen's
data is written to the audit log inside the same transaction."""

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import access, audit
from portal.core.assisted import consent_date_problem, duplicate_key
from portal.core.text import hash_token, new_token
from portal.core.timeutil import to_local
from portal.errors import DomainError, EmailTaken, InvalidState, InvalidToken
from portal.extensions import db
from portal.models import (AssistedProfile, CallListItem, Consent, ConsentKind, ConsentMethod, Organisation,
                           Signup, SignupState, Slot, SlotStatus, User, email_key)
from portal.outbox import queue_email
from portal.ratelimits import TooMany, hit, wait_text

error_messages = {
    "consent_future": _l("The day consent was given cannot be in the future."),
    "consent_too_early": _l("The day consent was given cannot be before 2025."),
    "consent_missing": _l("Enter the day the citizen gave their consent."),
    "not_explained": _l("Explain what we store and why, and tick the box when the citizen has agreed."),
    "duplicate": _l("A citizen with this name and phone number already has a profile. Check the list first; "
                    "tick the box below if this really is another person."),
    "birth_future": _l("The date of birth cannot be in the future."),
    "birth_too_old": _l("Check the year of the date of birth."),
    "too_many": _l("You have created many profiles today. Try again %(wait)s."),
    "no_such_time": _l("Choose a time from the list."),
    "time_not_open": _l("This time is no longer open for sign-up. Choose another."),
    "not_theirs": _l("That sign-up does not belong to this citizen."),
    "no_offer": _l("There is no place offered to accept."),
    "already_called": _l("Someone has already marked this call as done."),
    "email_needed": _l("Enter the citizen's own e-mail address."),
    "taken_over": _l("The citizen has already taken over this profile."),
    "charter_needed": _l("%(org)s asks volunteers to accept the volunteer charter first. Read it to the citizen, "
                         "and tick the box when they accept it."),
}

TAKEOVER_REASON = "assisted_takeover"
CANCEL_REASON = "assisted_by_staff"


def _error(key: str, *, field: str | None = None, **values) -> DomainError:
    message = error_messages[key]
    return DomainError(message % values if values else message, field=field)


# --- who looks after whom ---------------------------------------------------------------------------

def may_look_after(staff, profile: AssistedProfile) -> bool:
    """The coordinator looks after every assisted citizen; an organisation admin those their organisation
    created."""
    if access.is_coordinator(staff):
        return True
    if profile.organisation_id is None:
        return False
    org = db.session.get(Organisation, profile.organisation_id)
    return org is not None and access.is_admin(staff, org)


def profile_of(user_id: int) -> AssistedProfile | None:
    """The live assisted profile of a user; None for an ordinary account or one the citizen took over."""
    return db.session.scalar(select(AssistedProfile).where(AssistedProfile.user_id == user_id,
                                                           AssistedProfile.taken_over_at.is_(None)))


# --- creating and changing --------------------------------------------------------------------------

def _a_date(value) -> date | None:
    """A form's date, or None for a field left empty (or never sent)."""
    return value if isinstance(value, date) else None


def _check_birth_date(birth_date: date | None, today: date) -> None:
    if birth_date is None:
        return
    if birth_date > today:
        raise _error("birth_future", field="birth_date")
    if today.year - birth_date.year > 120:
        raise _error("birth_too_old", field="birth_date")


def _duplicates(name: str, phone: str, *, exclude: int | None = None) -> bool:
    wanted = duplicate_key(name, phone)
    query = (select(User.id, User.name, User.phone).join(AssistedProfile, AssistedProfile.user_id == User.id)
             .where(func.lower(User.name) == " ".join(name.split()).lower()))
    if exclude is not None:
        query = query.where(User.id != exclude)
    return any(duplicate_key(n, p) == wanted for _id, n, p in db.session.execute(query))


def create_profile(staff: User, *, organisation: Organisation | None, name: str, phone: str, postal_address: str,
                   birth_date: date | None, locale: str, consent_method: str, consent_given_on: date | None,
                   explained: bool, note: str | None, confirm_duplicate: bool = False, now: datetime) -> User:
    """A User without e-mail and password, and the record of how consent was given. Raises DomainError
    (with the field) for a consent day that cannot be right, a missing explanation, a likely duplicate
    (unless confirmed) and too many profiles by one staff member today."""
    today = to_local(now).date()
    birth_date = _a_date(birth_date)
    consent_given_on = _a_date(consent_given_on)
    problem = consent_date_problem(consent_given_on, today)
    if problem:
        raise _error(f"consent_{problem}", field="consent_given_on")
    if not explained:
        raise _error("not_explained", field="explained")
    _check_birth_date(birth_date, today)
    if not confirm_duplicate and _duplicates(name, phone):
        raise _error("duplicate", field="confirm_duplicate")
    blocked = hit("assisted-profile", current_app.config.get("ASSISTED_PROFILE_RATE_LIMIT", "30 per day"), staff.id)
    if blocked:
        raise TooMany(error_messages["too_many"] % {"wait": wait_text(blocked)})
    user = User(email=None, password_hash=None, name=name, phone=phone, birth_date=birth_date,
                locale=locale if locale in ("da", "en") else "da", created_at=now)
    db.session.add(user)
    db.session.flush()
    profile = AssistedProfile(user_id=user.id, postal_address=postal_address,
                              consent_method=ConsentMethod(consent_method), consent_given_on=consent_given_on,
                              recorded_by_id=staff.id, organisation_id=getattr(organisation, "id", None),
                              note=note or None, created_at=now)
    db.session.add(profile)
    db.session.flush()
    audit.record(staff, "assisted_profile_created", obj=profile, organisation=organisation, subjects=[user],
                 summary=f"{name} ({consent_method}, {consent_given_on.isoformat()})",
                 after={"consent_method": consent_method, "consent_given_on": consent_given_on.isoformat()},
                 now=now)
    return user


EDITABLE = ("name", "phone", "postal_address", "birth_date", "locale", "note")


def _snapshot(profile: AssistedProfile) -> dict:
    user = profile.user
    return {"name": user.name, "phone": user.phone, "postal_address": profile.postal_address,
            "birth_date": user.birth_date.isoformat() if user.birth_date else None, "locale": user.locale,
            "note": profile.note}


def update_profile(staff: User, profile: AssistedProfile, *, name: str, phone: str, postal_address: str,
                   birth_date: date | None, locale: str, note: str | None, now: datetime) -> list[str]:
    """Changes the details; the audit log keeps before and after of what changed. Returns the changed fields."""
    birth_date = _a_date(birth_date)
    _check_birth_date(birth_date, to_local(now).date())
    before = _snapshot(profile)
    user = profile.user
    user.name, user.phone, user.birth_date = name, phone, birth_date
    user.locale = locale if locale in ("da", "en") else user.locale
    profile.postal_address, profile.note = postal_address, note or None
    after = _snapshot(profile)
    changed = [key for key in EDITABLE if before[key] != after[key]]
    if changed:
        db.session.flush()
        audit.record(staff, "assisted_profile_changed", obj=profile, organisation=profile.organisation_id,
                     subjects=[user], summary=", ".join(changed),
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed}, now=now)
    return changed


# --- times -------------------------------------------------------------------------------------------

def _bookable_slot(slot_id: int | None, now: datetime) -> Slot:
    slot = db.session.get(Slot, slot_id) if slot_id else None
    if slot is None or not access.is_public_task(slot.task):
        raise _error("no_such_time", field="slot")
    if slot.status is not SlotStatus.open or slot.starts_at <= now:
        raise _error("time_not_open", field="slot")
    return slot


def sign_up_for(staff: User, profile: AssistedProfile, slot_id: int | None, *, now: datetime,
                charter_read: bool = False) -> Signup:
    """Signs the citizen up through the real sign-up service (capacity, age, overlap, charter and waitlist
    rules all hold): a seat when there is one, else a place on the waitlist. No confirmation line on the
    call list, since staff are telling the citizen now. Where the organisation requires the volunteer
    charter, staff read it out and record the citizen's yes (`charter_read`), with themselves as recorder."""
    from portal.charter import services as charter
    from portal.signups import services as signups
    from portal.signups.errors import SlotFull

    slot = _bookable_slot(slot_id, now)
    user = profile.user
    code = charter.needs_acceptance(user, slot.task.organisation)
    if code is not None:
        if not charter_read:
            raise _error("charter_needed", field="charter", org=slot.task.organisation.name)
        charter.record_acceptance(user, code, recorded_by=staff, now=now)
    try:
        with db.session.begin_nested():
            signup = signups.sign_up(user, slot, now=now, send_mail=False)
    except SlotFull:
        signup = signups.join_waitlist(user, slot, now=now)
    audit.record(staff, "assisted_signup", obj=signup, organisation=slot.task.organisation_id, subjects=[user],
                 summary=f"{slot.task.title}, {to_local(slot.starts_at):%Y-%m-%d %H:%M} ({signup.state.value})",
                 now=now)
    return signup


def _their_signup(profile: AssistedProfile, signup: Signup | None) -> Signup:
    if signup is None or signup.user_id != profile.user_id:
        raise _error("not_theirs")
    return signup


def cancel_for(staff: User, profile: AssistedProfile, signup: Signup | None, *, now: datetime) -> None:
    """Cancels a time (or a waitlist place) on the citizen's behalf; the freed seat goes to the waitlist."""
    from portal.signups import services as signups

    signup = _their_signup(profile, signup)
    if signup.state is SignupState.cancelled:
        return
    signups.cancel(signup, now=now, reason=CANCEL_REASON)
    audit.record(staff, "assisted_signup", obj=signup, organisation=signup.slot.task.organisation_id,
                 subjects=[profile.user_id], summary=f"cancelled: {signup.slot.task.title}", now=now)


def accept_offer_for(staff: User, profile: AssistedProfile, signup: Signup | None, *, now: datetime,
                     charter_read: bool = False) -> Signup:
    """Accepts a place offered from the waitlist on the citizen's behalf (they said yes on the phone).
    A charter version published since they joined the waitlist is read out and recorded as in `sign_up_for`."""
    from portal.charter import services as charter
    from portal.signups import services as signups

    signup = _their_signup(profile, signup)
    if signup.state is not SignupState.offered and not (signup.state is SignupState.waitlisted and signup.offered_at):
        raise _error("no_offer")
    organisation = signup.slot.task.organisation
    if (code := charter.needs_acceptance(profile.user, organisation)) is not None:
        if not charter_read:
            raise _error("charter_needed", field="charter", org=organisation.name)
        charter.record_acceptance(profile.user, code, recorded_by=staff, now=now)
    before = db.session.scalar(select(func.max(CallListItem.id)).where(CallListItem.user_id == profile.user_id)) or 0
    signups.accept(signup, now=now)
    # Staff say yes with the citizen on the phone: the confirmation the portal would have mailed is told
    # already, so it is not a new call to make (it shows under "done today", by this staff member).
    for line in db.session.scalars(select(CallListItem).where(
            CallListItem.user_id == profile.user_id, CallListItem.id > before,
            CallListItem.reason == "signup_confirmed", CallListItem.done_at.is_(None))):
        line.done_at, line.done_by_id = now, staff.id
    audit.record(staff, "assisted_signup", obj=signup, organisation=signup.slot.task.organisation_id,
                 subjects=[profile.user_id], summary=f"offer accepted: {signup.slot.task.title}", now=now)
    return signup


# --- the call list -----------------------------------------------------------------------------------

def mark_called(staff: User, item: CallListItem, *, note: str | None, now: datetime) -> CallListItem:
    """Marks a line done. Two staff members clicking at once: the second is told it is already done."""
    from sqlalchemy import update

    done = db.session.execute(update(CallListItem).where(CallListItem.id == item.id, CallListItem.done_at.is_(None))
                              .values(done_at=now, done_by_id=staff.id, outcome_note=(note or None))
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise InvalidState(error_messages["already_called"])
    db.session.refresh(item)
    return item


# --- handing the profile over ------------------------------------------------------------------------

def _email_in_use(email: str, *, exclude: int) -> bool:
    return db.session.scalar(select(func.count(User.id)).where(User.email == email, User.id != exclude)) > 0


def start_takeover(staff: User, profile: AssistedProfile, email: str, *, now: datetime) -> str:
    """Mails the citizen a single-use link to take the profile over. The address waits in pending_email
    until the citizen follows the link and chooses a password."""
    if profile.taken_over_at is not None:
        raise InvalidState(error_messages["taken_over"])
    email = email_key(email or "")
    if not email:
        raise _error("email_needed", field="email")
    if _email_in_use(email, exclude=profile.user_id):
        raise EmailTaken()
    user = profile.user
    token = new_token()
    user.pending_email = email
    profile.takeover_token_hash = hash_token(token)
    profile.takeover_expires_at = now + timedelta(days=int(current_app.config.get("TAKEOVER_MAX_AGE_DAYS", 14)))
    db.session.flush()
    queue_email(email, TAKEOVER_REASON, locale=user.locale, user=user, token=token,
                expires_at=profile.takeover_expires_at)
    audit.record(staff, "assisted_profile_changed", obj=profile, organisation=profile.organisation_id,
                 subjects=[user], summary="takeover link sent", after={"pending_email": email}, now=now)
    return token


def profile_for_takeover(token: str, *, now: datetime) -> AssistedProfile:
    if not token or len(token) > 200:
        raise InvalidToken()
    profile = db.session.scalar(select(AssistedProfile).where(AssistedProfile.takeover_token_hash == hash_token(token)))
    if (profile is None or profile.taken_over_at is not None or profile.takeover_expires_at is None
            or profile.takeover_expires_at <= now or not profile.user.pending_email):
        raise InvalidToken()
    return profile


def complete_takeover(token: str, password: str, *, now: datetime) -> User:
    """The citizen chose a password and accepted the terms: the account becomes an ordinary one with a
    confirmed e-mail (following the link proves they read that mailbox). The link works once."""
    from portal.auth.services import PRIVACY_VERSION, TERMS_VERSION, hash_password

    from sqlalchemy import update

    profile = profile_for_takeover(token, now=now)
    user = profile.user
    email = user.pending_email
    if _email_in_use(email, exclude=user.id):
        raise EmailTaken(field="password")
    # Single use also for two tabs submitting at once: only the first claims the link.
    claimed = db.session.execute(update(AssistedProfile).where(
        AssistedProfile.id == profile.id, AssistedProfile.takeover_token_hash == hash_token(token),
        AssistedProfile.taken_over_at.is_(None)).values(takeover_token_hash=None)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise InvalidToken()
    user.email, user.pending_email = email, None
    user.email_confirmed_at = now
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.consents.extend([Consent(kind=ConsentKind.terms, version=TERMS_VERSION, given_at=now),
                          Consent(kind=ConsentKind.privacy, version=PRIVACY_VERSION, given_at=now)])
    profile.taken_over_at = now
    profile.takeover_token_hash = None
    profile.takeover_expires_at = None
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the address was taken a moment ago
        raise EmailTaken(field="password")
    audit.record(user, "assisted_profile_taken_over", obj=profile, organisation=profile.organisation_id,
                 subjects=[user], summary=user.name, now=now)
    return user


# --- the citizen's rights: export and deletion -------------------------------------------------------

def export_for(staff: User, profile: AssistedProfile, *, now: datetime) -> dict:
    """The same data export a citizen downloads themselves, for staff to print or hand over."""
    from portal.account.services import export_data

    data = export_data(profile.user)
    audit.record(staff, "data_exported", obj=profile, organisation=profile.organisation_id,
                 subjects=[profile.user_id], summary=profile.user.name, now=now)
    return data


def delete_profile(staff: User, profile: AssistedProfile, *, now: datetime) -> None:
    """Deletes the citizen and everything that identifies them, at their request. The audit line keeps
    only that a profile was deleted, by whom and when."""
    from portal.account.services import erase

    from sqlalchemy import update

    from portal.models import SEAT_HOLDING
    from portal.signups import services as signups

    user = profile.user
    organisation_id, profile_id = profile.organisation_id, profile.id
    # Their seats go back first, so a slot's counter still equals its confirmed sign-ups and a future
    # seat is offered to the waitlist.
    held = db.session.scalars(select(Signup).where(Signup.user_id == user.id,
                                                   Signup.state.in_(SEAT_HOLDING))).all()
    for signup in held:
        db.session.execute(update(Slot).where(Slot.id == signup.slot_id, Slot.taken > 0)
                           .values(taken=Slot.taken - 1, updated_at=Slot.updated_at)
                           .execution_options(synchronize_session=False))
        db.session.execute(update(Signup).where(Signup.id == signup.id)
                           .values(state=SignupState.cancelled, cancelled_at=now, cancel_reason=CANCEL_REASON)
                           .execution_options(synchronize_session=False))
    db.session.flush()
    for signup in held:
        db.session.refresh(signup.slot)
        signups.offer_free_seats(signup.slot, now=now)
    db.session.flush()
    erase(user)
    audit.record(staff, "assisted_profile_deleted", organisation=organisation_id,
                 summary=f"assisted profile {profile_id} deleted at the citizen's request", now=now)
