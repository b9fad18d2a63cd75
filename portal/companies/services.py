"""Companies: applying, the coordinator's decisions, administrators and their invitations, the
leave policy, the public list, and employees' own links to their employer.

Privacy: an employer learns an employee's name only with share_name, and hours only as the
company's total (portal/companies/hours.py); nothing here returns hours per person."""

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, defer, joinedload, selectinload
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, ValidationError

from portal import access, audit
from portal.companies.errors import error_messages
from portal.core import leave
from portal.core.text import hash_token, new_token, slugify
from portal.errors import DomainError, InvalidState, InvalidToken, NotAllowed
from portal.extensions import db
from portal.geocoding import configured_geocoder
from portal.models import (Company, CompanyInvitation, CompanyMembership, CompanySkill, CompanyStatus,
                           CompanySupport, EmployeeLink, LeavePolicy, LeaveScope, LeaveUnit, Skill,
                           SupportKind, User, email_key)
from portal.organisations.services import coordinators
from portal.outbox import queue_email
from portal.ratelimits import TooMany, hit, wait_text

COMPANY_FIELDS = ("name", "description", "address", "postcode", "city", "website",
                  "contact_name", "contact_email", "contact_phone")
LIVE = (CompanyStatus.pending, CompanyStatus.approved, CompanyStatus.suspended)

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 40_000_000     # a 2 MB file can still unpack to gigabytes (a "decompression bomb")
LOGO_SIZE = (400, 400)
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


# --- the company's own facts ---------------------------------------------------------------

def normalise_cvr(text: str) -> str:
    """The compact 8 digits, or a DomainError on the cvr field saying what is wrong."""
    try:
        return stdnum_cvr.validate(text or "")
    except InvalidChecksum:
        raise DomainError(error_messages["cvr_checksum"], field="cvr") from None
    except ValidationError:
        raise DomainError(error_messages["cvr_format"], field="cvr") from None


def clean_logo(data: bytes) -> bytes:
    """A PNG of at most 400×400 made from the upload's pixels only: nothing of the uploaded file
    (EXIF with GPS position, comments, ICC profiles, trailing bytes) survives."""
    # Pillow loads when a logo arrives, not in every worker at start.
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > LOGO_MAX_BYTES:
        raise DomainError(error_messages["logo_too_big"], field="logo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in LOGO_FORMATS:
                raise DomainError(error_messages["logo_not_image"], field="logo")
            if probe.width * probe.height > LOGO_MAX_PIXELS:
                raise DomainError(error_messages["logo_too_many_pixels"], field="logo")
            picture = ImageOps.exif_transpose(probe)  # a phone photo stands the right way up
            picture.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise DomainError(error_messages["logo_not_image"], field="logo") from None
    mode = "RGBA" if picture.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    picture = picture.convert(mode)
    picture.thumbnail(LOGO_SIZE)
    # A fresh image from the raw pixels carries no `info` to leak into the file we write.
    clean = Image.frombytes(mode, picture.size, picture.tobytes())
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


# Addresses under /companies/ that a company's slug must not shadow.
RESERVED_SLUGS = {"apply", "review", "invitations"}


def _unique_slug(name: str) -> str:
    base = slugify(name) or "virksomhed"
    if base in RESERVED_SLUGS:
        base = f"{base}-virksomhed"
    slug, n = base, 2
    while db.session.scalar(select(Company.id).where(Company.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _cvr_is_live(cvr: str, *, other_than: int | None = None) -> bool:
    query = select(Company.id).where(Company.cvr == cvr, Company.status.in_(LIVE))
    if other_than is not None:
        query = query.where(Company.id != other_than)
    return db.session.scalar(query.limit(1)) is not None


def _place(company: Company) -> None:
    place = configured_geocoder().locate(address=company.address, postcode=company.postcode, city=company.city)
    company.latitude, company.longitude = (place.latitude, place.longitude) if place else (None, None)


def _set_fields(company: Company, fields: dict, supports, skills, logo: bytes | None, now: datetime) -> None:
    for key in COMPANY_FIELDS:
        setattr(company, key, (fields.get(key) or None) if key == "website" else fields[key])
    wanted_supports = {SupportKind(k) for k in supports}
    company.supports = [s for s in company.supports if s.kind in wanted_supports] + [
        CompanySupport(kind=k) for k in sorted(wanted_supports - company.support_kinds, key=lambda k: k.value)]
    wanted_skills = {Skill(s) for s in skills}
    company.skills = [s for s in company.skills if s.skill in wanted_skills] + [
        CompanySkill(skill=s) for s in sorted(wanted_skills - company.skill_set, key=lambda s: s.value)]
    if logo is not None:
        company.logo = clean_logo(logo)
        company.logo_updated_at = now
    _place(company)


def _flush_guarding_cvr() -> None:
    """Two applications for one CVR at the same moment: the partial unique index lets one in,
    and the other hears the same friendly message as when the number was already there."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(error_messages["cvr_taken"], field="cvr") from None


def apply_for_company(applicant: User, *, cvr: str, supports=(), skills=(), logo: bytes | None = None,
                      now: datetime, **fields) -> Company:
    """A pending company; the applicant becomes its first administrator; the coordinators hear."""
    number = normalise_cvr(cvr)
    if _cvr_is_live(number):
        raise DomainError(error_messages["cvr_taken"], field="cvr")
    company = Company(slug=_unique_slug(fields["name"]), cvr=number, status=CompanyStatus.pending,
                      applicant_id=applicant.id, created_at=now)
    _set_fields(company, fields, supports, skills, logo, now)
    db.session.add(company)
    _flush_guarding_cvr()
    db.session.add(CompanyMembership(user_id=applicant.id, company_id=company.id, created_at=now))
    db.session.flush()
    queue_email(applicant.email, "company_received", locale=applicant.locale, user=applicant, company=company)
    for coordinator in coordinators():
        queue_email(coordinator.email, "company_to_review", locale=coordinator.locale,
                    user=coordinator, company=company)
    return company


def update_company(company: Company, *, cvr: str, supports=(), skills=(), logo: bytes | None = None,
                   remove_logo: bool = False, now: datetime, **fields) -> None:
    number = normalise_cvr(cvr)
    if number != company.cvr and _cvr_is_live(number, other_than=company.id):
        raise DomainError(error_messages["cvr_taken"], field="cvr")
    company.cvr = number
    if remove_logo and logo is None:
        company.logo, company.logo_updated_at = None, None
    _set_fields(company, fields, supports, skills, logo, now)
    _flush_guarding_cvr()


# --- the coordinator's decisions -------------------------------------------------------------

def pending_companies() -> list[Company]:
    return list(db.session.scalars(select(Company).options(defer(Company.logo))
                                   .where(Company.status == CompanyStatus.pending)
                                   .order_by(Company.created_at, Company.id)))


def count_pending() -> int:
    return db.session.scalar(select(func.count(Company.id)).where(Company.status == CompanyStatus.pending))


def handled_companies() -> list[Company]:
    order = case({CompanyStatus.suspended.value: 0, CompanyStatus.approved.value: 1},
                 value=Company.status, else_=2)
    return list(db.session.scalars(select(Company).options(defer(Company.logo))
                                   .where(Company.status != CompanyStatus.pending)
                                   .order_by(order, Company.name, Company.id)))


def applicant(company: Company) -> User | None:
    return db.session.get(User, company.applicant_id) if company.applicant_id else None


def tell(company: Company, template: str, **context) -> None:
    """The decision goes to the applicant and every administrator, each in their own language."""
    recipients = {a.user.email: a.user.locale for a in admins(company)}
    if (first := applicant(company)) is not None:
        recipients.setdefault(first.email, first.locale)
    for email, locale in recipients.items():
        queue_email(email, template, locale=locale, company=company, **context)


def _decide(company, coordinator, status, reason, now):
    before = company.status
    company.status = status
    company.decided_by_id = coordinator.id
    company.decided_at = now
    company.decision_reason = reason
    action = ("company_reinstated" if before is CompanyStatus.suspended and status is CompanyStatus.approved
              else f"company_{status.value}")
    audit.record(coordinator, action, obj=company, summary=company.name, before={"status": before.value},
                 after={"status": status.value, **({"reason": reason} if reason else {})}, now=now)


def approve(company: Company, coordinator: User, *, now: datetime) -> None:
    if company.status is not CompanyStatus.pending:
        raise InvalidState()
    _decide(company, coordinator, CompanyStatus.approved, None, now)
    db.session.flush()
    tell(company, "company_approved")


def reject(company: Company, coordinator: User, *, reason: str, now: datetime) -> None:
    if company.status is not CompanyStatus.pending:
        raise InvalidState()
    _decide(company, coordinator, CompanyStatus.rejected, reason, now)
    db.session.flush()
    tell(company, "company_rejected", reason=reason)


def suspend(company: Company, coordinator: User, *, reason: str, now: datetime) -> None:
    if company.status is not CompanyStatus.approved:
        raise InvalidState()
    _decide(company, coordinator, CompanyStatus.suspended, reason, now)
    db.session.flush()
    tell(company, "company_suspended", reason=reason)


def reinstate(company: Company, coordinator: User, *, now: datetime) -> None:
    if company.status is not CompanyStatus.suspended:
        raise InvalidState()
    _decide(company, coordinator, CompanyStatus.approved, None, now)
    db.session.flush()
    tell(company, "company_approved")


# --- administrators and their invitations ----------------------------------------------------

def admins(company: Company) -> list[CompanyMembership]:
    return list(db.session.scalars(
        select(CompanyMembership).options(joinedload(CompanyMembership.user))
        .where(CompanyMembership.company_id == company.id, CompanyMembership.removed_at.is_(None))
        .order_by(CompanyMembership.created_at, CompanyMembership.id)))


def companies_of(user: User) -> list[Company]:
    """The companies `user` administers (any status: a pending one is theirs to follow)."""
    return list(db.session.scalars(
        select(Company).options(defer(Company.logo)).join(CompanyMembership)
        .where(CompanyMembership.user_id == user.id, CompanyMembership.removed_at.is_(None))
        .order_by(Company.name)))


def membership_in(company: Company, membership_id: int) -> CompanyMembership | None:
    return db.session.scalar(select(CompanyMembership).where(
        CompanyMembership.id == membership_id, CompanyMembership.company_id == company.id,
        CompanyMembership.removed_at.is_(None)))


def invitation_in(company: Company, invitation_id: int) -> CompanyInvitation | None:
    return db.session.scalar(select(CompanyInvitation).where(
        CompanyInvitation.id == invitation_id, CompanyInvitation.company_id == company.id))


def open_invitations(company: Company, now: datetime) -> list[CompanyInvitation]:
    return list(db.session.scalars(
        select(CompanyInvitation).where(CompanyInvitation.company_id == company.id,
                                        CompanyInvitation.accepted_at.is_(None),
                                        CompanyInvitation.revoked_at.is_(None),
                                        CompanyInvitation.expires_at > now)
        .order_by(CompanyInvitation.created_at, CompanyInvitation.id)))


def invite(company: Company, inviter: User, *, email: str, now: datetime) -> tuple[CompanyInvitation, str]:
    """An invitation to become an administrator; returns it with the token only the e-mail holds."""
    if company.status is not CompanyStatus.approved:
        raise InvalidState(error_messages["not_approved"])
    email = email_key(email)
    already = db.session.scalar(
        select(CompanyMembership.id).join(User, User.id == CompanyMembership.user_id)
        .where(CompanyMembership.company_id == company.id, CompanyMembership.removed_at.is_(None),
               User.email == email))
    if already is not None:
        raise DomainError(error_messages["already_admin"], field="email")
    config = current_app.config
    if blocked := hit("invitation-recipient", config["INVITATION_RECIPIENT_RATE_LIMIT"], email):
        raise TooMany(_wait_message(blocked), field="email")
    if blocked := hit("invitation-company", config["INVITATION_RATE_LIMIT"], company.id):
        raise TooMany(_wait_message(blocked))
    token = new_token()
    days = config["INVITATION_MAX_AGE_DAYS"]
    invitation = CompanyInvitation(company_id=company.id, email=email, token_hash=hash_token(token),
                                   invited_by_id=inviter.id, created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    invitee = db.session.scalar(select(User).where(User.email == email))
    queue_email(email, "company_invitation", locale=invitee.locale if invitee else inviter.locale,
                company=company, inviter=inviter, token=token, days=days)
    return invitation, token


def _wait_message(blocked):
    return _l("Many invitations have been sent recently, so we are pausing for a while. Try again %(wait)s.",
              wait=wait_text(blocked))


def invitation_by_token(token: str, now: datetime) -> CompanyInvitation:
    if not token or len(token) > 200:
        raise InvalidToken(error_messages["invitation_invalid"])
    invitation = db.session.scalar(select(CompanyInvitation).where(CompanyInvitation.token_hash == hash_token(token)))
    if invitation is None or not invitation.is_open(now):
        raise InvalidToken(error_messages["invitation_invalid"])
    return invitation


def accept_invitation(token: str, user: User, *, now: datetime) -> CompanyMembership:
    invitation = invitation_by_token(token, now)
    if email_key(user.email) != invitation.email:
        raise NotAllowed(error_messages["invitation_other_email"])
    company = invitation.company
    if company.status is not CompanyStatus.approved:
        raise InvalidState(error_messages["company_not_active"])
    invitation.accepted_at = now
    current = access.company_membership(user, company)
    if current is not None:
        db.session.flush()
        return current
    membership = CompanyMembership(user_id=user.id, company_id=company.id, created_at=now)
    db.session.add(membership)
    db.session.flush()
    return membership


def revoke_invitation(invitation: CompanyInvitation, *, now: datetime) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = now
    db.session.flush()


def remove_admin(company: Company, target: CompanyMembership, *, now: datetime, by: User | None = None) -> None:
    """Never the last one: a company nobody administers could not be edited or closed."""
    if target.company_id != company.id or target.removed_at is not None:
        raise InvalidState()
    live = db.session.scalar(select(func.count(CompanyMembership.id)).where(
        CompanyMembership.company_id == company.id, CompanyMembership.removed_at.is_(None)))
    if live <= 1:
        raise InvalidState(error_messages["last_admin"])
    target.removed_at = now
    db.session.flush()
    audit.record(by, "membership_changed", obj=target, summary=company.name, before={"status": "approved"},
                 after={"status": "removed"}, subjects=[target.user_id], now=now)


# --- the leave policy ------------------------------------------------------------------------

def save_policy(company: Company, *, amount_tenths: int, unit: str, minutes_per_day: int | None,
                scope: str, scope_note: str | None, how_to_ask: str, since: date, publish: bool,
                now: datetime) -> LeavePolicy:
    if not 0 < amount_tenths <= leave.MAX_AMOUNT_TENTHS:
        raise DomainError(error_messages["amount_range"], field="amount")
    unit = LeaveUnit(unit)
    if unit is LeaveUnit.days:
        if minutes_per_day is None or not 0 < minutes_per_day <= leave.MAX_MINUTES_PER_DAY:
            raise DomainError(error_messages["hours_per_day"], field="hours_per_day")
    else:
        # Kept so the hours of a day are still there if the company switches back to days.
        minutes_per_day = (company.policy.minutes_per_day if company.policy is not None
                           else leave.DEFAULT_MINUTES_PER_DAY)
    scope = LeaveScope(scope)
    scope_note = (scope_note or "").strip() or None
    if scope is LeaveScope.chosen_causes and not scope_note:
        raise DomainError(error_messages["scope_note_needed"], field="scope_note")
    policy = company.policy
    if policy is None:
        policy = LeavePolicy(company_id=company.id, created_at=now)
        company.policy = policy
    policy.amount = amount_tenths
    policy.unit = unit
    policy.minutes_per_day = minutes_per_day
    policy.minutes_per_year = leave.minutes_per_year(amount_tenths, unit.value, minutes_per_day)
    policy.scope = scope
    policy.scope_note = scope_note
    policy.how_to_ask = how_to_ask
    policy.since = since
    if publish and policy.published_at is None:
        policy.published_at = now
    elif not publish:
        policy.published_at = None
    policy.updated_at = now
    db.session.flush()
    return policy


# --- the public list -------------------------------------------------------------------------

COMPANIES_PER_PAGE = 48
MAX_PAGE = 10_000
SORTS = ("hours", "name")


@dataclass(frozen=True)
class CompanyPage:
    companies: list[Company]
    page: int
    total: int
    sort: str
    kind: SupportKind | None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // COMPANIES_PER_PAGE))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * COMPANIES_PER_PAGE + 1


def approved_companies(*, page: int = 1, sort: str = "hours", kind: SupportKind | None = None) -> CompanyPage:
    """Approved companies, a page at a time. By hours: most minutes a year first, and companies
    without a published policy last; ties and `name` alphabetically. The logo bytes stay in the
    database: the list shows them through their own address."""
    published = (LeavePolicy.company_id == Company.id) & LeavePolicy.published_at.is_not(None)
    where = [access.public_company_clause()]
    if kind is not None:
        where.append(Company.id.in_(select(CompanySupport.company_id).where(CompanySupport.kind == kind)))
    total = db.session.scalar(select(func.count(Company.id)).where(*where))
    order = ([case((LeavePolicy.id.is_(None), 1), else_=0), LeavePolicy.minutes_per_year.desc()]
             if sort == "hours" else [])
    # contains_eager fills company.policy from the join, so an unpublished policy reads as None
    # here: this list is the only reader of these objects in the request.
    rows = db.session.scalars(
        select(Company).outerjoin(LeavePolicy, published)
        .options(defer(Company.logo), contains_eager(Company.policy), selectinload(Company.supports))
        .where(*where).order_by(*order, Company.name, Company.id)
        .limit(COMPANIES_PER_PAGE).offset((page - 1) * COMPANIES_PER_PAGE)).unique().all()
    return CompanyPage(companies=list(rows), page=page, total=total, sort=sort, kind=kind)


def published_policy(company: Company) -> LeavePolicy | None:
    policy = company.policy
    return policy if policy is not None and policy.is_published else None


# --- employees link themselves --------------------------------------------------------------

SEARCH_LIMIT = 10


def search_companies(q: str) -> list[Company]:
    """Approved companies whose name contains `q`, a short list for picking one's employer."""
    q = (q or "").strip()[:120]
    if len(q) < 2:
        return []
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"
    return list(db.session.scalars(
        select(Company).options(defer(Company.logo))
        .where(access.public_company_clause(), func.lower(Company.name).like(pattern, escape="\\"))
        .order_by(Company.name, Company.id).limit(SEARCH_LIMIT)))


def links_of(user: User) -> list[EmployeeLink]:
    return list(db.session.scalars(
        select(EmployeeLink).options(joinedload(EmployeeLink.company).defer(Company.logo))
        .where(EmployeeLink.user_id == user.id, EmployeeLink.removed_at.is_(None))
        .order_by(EmployeeLink.created_at, EmployeeLink.id)))


def link_of(user: User, link_id: int) -> EmployeeLink | None:
    """The caller's own live link, or None (someone else's link is as good as missing)."""
    return db.session.scalar(select(EmployeeLink).where(
        EmployeeLink.id == link_id, EmployeeLink.user_id == user.id, EmployeeLink.removed_at.is_(None)))


def link_to_employer(user: User, company: Company, *, share_name: bool, count_hours: bool,
                     now: datetime) -> EmployeeLink:
    if company.status is not CompanyStatus.approved:
        raise InvalidState(error_messages["company_not_active"])
    live = select(EmployeeLink.id).where(EmployeeLink.user_id == user.id, EmployeeLink.company_id == company.id,
                                         EmployeeLink.removed_at.is_(None))
    if db.session.scalar(live) is not None:
        raise InvalidState(error_messages["already_linked"])
    link = EmployeeLink(user_id=user.id, company_id=company.id, share_name=bool(share_name),
                        count_hours=bool(count_hours), created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(link)
            db.session.flush()
    except IntegrityError:  # a double click: the partial unique index keeps one live link
        raise InvalidState(error_messages["already_linked"]) from None
    return link


def change_consents(link: EmployeeLink, *, share_name: bool, count_hours: bool) -> None:
    link.share_name = bool(share_name)
    link.count_hours = bool(count_hours)
    db.session.flush()


def unlink(link: EmployeeLink, *, now: datetime) -> None:
    if link.removed_at is None:
        link.removed_at = now
    db.session.flush()


@dataclass(frozen=True)
class StaffView:
    """What an employer may know about who linked themselves: names of those who agreed to
    share theirs, and only a count of the rest. Never hours per person."""
    names: list[str]
    unnamed: int
    counting_hours: int

    @property
    def total(self) -> int:
        return len(self.names) + self.unnamed


def staff_view(company: Company) -> StaffView:
    live = (EmployeeLink.company_id == company.id) & EmployeeLink.removed_at.is_(None)
    names = db.session.scalars(select(User.name).join(EmployeeLink, EmployeeLink.user_id == User.id)
                               .where(live, EmployeeLink.share_name.is_(True))
                               .order_by(User.name, User.id)).all()
    unnamed = db.session.scalar(select(func.count(EmployeeLink.id)).where(live, EmployeeLink.share_name.is_(False)))
    counting = db.session.scalar(select(func.count(EmployeeLink.id)).where(live, EmployeeLink.count_hours.is_(True)))
    return StaffView(names=list(names), unnamed=unnamed, counting_hours=counting)
