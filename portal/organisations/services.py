"""Organisations: applying, membership, invitations and the admin's own edits."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.core.text import hash_token, new_token, slugify
from portal.errors import AlreadyMember, DomainError, InvalidState, InvalidToken, NotAllowed
from portal import access, audit, pictures
from portal.extensions import db
from portal.models import (MUNICIPAL_KINDS, Invitation, Membership, MembershipRole, MembershipStatus,
                           Organisation, OrganisationKind, OrganisationStatus, Task, TaskStatus, User,
                           email_key)
from portal.outbox import queue_email
from portal.ratelimits import TooMany, hit, wait_text

ORGANISATION_FIELDS = ("name", "description", "address", "postcode", "city", "website",
                       "contact_name", "contact_email", "contact_phone")
# Issue 13 (portal/charter): set only when the form sends them, so other callers keep what is stored.
VOLUNTEER_FIELDS = ("volunteer_contact_name", "volunteer_contact_email", "volunteer_contact_phone",
                    "requires_code_of_conduct")


def _set_volunteer_fields(org: Organisation, fields: dict) -> None:
    for key in VOLUNTEER_FIELDS:
        if key in fields:
            setattr(org, key, bool(fields[key]) if key == "requires_code_of_conduct" else (fields[key] or None))


def _unique_slug(name: str) -> str:
    base = slugify(name)
    slug, n = base, 2
    while db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def coordinators() -> list[User]:
    return list(db.session.scalars(select(User).where(User.is_coordinator.is_(True))))


def apply_for_organisation(applicant: User, *, kind: str, now: datetime, **fields) -> Organisation:
    org = Organisation(slug=_unique_slug(fields["name"]), kind=OrganisationKind(kind),
                       status=OrganisationStatus.pending, applicant_id=applicant.id,
                       created_at=now, **{k: (fields.get(k) or None) if k == "website" else fields[k]
                                          for k in ORGANISATION_FIELDS})
    _set_volunteer_fields(org, fields)
    db.session.add(org)
    db.session.flush()
    db.session.add(Membership(user_id=applicant.id, organisation_id=org.id,
                              role=MembershipRole.admin, status=MembershipStatus.approved,
                              created_at=now))
    db.session.flush()
    queue_email(applicant.email, "organisation_received", locale=applicant.locale,
                user=applicant, organisation=org)
    for coordinator in coordinators():
        queue_email(coordinator.email, "organisation_to_review", locale=coordinator.locale,
                    user=coordinator, organisation=org)
    return org


def update_organisation(org: Organisation, *, kind: str, picture: bytes | None = None, picture_alt=None,
                        remove_picture: bool = False, by: User | None = None, **fields) -> None:
    """The profile and, on the edit page, its picture (a new one, its description, or none:
    portal/pictures.py re-encodes it and strips what the file says about where it was taken)."""
    kind = OrganisationKind(kind)
    if org.is_municipal and kind not in MUNICIPAL_KINDS and not access.is_coordinator(by):
        # Else a school could become an "association" for a moment and publish around the
        # displacement check (issue 13); the coordinator corrects a wrongly chosen kind.
        raise DomainError(_l("A municipal institution cannot change itself into an association or another "
                             "kind. Ask the volunteer coordinator if the kind is wrong."), field="kind")
    org.kind = kind
    for key in ORGANISATION_FIELDS:
        setattr(org, key, (fields.get(key) or None) if key == "website" else fields[key])
    _set_volunteer_fields(org, fields)
    db.session.flush()
    if picture is not None or remove_picture or org.picture_id is not None:
        pictures.attach(org, picture, picture_alt, remove=remove_picture, by=by)
    elif (picture_alt or "").strip():
        raise pictures.PictureError(_l("Choose the picture the description belongs to, or leave the "
                                       "description empty."))


def organisation_picture(org: Organisation):
    """The organisation's picture (its size and alt text; the bytes stay behind), or None."""
    from portal.models import Picture
    return db.session.get(Picture, org.picture_id) if org.picture_id else None


# Who may do what is decided in portal/access.py; these names stay for the callers here.
membership = access.membership
is_admin = access.is_admin
can_view = access.may_view_organisation


# A page of organisations, so the list weighs the same for Dragør's dozen and a country's ten thousand.
ORGANISATIONS_PER_PAGE = 48
MAX_PAGE = 10_000


@dataclass(frozen=True)
class CardPicture:
    """What a list card needs of an organisation's picture: its address's version, size and alt text
    (never the bytes)."""
    id: int
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class OrganisationPage:
    organisations: list[Organisation]
    page: int
    total: int
    pictures: dict[int, CardPicture] | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // ORGANISATIONS_PER_PAGE))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * ORGANISATIONS_PER_PAGE + 1


def approved_organisations(*, page: int = 1) -> OrganisationPage:
    approved = Organisation.status == OrganisationStatus.approved
    total = db.session.scalar(select(func.count(Organisation.id)).where(approved))
    from portal.models import Picture
    # The pictures' facts come in the same statement (an outer join on four small columns).
    rows = db.session.execute(
        select(Organisation, Picture.id, Picture.alt, Picture.width, Picture.height)
        .outerjoin(Picture, Picture.id == Organisation.picture_id).where(approved)
        .order_by(Organisation.name, Organisation.id)
        .limit(ORGANISATIONS_PER_PAGE).offset((page - 1) * ORGANISATIONS_PER_PAGE)).all()
    cards = {org.id: CardPicture(picture_id, alt or "", width, height)
             for org, picture_id, alt, width, height in rows if picture_id is not None}
    return OrganisationPage(organisations=[row[0] for row in rows], page=page, total=total, pictures=cards)


def published_tasks(org: Organisation) -> list[Task]:
    return list(db.session.scalars(select(Task).where(Task.organisation_id == org.id,
                                                      Task.status == TaskStatus.published)
                                   .order_by(Task.title)))


def membership_in(org: Organisation, membership_id: int) -> Membership | None:
    return db.session.scalar(select(Membership).where(
        Membership.id == membership_id, Membership.organisation_id == org.id))


def invitation_in(org: Organisation, invitation_id: int) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.organisation_id == org.id))


def memberships_of(user: User) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).options(joinedload(Membership.organisation))
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.approved)
        .order_by(Membership.created_at)))


def members(org: Organisation) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).options(joinedload(Membership.user))
        .where(Membership.organisation_id == org.id, Membership.status == MembershipStatus.approved)
        .order_by(Membership.role, Membership.created_at)))


def open_invitations(org: Organisation, now: datetime) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation).where(Invitation.organisation_id == org.id,
                                 Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
                                 Invitation.expires_at > now)
        .order_by(Invitation.created_at)))


def invite(org: Organisation, inviter: User, *, email: str, role: str, now: datetime) -> Invitation:
    if org.status is not OrganisationStatus.approved:
        raise InvalidState(_l("You can invite colleagues once the organisation is approved."))
    email = email_key(email)
    existing = db.session.scalar(
        select(Membership).join(User).where(Membership.organisation_id == org.id,
                                            Membership.status == MembershipStatus.approved,
                                            User.email == email))
    if existing is not None:
        raise AlreadyMember()
    if blocked := hit("invitation-recipient", current_app.config["INVITATION_RECIPIENT_RATE_LIMIT"], email):
        raise TooMany(_l("This address has already received several invitations. Try again %(wait)s.",
                         wait=wait_text(blocked)), field="email")
    check_invitation_quota(org)
    token = new_token()
    invitation = Invitation(
        organisation_id=org.id, email=email, role=MembershipRole(role),
        token_hash=hash_token(token), invited_by_id=inviter.id, created_at=now,
        expires_at=now + timedelta(days=current_app.config["INVITATION_MAX_AGE_DAYS"]))
    db.session.add(invitation)
    db.session.flush()
    invitee = db.session.scalar(select(User).where(User.email == email))
    queue_email(email, "invitation", locale=invitee.locale if invitee else inviter.locale,
                organisation=org, inviter=inviter, token=token,
                days=current_app.config["INVITATION_MAX_AGE_DAYS"])
    return invitation


def check_invitation_quota(org: Organisation) -> None:
    """Counts one invitation (colleague or volunteer) sent in the organisation's name and
    refuses when it has sent INVITATION_RATE_LIMIT: a hijacked or careless account must not
    fill strangers' inboxes."""
    if blocked := hit("invitation-organisation", current_app.config["INVITATION_RATE_LIMIT"], org.id):
        raise TooMany(_l("%(name)s has sent many invitations recently, so we are pausing for a while. "
                         "Try again %(wait)s.", name=org.name, wait=wait_text(blocked)))


def invitation_by_token(token: str, now: datetime) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None or not invitation.is_open(now):
        raise InvalidToken(_l("This invitation is no longer valid. Ask your colleague to send a new one."))
    return invitation


def accept_invitation(token: str, user: User, *, now: datetime) -> Membership:
    invitation = invitation_by_token(token, now)
    if email_key(user.email) != invitation.email:
        raise NotAllowed(_l("This invitation was sent to another e-mail address. "
                            "Log in with the address the invitation was sent to."))
    org = invitation.organisation
    if org.status is not OrganisationStatus.approved:
        raise InvalidState(_l("The organisation is not active at the moment."))
    invitation.accepted_at = now
    current = membership(user, org)
    if current is not None:
        db.session.flush()
        return current
    new = Membership(user_id=user.id, organisation_id=org.id, role=invitation.role,
                     status=MembershipStatus.approved, created_at=now)
    db.session.add(new)
    db.session.flush()
    return new


def remove_member(org: Organisation, target: Membership, *, now: datetime, by: User | None = None) -> None:
    if target.organisation_id != org.id or target.status is not MembershipStatus.approved:
        raise InvalidState()
    if target.role is MembershipRole.admin:
        admins = db.session.scalar(select(func.count(Membership.id)).where(
            Membership.organisation_id == org.id, Membership.role == MembershipRole.admin,
            Membership.status == MembershipStatus.approved))
        if admins <= 1:
            raise InvalidState(_l("The organisation must have at least one administrator. "
                                  "Make someone else an administrator first."))
    target.status = MembershipStatus.removed
    target.removed_at = now
    db.session.flush()
    audit.record(by, "membership_changed", obj=target, organisation=org, summary=org.name,
                 before={"status": MembershipStatus.approved.value, "role": target.role.value},
                 after={"status": MembershipStatus.removed.value}, subjects=[target.user_id], now=now)


def revoke_invitation(invitation: Invitation, *, now: datetime) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = now
    db.session.flush()
