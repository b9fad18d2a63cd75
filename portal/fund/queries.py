"""Read-only questions about the fund: the public page's totals, named donors and payouts, the
company page's sponsor line, the coordinator's lists and the accounts' CSV rows.

What the public may learn is decided here, in SQL, so no template can show more: a donor's name
only with `show_name` (which the database allows only with recorded consent); everyone else only
as a number of anonymous givers. No amount is tied to a donor on any public page. Every list is
one statement, whatever its length (the pages' query counts are pinned)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, distinct, exists, func, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.extensions import db
from portal.models import (Company, CompanyStatus, Donation, Donor, DonorKind, Event, FundSettings, Organisation,
                           OrganisationStatus, Payout, Task, TaskStatus)

# The public page's three groups of named donors, in this order.
GROUPS = ("companies", "citizens", "associations")
_GROUP_OF = {DonorKind.company: "companies", DonorKind.citizen: "citizens",
             DonorKind.association: "associations", DonorKind.foundation: "associations"}


@dataclass(frozen=True)
class Totals:
    year: int
    received_year: int   # øre
    received_all: int
    paid_year: int
    paid_all: int
    donors: int          # donors with at least one gift
    anonymous: int       # of whom not named

    @property
    def balance(self) -> int:
        return self.received_all - self.paid_all


def totals(*, today: date) -> Totals:
    """Everything received (anonymous gifts included) and paid out, this calendar year and in all:
    two statements."""
    first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    this_year = and_(Donation.given_on >= first, Donation.given_on <= last)
    received = db.session.execute(select(
        func.coalesce(func.sum(case((this_year, Donation.amount_ore), else_=0)), 0),
        func.coalesce(func.sum(Donation.amount_ore), 0),
        func.count(distinct(Donation.donor_id)),
        func.count(distinct(case((Donor.show_name.is_(False), Donation.donor_id)))),
    ).select_from(Donation).join(Donor, Donor.id == Donation.donor_id)).one()
    paid_year = and_(Payout.paid_on >= first, Payout.paid_on <= last)
    paid = db.session.execute(select(
        func.coalesce(func.sum(case((paid_year, Payout.amount_ore), else_=0)), 0),
        func.coalesce(func.sum(Payout.amount_ore), 0))).one()
    return Totals(year=today.year, received_year=int(received[0]), received_all=int(received[1]),
                  paid_year=int(paid[0]), paid_all=int(paid[1]), donors=int(received[2]), anonymous=int(received[3]))


@dataclass(frozen=True)
class PublicDonor:
    name: str
    company_slug: str | None   # only for an approved company: its page is public


def named_donors() -> dict[str, list[PublicDonor]]:
    """Donors who agreed to be named and have given, by group, alphabetically. Names only."""
    has_given = exists().where(Donation.donor_id == Donor.id)
    rows = db.session.execute(
        select(Donor.kind, Donor.name, Company.slug, Company.status)
        .outerjoin(Company, Company.id == Donor.company_id)
        .where(Donor.show_name.is_(True), Donor.consent_at.is_not(None), has_given)
        .order_by(func.lower(Donor.name), Donor.id)).all()
    groups: dict[str, list[PublicDonor]] = {group: [] for group in GROUPS}
    for kind, name, slug, status in rows:
        groups[_GROUP_OF[kind]].append(PublicDonor(name, slug if status is CompanyStatus.approved else None))
    return groups


def _sponsor_clause(company):
    return exists().where(Donor.company_id == company.id, Donor.show_name.is_(True), Donor.consent_at.is_not(None),
                          exists().where(Donation.donor_id == Donor.id))


def is_named_sponsor(company) -> bool:
    """A donor linked to this company, named with consent, has given at least once."""
    return bool(db.session.scalar(select(_sponsor_clause(company))))


def sponsored_fund_name(company) -> str | None:
    """The company page's sponsor line: the fund's name when the company is a named sponsor, else
    None. One statement, whatever the number of donors and gifts."""
    from portal.fund.services import DEFAULT_NAME

    name = select(FundSettings.name).order_by(FundSettings.id).limit(1).scalar_subquery()
    return db.session.scalar(select(func.coalesce(name, DEFAULT_NAME)).where(_sponsor_clause(company)))


@dataclass(frozen=True)
class PublicPayout:
    paid_on: date
    amount_ore: int
    purpose: str
    description: str
    organisation: Organisation | None     # only an approved one
    task: Task | None                      # only one whose page anyone may open
    event: Event | None                    # only a published one


def _task_is_public(task: Task | None) -> bool:
    """The anonymous visitor's rule for a task page (access.may_see_task without a user): not a
    draft, and its organisation approved. A task that has happened and closed still has its page."""
    return (task is not None and task.status is not TaskStatus.draft
            and task.organisation.status is OrganisationStatus.approved)


def public_payouts() -> list[PublicPayout]:
    """What the fund paid, newest first, with the task, event and organisation a visitor may open
    (the others are left out and only the purpose is shown). One statement."""
    payouts = db.session.scalars(
        select(Payout).options(joinedload(Payout.organisation), joinedload(Payout.event),
                               joinedload(Payout.task).joinedload(Task.organisation))
        .order_by(Payout.paid_on.desc(), Payout.id.desc())).unique().all()
    return [PublicPayout(p.paid_on, p.amount_ore, p.purpose, p.description,
                         p.organisation if p.organisation is not None
                         and p.organisation.status is OrganisationStatus.approved else None,
                         p.task if _task_is_public(p.task) else None,
                         p.event if p.event is not None and p.event.published_at is not None else None)
            for p in payouts]


# --- the coordinator's side -----------------------------------------------------------------------

@dataclass(frozen=True)
class DonorRow:
    donor: Donor
    gifts: int
    total_ore: int
    last_given: date | None


def donors_for_staff() -> list[DonorRow]:
    """Every donor with the count and sum of their gifts, newest first. One statement."""
    gifts = (select(Donation.donor_id, func.count(Donation.id).label("n"),
                    func.sum(Donation.amount_ore).label("total"), func.max(Donation.given_on).label("last"))
             .group_by(Donation.donor_id).subquery())
    rows = db.session.execute(
        select(Donor, gifts.c.n, gifts.c.total, gifts.c.last)
        .outerjoin(gifts, gifts.c.donor_id == Donor.id)
        .options(joinedload(Donor.company))
        .order_by(Donor.created_at.desc(), Donor.id.desc())).all()
    return [DonorRow(donor, int(n or 0), int(total or 0), last) for donor, n, total, last in rows]


def donations_of(donor: Donor) -> list[Donation]:
    return list(db.session.scalars(select(Donation).where(Donation.donor_id == donor.id)
                                   .order_by(Donation.given_on.desc(), Donation.id.desc())))


def payouts_for_staff() -> list[Payout]:
    return list(db.session.scalars(
        select(Payout).options(joinedload(Payout.organisation), joinedload(Payout.event), joinedload(Payout.task))
        .order_by(Payout.paid_on.desc(), Payout.id.desc())).unique())


def organisations_for_payouts() -> list[Organisation]:
    """The organisations a payout may go to: the approved ones."""
    return list(db.session.scalars(select(Organisation).where(access.public_organisation_clause())
                                   .order_by(Organisation.name)))


def events_for_payouts() -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.starts_at.desc())))


def donation_rows() -> list[tuple[Donation, Donor]]:
    """Every gift with its donor, oldest first, for the accounts."""
    return list(db.session.execute(
        select(Donation, Donor).join(Donor, Donor.id == Donation.donor_id)
        .order_by(Donation.given_on, Donation.id)).tuples())


def payout_rows() -> list[Payout]:
    return list(db.session.scalars(
        select(Payout).options(joinedload(Payout.organisation), joinedload(Payout.event), joinedload(Payout.task))
        .order_by(Payout.paid_on, Payout.id)).unique())
