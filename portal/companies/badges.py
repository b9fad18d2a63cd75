"""The year's badge: earned on checkable criteria, expiring with its year, revocable.

The facts are gathered here in a handful of queries for any number of companies; what they mean
(earned or not, valid or expired) is decided in portal/core/badges.py."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from portal.companies.hours import hours_made_possible
from portal.companies.services import tell
from portal.core import badges as rules
from portal.core.badges import BadgeState, Criterion, Facts
from portal.errors import InvalidState
from portal.extensions import db
from portal.models import (Attendance, Badge, Company, CompanyStatus, Deal, DealStatus, EmployeeLink,
                           LeavePolicy, Signup, Slot, TeamSignup)

# A deal that was carried out: what "a partnership in the last 12 months" means.
CARRIED_OUT = (DealStatus.done, DealStatus.evaluated)


class BadgeNotRevocable(InvalidState):
    message = _l("There is no valid badge to withdraw.")


def _ids(statement) -> set[int]:
    return set(db.session.scalars(statement))


def gather_facts(companies, *, now: datetime) -> dict[int, Facts]:
    """Facts for each company, in four queries whatever their number."""
    ids = [company.id for company in companies]
    if not ids:
        return {}
    since = rules.activity_since(now)
    published = _ids(select(LeavePolicy.company_id).where(LeavePolicy.company_id.in_(ids),
                                                          LeavePolicy.published_at.is_not(None)))
    # Only staff who linked themselves and agreed to count; a removed link counts nothing.
    tasks = _ids(select(EmployeeLink.company_id).distinct()
                 .join(Signup, Signup.user_id == EmployeeLink.user_id)
                 .join(Slot, Slot.id == Signup.slot_id)
                 .where(EmployeeLink.company_id.in_(ids), EmployeeLink.removed_at.is_(None),
                        EmployeeLink.count_hours.is_(True), Signup.attendance == Attendance.attended,
                        Slot.starts_at >= since, Slot.starts_at <= now))
    attended_seat = exists().where(Signup.team_signup_id == TeamSignup.id,
                                   Signup.attendance == Attendance.attended)
    teams = _ids(select(TeamSignup.company_id).distinct()
                 .join(Slot, Slot.id == TeamSignup.slot_id)
                 .where(TeamSignup.company_id.in_(ids), Slot.starts_at >= since, Slot.ends_at <= now,
                        attended_seat))
    deals = _ids(select(Deal.company_id).distinct()
                 .where(Deal.company_id.in_(ids), Deal.status.in_(CARRIED_OUT),
                        Deal.done_at >= since, Deal.done_at <= now))
    return {company.id: Facts(approved=company.status is CompanyStatus.approved,
                              policy_published=company.id in published,
                              completed_task=company.id in tasks, team_day=company.id in teams,
                              partnership=company.id in deals)
            for company in companies}


def _insert_if_absent(rows: list[dict]) -> int:
    """One INSERT ... ON CONFLICT DO NOTHING: two ticks at once give one badge, and neither fails."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (insert(Badge).values(rows).on_conflict_do_nothing(index_elements=["company_id", "year"])
                 .returning(Badge.id))
    # Counted from RETURNING: a driver's rowcount for a multi-row insert is not to be trusted.
    return len(db.session.execute(statement).all())


def award_badges(*, now: datetime) -> int:
    """tick: gives this year's badge to every company that meets the criteria and has none yet.
    A badge withdrawn this year is a badge: the company does not get a new one until next year."""
    year = rules.badge_year(now)
    has_badge = exists().where(Badge.company_id == Company.id, Badge.year == year)
    has_policy = exists().where(LeavePolicy.company_id == Company.id, LeavePolicy.published_at.is_not(None))
    candidates = list(db.session.scalars(
        select(Company).where(Company.status == CompanyStatus.approved, has_policy, ~has_badge)
        .order_by(Company.id)))
    facts = gather_facts(candidates, now=now)
    rows = [{"company_id": company.id, "year": year, "earned_at": now, "expires_at": rules.expires_at(year)}
            for company in candidates if rules.earned(facts[company.id])]
    if not rows:
        return 0
    awarded = _insert_if_absent(rows)
    db.session.flush()
    return awarded


def latest_badge(company) -> Badge | None:
    return db.session.scalar(select(Badge).where(Badge.company_id == company.id)
                             .order_by(Badge.year.desc()).limit(1))


@dataclass
class BadgeStatus:
    """What the verification page, the sticker files and the company page show."""
    badge: Badge | None
    state: BadgeState
    year: int | None
    valid_until: datetime | None
    hours: float
    hours_year: int | None = None
    partners: list = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    missing: list[Criterion] = field(default_factory=list)
    checked_at: datetime | None = None

    @property
    def is_valid(self) -> bool:
        return self.state is BadgeState.valid

    @property
    def valid_through(self) -> date | None:
        """The last local day the badge is valid (31 December of its year)."""
        return rules.last_valid_day(self.year) if self.year else None


def badge_status(company, *, now: datetime, details: bool = True) -> BadgeStatus:
    """The latest badge and its state; with `details`, also the hours and partners behind it and
    which criteria are met now (for the verification page and the company's administrators)."""
    from portal.exchange.services import partners_of

    badge = latest_badge(company)
    state = rules.state(revoked_at=badge.revoked_at if badge else None,
                        expires=badge.expires_at if badge else None, now=now,
                        company_active=company.status is CompanyStatus.approved)
    status = BadgeStatus(badge=badge, state=state, year=badge.year if badge else None,
                         valid_until=badge.expires_at if badge else None, hours=0.0, checked_at=now)
    if details:
        status.hours_year = badge.year if badge else rules.badge_year(now)
        status.hours = hours_made_possible(company, year=status.hours_year)
        status.partners = partners_of(company)
        status.facts = gather_facts([company], now=now)[company.id]
        status.missing = rules.missing(status.facts)
    return status


def revoke_badge(company, by, *, reason: str, now: datetime) -> Badge:
    """The coordinator withdraws the company's current badge; it stays withdrawn for its year."""
    badge = latest_badge(company)
    if badge is None or badge.revoked_at is not None or now >= badge.expires_at:
        raise BadgeNotRevocable()
    badge.revoked_at = now
    badge.revoked_reason = reason
    badge.revoked_by_id = by.id
    db.session.flush()
    # The company hears it from us, not from a customer who scanned its window.
    tell(company, "badge_withdrawn", badge=badge, reason=reason)
    return badge
