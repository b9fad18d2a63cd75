"""The volunteer coordinator's decisions on organisations."""

from datetime import datetime

from sqlalchemy import case, select

from portal import audit
from portal.errors import InvalidState
from portal.extensions import db
from portal.models import (Membership, MembershipRole, MembershipStatus, Organisation,
                           OrganisationStatus, User)
from portal.outbox import queue_email


def queue() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation)
                                   .where(Organisation.status == OrganisationStatus.pending)
                                   .order_by(Organisation.created_at)))


def organisations() -> list[Organisation]:
    order = case({OrganisationStatus.suspended.value: 0, OrganisationStatus.approved.value: 1},
                 value=Organisation.status, else_=2)
    return list(db.session.scalars(select(Organisation)
                                   .where(Organisation.status != OrganisationStatus.pending)
                                   .order_by(order, Organisation.name)))


def applicant(org: Organisation) -> User | None:
    return db.session.get(User, org.applicant_id) if org.applicant_id else None


def _admins(org: Organisation) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == org.id, Membership.role == MembershipRole.admin,
               Membership.status == MembershipStatus.approved)))


def _tell(org: Organisation, template: str, **context) -> None:
    recipients = {u.email: u.locale for u in _admins(org)}
    applicant = db.session.get(User, org.applicant_id) if org.applicant_id else None
    if applicant is not None:
        recipients.setdefault(applicant.email, applicant.locale)
    for email, locale in recipients.items():
        queue_email(email, template, locale=locale, organisation=org, **context)


def _decide(org, coordinator, status, reason, now):
    before = org.status
    org.status = status
    org.decided_by_id = coordinator.id
    org.decided_at = now
    org.decision_reason = reason
    db.session.flush()
    audit.record(coordinator, _AUDIT_ACTION.get((before, status), f"organisation_{status.value}"), obj=org,
                 organisation=org, summary=org.name, before={"status": before.value},
                 after={"status": status.value, **({"reason": reason} if reason else {})}, now=now)


# What the audit log calls each decision (portal/audit.py).
_AUDIT_ACTION = {(OrganisationStatus.suspended, OrganisationStatus.approved): "organisation_reinstated"}


def approve(org: Organisation, coordinator: User, *, now: datetime) -> None:
    if org.status is not OrganisationStatus.pending:
        raise InvalidState()
    _decide(org, coordinator, OrganisationStatus.approved, None, now)
    _tell(org, "organisation_approved")


def reject(org: Organisation, coordinator: User, *, reason: str, now: datetime) -> None:
    if org.status is not OrganisationStatus.pending:
        raise InvalidState()
    _decide(org, coordinator, OrganisationStatus.rejected, reason, now)
    _tell(org, "organisation_rejected", reason=reason)


def suspend(org: Organisation, coordinator: User, *, reason: str, now: datetime) -> None:
    if org.status is not OrganisationStatus.approved:
        raise InvalidState()
    _decide(org, coordinator, OrganisationStatus.suspended, reason, now)
    _tell(org, "organisation_suspended", reason=reason)


def reinstate(org: Organisation, coordinator: User, *, now: datetime) -> None:
    if org.status is not OrganisationStatus.suspended:
        raise InvalidState()
    _decide(org, coordinator, OrganisationStatus.approved, None, now)
    _tell(org, "organisation_approved")
