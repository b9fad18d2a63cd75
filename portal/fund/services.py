"""The fund's rules: its settings, donors (named only with recorded consent), their gifts and the
fund's payouts. The portal records and shows; money moves outside it (the fund's own account or
MobilePay), and a collection needs Indsamlingsnævnet's permission, so the page asks for money only
while a permission number is valid.

Amounts are whole øre (int) everywhere. Services flush, the route commits once."""

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select, text

from portal.core.money import MAX_ORE
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.fund import errors
from portal.hardening import as_id
from portal.models import (Company, CompanyStatus, Donation, Donor, DonorKind, Event, FundSettings, Organisation,
                           Payout, Task)

DEFAULT_NAME = "Dragør Frivilligfond"


def _row(model, ident):
    """The row, or None, also for an id no row can have (PostgreSQL refuses one beyond its int4 key)."""
    ident = as_id(ident)
    return db.session.get(model, ident) if ident is not None else None


def today_in_denmark(now: datetime) -> date:
    return to_local(now).date()


# --- the settings -------------------------------------------------------------------------------

def current_settings() -> FundSettings | None:
    """The one row of settings (the oldest, should two coordinators have saved the first at once)."""
    return db.session.scalar(select(FundSettings).order_by(FundSettings.id).limit(1))


def collection_open(settings: FundSettings | None, *, today: date) -> bool:
    """May the page ask for money today? Only with a permission number that runs to today or later
    (Indsamlingsnævnet: a collection without permission is not allowed)."""
    return bool(settings is not None and settings.permission_number and settings.permission_valid_until is not None
                and settings.permission_valid_until >= today)


def permission_ends_within(settings: FundSettings | None, *, now: datetime, seconds: float) -> bool:
    """Does the fundraising permission run out (at the end of its last day, Danish time) within
    `seconds` of `now`?"""
    if not collection_open(settings, today=today_in_denmark(now)):
        return False
    end = to_utc(settings.permission_valid_until + timedelta(days=1), time(0))
    return end - _aware(now) <= timedelta(seconds=seconds)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def save_settings(by, *, name: str, purpose: str, rules: str, how_to_apply: str, bank_account: str | None,
                  mobilepay: str | None, permission_number: str | None, permission_valid_until: date | None,
                  now: datetime) -> FundSettings:
    if permission_number and permission_valid_until is None:
        raise errors.valid_until_needed()
    if (bank_account or mobilepay) and not permission_number:
        raise errors.permission_needed()
    settings = current_settings()
    if settings is None:
        settings = FundSettings()
        db.session.add(settings)
    settings.name = name or DEFAULT_NAME
    settings.purpose, settings.rules, settings.how_to_apply = purpose, rules, how_to_apply
    settings.bank_account, settings.mobilepay = bank_account or None, mobilepay or None
    settings.permission_number = permission_number or None
    settings.permission_valid_until = permission_valid_until
    settings.updated_by_id = getattr(by, "id", None)
    settings.updated_at = now
    db.session.flush()
    return settings


# --- donors -------------------------------------------------------------------------------------

def approved_companies() -> list[Company]:
    return list(db.session.scalars(select(Company).where(Company.status == CompanyStatus.approved)
                                   .order_by(Company.name)))


def save_donor(donor: Donor | None, by, *, kind: DonorKind, name: str, company_id: int | None, show_name: bool,
               consent_note: str, now: datetime) -> Donor:
    """Adds (donor None) or changes a donor. The name is shown publicly only with `show_name`,
    which needs a note of when and how the donor agreed; consent is dated the moment it is first
    recorded, and withdrawn consent clears the date (the database refuses a shown name without it)."""
    company = None
    if company_id is not None:
        if kind is not DonorKind.company:
            raise errors.company_only_for_companies()
        company = _row(Company, company_id)
        if company is None or company.status is not CompanyStatus.approved:
            raise errors.company_not_found()
    name = (name or "").strip() or (company.name if company else "")
    if not name:
        raise errors.name_required()
    consent_note = (consent_note or "").strip()
    if show_name and not consent_note:
        raise errors.consent_note_required()
    if donor is None:
        # The same new donor sent twice (a double click) is added once.
        _one_at_a_time("fund-new-donor")
        same = db.session.scalar(select(Donor).where(
            Donor.kind == kind, Donor.name == name, Donor.created_at > now - DOUBLE_CLICK)
            .order_by(Donor.id.desc()).limit(1))
        if same is not None:
            return same
        donor = Donor(recorded_by_id=getattr(by, "id", None), created_at=now)
        db.session.add(donor)
    if show_name and not (donor.show_name and donor.consent_at is not None):
        donor.consent_at = now
    elif not show_name:
        donor.consent_at = None
    donor.kind, donor.name, donor.company_id = kind, name, company.id if company else None
    donor.show_name, donor.consent_note = show_name, consent_note
    db.session.flush()
    return donor


def delete_donor(donor: Donor) -> None:
    """The donor and their gifts (the accounts keep the bank's own record of the money)."""
    db.session.delete(donor)
    db.session.flush()


def _check_amount(amount_ore) -> int:
    if not isinstance(amount_ore, int) or isinstance(amount_ore, bool):
        raise errors.amount("not_a_number")
    if amount_ore <= 0:
        raise errors.amount("zero" if amount_ore == 0 else "negative")
    if amount_ore > MAX_ORE:
        raise errors.amount("too_large")
    return amount_ore


# A double click on "Record" (there is no script to stop the second) sends the same gift twice within
# a second; a coordinator typing the same gift again takes longer than this.
DOUBLE_CLICK = timedelta(seconds=10)


def _one_at_a_time(key: str) -> None:
    """Two copies of a new row (a double click) are looked at one after the other: PostgreSQL's
    transaction-scoped advisory lock (SQLite's writers queue anyway)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def add_donation(donor: Donor, *, amount_ore: int, given_on: date, note: str, now: datetime) -> Donation:
    """Records a gift; the same gift sent again within DOUBLE_CLICK is the first one, not a second.
    The donor's row is locked first (PostgreSQL; SQLite's writers queue anyway), so two copies
    arriving at once are looked at one after the other and the second finds the first."""
    amount_ore = _check_amount(amount_ore)
    if given_on > today_in_denmark(now):
        raise errors.date_in_future()
    note = (note or "").strip()
    db.session.execute(select(Donor.id).where(Donor.id == donor.id).with_for_update())
    same = db.session.scalar(select(Donation).where(
        Donation.donor_id == donor.id, Donation.amount_ore == amount_ore, Donation.given_on == given_on,
        Donation.note == note, Donation.created_at > now - DOUBLE_CLICK).order_by(Donation.id.desc()).limit(1))
    if same is not None:
        return same
    donation = Donation(donor_id=donor.id, amount_ore=amount_ore, given_on=given_on, note=note, created_at=now)
    db.session.add(donation)
    db.session.flush()
    return donation


def delete_donation(donation: Donation) -> None:
    db.session.delete(donation)
    db.session.flush()


# --- payouts ------------------------------------------------------------------------------------

def save_payout(payout: Payout | None, by, *, amount_ore: int, paid_on: date, purpose: str, description: str,
                organisation_id: int | None, task_id: int | None, event_id: int | None, now: datetime) -> Payout:
    """Adds (payout None) or changes a payout. A task gives the organisation when none is chosen;
    a task of another organisation than the one chosen is refused."""
    amount_ore = _check_amount(amount_ore)
    if paid_on > today_in_denmark(now):
        raise errors.paid_in_future()
    organisation = task = event = None
    if organisation_id is not None:
        organisation = _row(Organisation, organisation_id)
        if organisation is None:
            raise errors.organisation_not_found()
    if task_id is not None:
        task = _row(Task, task_id)
        if task is None:
            raise errors.task_not_found()
        if organisation is not None and task.organisation_id != organisation.id:
            raise errors.task_of_another_organisation()
        organisation = organisation or task.organisation
    if event_id is not None:
        event = _row(Event, event_id)
        if event is None:
            raise errors.event_not_found()
    if payout is None:
        # The same new payout sent twice (a double click) is recorded once. Payouts have no parent row
        # to lock, so PostgreSQL's transaction-scoped advisory lock queues two copies arriving at once.
        _one_at_a_time("fund-new-payout")
        same = db.session.scalar(select(Payout).where(
            Payout.amount_ore == amount_ore, Payout.paid_on == paid_on, Payout.purpose == purpose.strip(),
            Payout.created_at > now - DOUBLE_CLICK).order_by(Payout.id.desc()).limit(1))
        if same is not None:
            return same
        payout = Payout(recorded_by_id=getattr(by, "id", None), created_at=now)
        db.session.add(payout)
    payout.amount_ore, payout.paid_on = amount_ore, paid_on
    payout.purpose, payout.description = purpose.strip(), (description or "").strip()
    payout.organisation_id = organisation.id if organisation else None
    payout.task_id = task.id if task else None
    payout.event_id = event.id if event else None
    db.session.flush()
    return payout


def delete_payout(payout: Payout) -> None:
    db.session.delete(payout)
    db.session.flush()
