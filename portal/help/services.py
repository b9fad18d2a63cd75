"""Asking for help: organisations' offers to citizens, and private requests for help that the
coordinator passes to a fitting organisation.

A request is never public. Only the coordinator sees it, and, once it is passed, the members of the
organisation it was passed to. Mails to staff carry no personal details (they open the portal to
read them). It is deleted on `delete_after`: 6 months after it is closed, and at the latest 12
months after it came in (RETENTION, stated on the form and the confirmation).

State changes are conditional UPDATEs on the status (and organisation) the page was shown with, so
an organisation accepting while the coordinator passes the request elsewhere changes it once."""

import calendar
from datetime import date, datetime

from sqlalchemy import delete, select, update

from portal import access, audit
from portal.core.timeutil import to_local
from portal.errors import NotAllowed
from portal.extensions import db
from portal.help import errors
from portal.help.labels import KIND_LABELS
from portal.models import (HelpKind, HelpOffer, HelpRequest, HelpRequestStatus, Membership, MembershipStatus,
                           Organisation, OrganisationStatus, User)
from portal.organisations.services import coordinators
from portal.outbox import queue_email

# How long a request is kept, in months: after it is closed, and at the latest after it came in.
KEEP_AFTER_CLOSE_MONTHS = 6
KEEP_AT_MOST_MONTHS = 12
# Citizens have no account and no language setting: what we write to them is in Danish.
CITIZEN_LOCALE = "da"
OPEN = (HelpRequestStatus.new, HelpRequestStatus.passed, HelpRequestStatus.accepted)


# --- retention (pure) -------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def delete_after_new(received: date) -> date:
    return add_months(received, KEEP_AT_MOST_MONTHS)


def delete_after_closed(received: date, closed: date) -> date:
    return min(add_months(closed, KEEP_AFTER_CLOSE_MONTHS), delete_after_new(received))


def _local_day(moment: datetime) -> date:
    return to_local(moment).date()


# --- offers -----------------------------------------------------------------------------------

OFFER_FIELDS = ("title", "description", "who_for", "how_to_get", "contact_phone", "contact_email", "waiting_time")
NULLABLE_OFFER_FIELDS = ("contact_phone", "contact_email", "waiting_time")


def save_offer(org: Organisation, *, offer: HelpOffer | None = None, kind: str, now: datetime, **fields) -> HelpOffer:
    """Creates or changes one of `org`'s offers. Blank contact fields and waiting time are stored
    as NULL (no waiting time: "Ingen ventetid" on the page)."""
    if offer is None:
        offer = HelpOffer(organisation_id=org.id, created_at=now)
        db.session.add(offer)
    elif offer.organisation_id != org.id:
        raise NotAllowed()
    offer.kind = HelpKind(kind)
    for name in OFFER_FIELDS:
        value = fields.get(name) or None
        setattr(offer, name, value if name in NULLABLE_OFFER_FIELDS else (value or ""))
    offer.updated_at = now
    db.session.flush()
    return offer


def set_offer_active(offer: HelpOffer, active: bool, *, now: datetime) -> HelpOffer:
    offer.active = active
    offer.updated_at = now
    db.session.flush()
    return offer


# --- asking -----------------------------------------------------------------------------------

def ask_for_help(*, kind: str, area: str, name: str, now: datetime, description: str = "", postcode: str | None = None,
                 phone: str | None = None, email: str | None = None, best_time_to_call: str | None = None,
                 on_behalf: bool = False, asked_by_name: str | None = None, asked_by_relation: str | None = None,
                 consent: bool = False, user=None, send_receipt: bool = True) -> HelpRequest:
    """A citizen (or someone on their behalf, with their consent) asks for help. No account is
    needed; a phone number alone is enough to be reached. A receipt goes to the e-mail address
    given, unless `send_receipt` is false (the route's cap per address was reached)."""
    phone, email = phone or None, email or None
    if phone is None and email is None:
        raise errors.unreachable()
    on_behalf = bool(on_behalf or asked_by_name or asked_by_relation)
    if on_behalf and not asked_by_name:
        raise errors.asker_name()
    if on_behalf and not consent:
        raise errors.no_consent()
    request = HelpRequest(
        kind=HelpKind(kind), description=description or "", area=area, postcode=postcode or None, name=name,
        phone=phone, email=email, best_time_to_call=best_time_to_call or None,
        asked_by_name=asked_by_name if on_behalf else None,
        asked_by_relation=(asked_by_relation or None) if on_behalf else None,
        citizen_consents=bool(on_behalf and consent),
        user_id=user.id if getattr(user, "is_authenticated", False) else None,
        status=HelpRequestStatus.new, delete_after=delete_after_new(_local_day(now)), created_at=now, updated_at=now)
    db.session.add(request)
    db.session.flush()
    if email and send_receipt:
        queue_email(email, "help_request_received", locale=CITIZEN_LOCALE, request=request,
                    keep_months=KEEP_AFTER_CLOSE_MONTHS, keep_at_most_months=KEEP_AT_MOST_MONTHS)
    _mail_staff(coordinators(), "help_request_new", request)
    return request


# --- who is told ------------------------------------------------------------------------------

def members(org: Organisation) -> list[User]:
    """Everyone who may read a request passed to `org`: its approved members."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == org.id, Membership.status == MembershipStatus.approved)
        .order_by(User.id)))


def _mail_staff(people, template: str, request: HelpRequest, **context) -> int:
    """Mails to staff name the kind and link to the portal; never the citizen's details."""
    seen = set()
    for person in people:
        if person.email in seen:
            continue
        seen.add(person.email)
        queue_email(person.email, template, locale=person.locale, user=person, request_id=request.id,
                    kind=KIND_LABELS[request.kind], **context)
    return len(seen)


def _tell_citizen(request: HelpRequest, template: str, *, now: datetime, **context) -> None:
    """By e-mail when they gave one; otherwise the request goes on the coordinator's call list
    (citizen_told_at empty) until the coordinator has phoned."""
    if request.email:
        queue_email(request.email, template, locale=CITIZEN_LOCALE, request=request, **context)
        request.citizen_told_at = now
    else:
        request.citizen_told_at = None


# --- the coordinator and the organisation -----------------------------------------------------

def _move(request: HelpRequest, *, start: tuple, with_org: int | None = None, **values) -> None:
    """Changes the request only if it is still in one of the `start` statuses (and, when given,
    still with the organisation `with_org`): whoever acts second is told it changed."""
    where = [HelpRequest.id == request.id, HelpRequest.status.in_(start)]
    if with_org is not None:
        where.append(HelpRequest.organisation_id == with_org)
    moved = db.session.execute(update(HelpRequest).where(*where).values(**values)
                               .execution_options(synchronize_session=False))
    if not moved.rowcount:
        raise errors.not_now()
    db.session.refresh(request)


def fitting_offer(org: Organisation, kind: HelpKind) -> HelpOffer | None:
    return db.session.scalar(select(HelpOffer).where(HelpOffer.organisation_id == org.id, HelpOffer.kind == kind,
                                                     HelpOffer.active.is_(True)).order_by(HelpOffer.id).limit(1))


def pass_request(request: HelpRequest, org: Organisation, *, by: User, note: str | None, now: datetime) -> HelpRequest:
    """The coordinator passes a new request (or one still waiting for an answer) to `org`; its
    members get a mail without the personal details."""
    if not access.is_coordinator(by):
        raise NotAllowed()
    if org.status is not OrganisationStatus.approved:
        raise errors.organisation_not_open()
    offer = fitting_offer(org, request.kind)
    _move(request, start=(HelpRequestStatus.new, HelpRequestStatus.passed), status=HelpRequestStatus.passed,
          organisation_id=org.id, offer_id=offer.id if offer else None, passed_at=now, passed_by_id=by.id,
          answered_at=None, staff_note=note or None, updated_at=now)
    audit.record(by, "help_request_passed", obj=request, organisation=org, summary=str(KIND_LABELS[request.kind]),
                 subjects=[request.user_id], now=now)
    _mail_staff(members(org), "help_request_passed", request, organisation=org)
    return request


def _organisation_acts(request: HelpRequest, user: User) -> Organisation:
    org = request.organisation
    if org is None or not access.is_member(user, org):
        raise errors.not_yours()
    return org


def accept(request: HelpRequest, user: User, *, now: datetime) -> HelpRequest:
    """The organisation takes it on; the citizen is told who will contact them."""
    org = _organisation_acts(request, user)
    _move(request, start=(HelpRequestStatus.passed,), with_org=org.id, status=HelpRequestStatus.accepted,
          answered_at=now, updated_at=now)
    _tell_citizen(request, "help_request_accepted", now=now, organisation=org)
    db.session.flush()
    return request


def hand_back(request: HelpRequest, user: User, *, reason: str, now: datetime) -> HelpRequest:
    """The organisation cannot help after all: the request is new again, the coordinator is told
    and finds another. The reason is kept with the organisation's name for the coordinator."""
    org = _organisation_acts(request, user)
    _move(request, start=(HelpRequestStatus.passed, HelpRequestStatus.accepted), with_org=org.id,
          status=HelpRequestStatus.new, organisation_id=None, offer_id=None,
          handed_back_reason=f"{org.name}: {reason}", answered_at=now, updated_at=now)
    _mail_staff(coordinators(), "help_request_handed_back", request, organisation=org)
    return request


def close(request: HelpRequest, *, by: User, note: str, now: datetime) -> HelpRequest:
    """The coordinator closes a request (done, withdrawn or nothing fitting) with a note. The
    citizen hears of it unless the help was already under way and they had been told."""
    if not access.is_coordinator(by):
        raise NotAllowed()
    was_accepted = request.status is HelpRequestStatus.accepted
    already_told = was_accepted and request.citizen_told_at is not None
    _move(request, start=OPEN, status=HelpRequestStatus.closed, closed_at=now, staff_note=note, updated_at=now,
          delete_after=delete_after_closed(_local_day(request.created_at), _local_day(now)))
    audit.record(by, "help_request_closed", obj=request, organisation=request.organisation_id,
                 summary=str(KIND_LABELS[request.kind]), subjects=[request.user_id], now=now)
    if not already_told:
        _tell_citizen(request, "help_request_closed", now=now, note=note)
    db.session.flush()
    return request


def mark_told(request: HelpRequest, *, by: User, now: datetime) -> HelpRequest:
    """The coordinator has phoned the citizen: off the call list."""
    if not access.is_coordinator(by):
        raise NotAllowed()
    if request.citizen_told_at is not None:
        return request
    request.citizen_told_at = now
    request.updated_at = now
    db.session.flush()
    return request


def on_call_list(request: HelpRequest) -> bool:
    """Something happened that a citizen without e-mail must hear by phone."""
    return (request.email is None and request.citizen_told_at is None
            and request.status in (HelpRequestStatus.accepted, HelpRequestStatus.closed))


# --- deletion ---------------------------------------------------------------------------------

def delete_expired_requests(*, now) -> int:
    """tick: deletes the requests whose `delete_after` day has come (Danish time): the request
    page says "It is deleted on <delete_after>", and the citizen was promised "6 months after it
    is finished", not a day more. Deleting what is already gone deletes nothing, so two nodes
    running it at once are harmless."""
    today = _local_day(now)
    deleted = db.session.execute(delete(HelpRequest).where(HelpRequest.delete_after <= today)
                                 .execution_options(synchronize_session=False))
    db.session.flush()
    return deleted.rowcount or 0
