"""The annual volunteering account (frivillighedsregnskab) for one calendar year, read in a fixed
number of statements whatever the year holds (pinned in tests/web/test_annual_account.py).

Hours come from the one ledger (portal/hours/services.contributions): a time belongs to the local
date it starts on, so a time on 31 December at 23:30 counts in that year, even though it ends in
the next. Everything else is counted with the same local-year bounds."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, func, select

from portal.core import annual
from portal.core.annual import Change
from portal.core.hours import Period, total
from portal.core.timeutil import to_utc
from portal.extensions import db
from portal.hours.services import contributions
from portal.models import (Attendance, AwardCategory, AwardWinner, AwardYear, Category, Company, CompanyStatus,
                           EmployeeLink, Idea, LeavePolicy, Nomination, NominationConsent, Organisation, Payout,
                           Signup, Slot, SlotStatus, Task, TaskStatus)

TOP_ORGANISATIONS = 10


@dataclass(frozen=True)
class Named:
    name: str
    hours: float


@dataclass(frozen=True)
class CompanyLine:
    name: str
    slug: str
    hours: float        # the consenting staff's hours that year (portal/companies/hours.py's rule)


@dataclass(frozen=True)
class IdeaLine:
    idea_id: int
    title: str
    task_id: int
    task_title: str
    on: datetime


@dataclass(frozen=True)
class WinnerLine:
    category_da: str
    category_en: str
    name: str


@dataclass(frozen=True)
class PayoutLine:
    paid_on: date
    purpose: str
    kroner: float


@dataclass
class Account:
    year: int
    hours: float
    volunteers: int
    tasks: int
    times: int
    organisations: int
    first_timers: int
    months: list[float]                       # 12 values, January first
    categories: list[tuple[Category, float]]  # most hours first
    top_organisations: list[Named]
    companies: list[CompanyLine]
    company_hours: float
    ideas: list[IdeaLine]
    nominations: int
    winners: list[WinnerLine]
    payouts: list[PayoutLine]
    previous_hours: float = 0.0
    previous_volunteers: int = 0
    hours_change: Change | None = None
    volunteers_change: Change | None = None

    @property
    def paid_out(self) -> float:
        return round(sum(p.kroner for p in self.payouts), 2)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The UTC instants at which the local (Copenhagen) year starts and ends."""
    return to_utc(date(year, 1, 1), time(0)), to_utc(date(year + 1, 1, 1), time(0))


def _tasks_and_orgs(start: datetime, end: datetime) -> tuple[int, int, set[int]]:
    """(tasks with times that year, those times, their organisations): cancelled times and drafts'
    times (never offered to anyone) do not count."""
    rows = db.session.execute(
        select(Task.id, Task.organisation_id, func.count(Slot.id)).join(Slot, Slot.task_id == Task.id)
        .where(Slot.starts_at >= start, Slot.starts_at < end, Slot.status != SlotStatus.cancelled,
               Task.status != TaskStatus.draft)
        .group_by(Task.id, Task.organisation_id)).all()
    return len(rows), sum(n for _, _, n in rows), {org for _, org, _ in rows}


def _first_timers(start: datetime, end: datetime) -> int:
    first = (select(Signup.user_id, func.min(Slot.starts_at).label("first"))
             .join(Slot, Signup.slot_id == Slot.id).where(Signup.attendance == Attendance.attended)
             .group_by(Signup.user_id).subquery())
    return db.session.scalar(select(func.count()).select_from(first)
                             .where(first.c.first >= start, first.c.first < end)) or 0


def _companies(year_contributions, end: datetime) -> tuple[list[CompanyLine], float]:
    """Approved companies whose leave policy was published by the end of the year (a policy
    published in 2026 is not in the account of 2024), and the hours that year of the staff who
    let their hours count: the people portal.companies.hours.consenting_staff names (a live link
    with count_hours), read for every company in one statement and added up from the ledger."""
    companies = db.session.execute(
        select(Company.id, Company.name, Company.slug).join(LeavePolicy, LeavePolicy.company_id == Company.id)
        .where(Company.status == CompanyStatus.approved, LeavePolicy.published_at.is_not(None),
               LeavePolicy.published_at < end)
        .order_by(Company.name, Company.id)).all()
    if not companies:
        return [], 0.0
    staff: dict[int, set[int]] = {}
    for company_id, user_id in db.session.execute(
            select(EmployeeLink.company_id, EmployeeLink.user_id)
            .where(EmployeeLink.company_id.in_([c.id for c in companies]), EmployeeLink.removed_at.is_(None),
                   EmployeeLink.count_hours.is_(True))):
        staff.setdefault(company_id, set()).add(user_id)
    lines = []
    for company_id, name, slug in companies:
        people = staff.get(company_id, set())
        lines.append(CompanyLine(name, slug, total(c for c in year_contributions if c.user_id in people)))
    # Together: a person linked to two companies counts once.
    everyone = set().union(*staff.values()) if staff else set()
    together = total(c for c in year_contributions if c.user_id in everyone)
    return sorted(lines, key=lambda line: (-line.hours, line.name)), together


def _ideas(start: datetime, end: datetime) -> list[IdeaLine]:
    """Ideas that became a task that year: the answer's publication dates it (a task linked
    without a published answer is dated by the idea's last change)."""
    on = func.coalesce(Idea.answer_published_at, Idea.updated_at)
    rows = db.session.execute(
        select(Idea.id, Idea.title, Task.id, Task.title, on).join(Task, Idea.task_id == Task.id)
        .where(Idea.task_id.is_not(None), on >= start, on < end).order_by(on, Idea.id)).all()
    return [IdeaLine(*row) for row in rows]


def _awards(year: int, now: datetime) -> tuple[int, list[WinnerLine]]:
    """Nominations that year (confirmed, not removed) and the winners once announced; no names of
    nominees, no scores."""
    nominations = db.session.scalar(
        select(func.count(Nomination.id)).join(AwardYear, Nomination.award_year_id == AwardYear.id)
        .where(AwardYear.year == year, Nomination.confirmed_at.is_not(None), Nomination.hidden_at.is_(None))) or 0
    winners = db.session.execute(
        select(AwardCategory.name_da, AwardCategory.name_en, Nomination.nominee_name)
        .select_from(AwardWinner).join(AwardCategory, AwardWinner.category_id == AwardCategory.id)
        .join(Nomination, AwardWinner.nomination_id == Nomination.id)
        .join(AwardYear, AwardCategory.award_year_id == AwardYear.id)
        # Announced and public: the same rule as Nomination.is_public (the nominee said yes).
        .where(and_(AwardYear.year == year, AwardYear.announce_at <= now,
                    Nomination.consent == NominationConsent.given, Nomination.confirmed_at.is_not(None),
                    Nomination.hidden_at.is_(None)))
        .order_by(AwardCategory.sort_order, AwardCategory.id)).all()
    return nominations, [WinnerLine(*row) for row in winners]


def _payouts(year: int) -> list[PayoutLine]:
    rows = db.session.execute(
        select(Payout.paid_on, Payout.purpose, Payout.amount_ore)
        .where(Payout.paid_on >= date(year, 1, 1), Payout.paid_on < date(year + 1, 1, 1))
        .order_by(Payout.paid_on, Payout.id)).all()
    return [PayoutLine(day, purpose, annual.kroner(ore)) for day, purpose, ore in rows]


def account(year: int, *, now: datetime) -> Account:
    start, end = year_bounds(year)
    found = contributions(period=Period.year(year))
    before = contributions(period=Period.year(year - 1))

    tasks, times, task_orgs = _tasks_and_orgs(start, end)
    active = annual.organisations(found) | task_orgs

    by_category = annual.ranked(found, "category_id")
    categories = {c.id: c for c in db.session.scalars(select(Category))}
    top = annual.ranked(found, "organisation_id", TOP_ORGANISATIONS)
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)
                                    .where(Organisation.id.in_([org for org, _ in top]))).all()) if top else {}
    companies, company_hours = _companies(found, end)
    nominations, winners = _awards(year, now)

    result = Account(
        year=year, hours=total(found), volunteers=annual.volunteers(found), tasks=tasks, times=times,
        organisations=len(active), first_timers=_first_timers(start, end),
        months=annual.per_month(found, year),
        categories=[(categories[c], hours) for c, hours in by_category if c in categories],
        top_organisations=[Named(names.get(org, "?"), hours) for org, hours in top],
        companies=companies, company_hours=company_hours,
        ideas=_ideas(start, end), nominations=nominations, winners=winners, payouts=_payouts(year),
        previous_hours=total(before), previous_volunteers=annual.volunteers(before))
    result.hours_change = annual.change(result.hours, result.previous_hours)
    result.volunteers_change = annual.change(result.volunteers, result.previous_volunteers)
    return result

