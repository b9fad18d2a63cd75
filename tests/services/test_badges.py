"""Earning, keeping and losing the year's badge: the criteria read from the data, award_badges
is idempotent (also two ticks at the same moment), and a withdrawn badge stays withdrawn."""

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.companies import badges
from portal.core.badges import BadgeState, Criterion, expires_at
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (Attendance, Badge, CompanyStatus, Deal, DealSide, DealStatus, Signup, SignupState,
                           TeamSignup)
from tests.conftest import counting_queries
from tests.factories import link_employee, make_company, make_organisation, make_policy, make_slot, make_task, make_user

# A fixed clock in the middle of a year: the rules are tested with `now=`, so any real date works.
NOW = datetime(2026, 6, 15, 10, tzinfo=timezone.utc)
YEAR = 2026


def _seat(user, slot, *, attendance=Attendance.attended, team=None):
    signup = Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed, attendance=attendance,
                    team_signup_id=team.id if team else None)
    db.session.add(signup)
    db.session.flush()
    return signup


def _ready_company(**kwargs):
    """Approved, with a published policy: everything but the activity."""
    company = make_company(**kwargs)
    make_policy(company)
    return company


def _task_slot(*, days_ago: float, hours=2):
    task = make_task(make_organisation())
    return make_slot(task, starts_at=NOW - timedelta(days=days_ago), hours=hours)


def _deal(company, *, status=DealStatus.done, done_days_ago=30):
    deal = Deal(company_id=company.id, organisation_id=make_organisation().id, proposed_by=DealSide.company,
                company_gives="To medarbejdere en dag", organisation_gives="Kaffe og en god fortælling",
                follow_up_on=date(2026, 9, 1), status=status,
                done_at=NOW - timedelta(days=done_days_ago) if done_days_ago is not None else None)
    db.session.add(deal)
    db.session.flush()
    return deal


def _count_badges(company=None) -> int:
    query = select(func.count(Badge.id))
    if company is not None:
        query = query.where(Badge.company_id == company.id)
    return db.session.scalar(query)


# --- the criteria, read from the data ------------------------------------------------------------

def test_a_task_completed_by_a_consenting_employee_earns_the_badge(ctx):
    company = _ready_company()
    employee = make_user()
    link_employee(employee, company, count_hours=True)
    _seat(employee, _task_slot(days_ago=40))
    assert badges.award_badges(now=NOW) == 1
    badge = db.session.scalar(select(Badge).where(Badge.company_id == company.id))
    assert (badge.year, badge.earned_at, badge.expires_at) == (YEAR, NOW, expires_at(YEAR))
    assert badge.is_valid(NOW)


@pytest.mark.parametrize("case", ["no_consent", "link_removed", "no_show", "older_than_a_year", "in_the_future"])
def test_activity_that_does_not_count_earns_nothing(ctx, case):
    company = _ready_company()
    employee = make_user()
    link = link_employee(employee, company, count_hours=case != "no_consent")
    if case == "link_removed":
        link.removed_at = NOW - timedelta(days=1)
    days_ago = {"older_than_a_year": 370, "in_the_future": -3}.get(case, 40)
    _seat(employee, _task_slot(days_ago=days_ago),
          attendance=Attendance.no_show if case == "no_show" else Attendance.attended)
    assert badges.award_badges(now=NOW) == 0
    assert badges.badge_status(company, now=NOW).missing == [Criterion.activity]


def test_a_team_day_counts_once_it_is_over_and_someone_came(ctx):
    over, upcoming, nobody_came = _ready_company(), _ready_company(), _ready_company()
    for company, days_ago, attendance in ((over, 10, Attendance.attended), (upcoming, -2, Attendance.attended),
                                          (nobody_came, 10, Attendance.no_show)):
        slot = _task_slot(days_ago=days_ago)
        team = TeamSignup(company_id=company.id, slot_id=slot.id, seats=2)
        db.session.add(team)
        db.session.flush()
        # The team members need not have linked themselves: the company booked them.
        _seat(make_user(), slot, attendance=attendance, team=team)
        _seat(make_user(), slot, attendance=Attendance.no_show, team=team)
    assert badges.award_badges(now=NOW) == 1
    assert _count_badges(over) == 1 and _count_badges(upcoming) == 0 and _count_badges(nobody_came) == 0


@pytest.mark.parametrize("status,done_days_ago,earns", [
    (DealStatus.done, 30, True),
    (DealStatus.evaluated, 200, True),
    (DealStatus.agreed, None, False),       # agreed is a promise, not yet something done
    (DealStatus.done, 400, False),          # done, but more than a year ago
])
def test_a_partnership_counts_when_it_was_carried_out_in_the_last_year(ctx, status, done_days_ago, earns):
    company = _ready_company()
    _deal(company, status=status, done_days_ago=done_days_ago)
    assert badges.award_badges(now=NOW) == int(earns)


def test_no_badge_without_approval_or_a_published_policy(ctx):
    pending = make_company(status=CompanyStatus.pending)
    make_policy(pending)
    unpublished = make_company()
    make_policy(unpublished, published=False)
    suspended = make_company(status=CompanyStatus.suspended)
    make_policy(suspended)
    for company in (pending, unpublished, suspended):
        _deal(company)
    assert badges.award_badges(now=NOW) == 0
    assert badges.badge_status(unpublished, now=NOW).missing == [Criterion.policy]
    assert badges.badge_status(pending, now=NOW).missing == [Criterion.approved]


def test_facts_for_many_companies_take_a_fixed_number_of_queries(app, ctx):
    companies = [_ready_company() for _ in range(6)]
    for company in companies:
        _deal(company)
    with counting_queries(app) as statements:
        facts = badges.gather_facts(companies, now=NOW)
    assert all(f.partnership for f in facts.values())
    assert len(statements) == 4


# --- idempotent, also on two nodes ----------------------------------------------------------------

def test_award_badges_twice_gives_one_badge_and_the_second_run_does_nothing(ctx):
    company = _ready_company()
    _deal(company)
    assert badges.award_badges(now=NOW) == 1
    assert badges.award_badges(now=NOW + timedelta(hours=1)) == 0
    assert _count_badges(company) == 1


def test_a_badge_that_appeared_meanwhile_is_not_an_error(ctx):
    """Two nodes: the other tick inserted the same badge between our look and our insert."""
    company = _ready_company()
    db.session.add(Badge(company_id=company.id, year=YEAR, earned_at=NOW, expires_at=expires_at(YEAR)))
    db.session.flush()
    assert badges._insert_if_absent([{"company_id": company.id, "year": YEAR, "earned_at": NOW,
                                      "expires_at": expires_at(YEAR)}]) == 0
    assert _count_badges(company) == 1


def test_two_ticks_at_the_same_moment_give_one_badge(app):
    with app.app_context():
        company = _ready_company()
        _deal(company)
        db.session.commit()
        company_id = company.id
        db.session.remove()
    barrier = threading.Barrier(2, timeout=30)
    results, lock = [], threading.Lock()

    def tick():
        with app.test_request_context(), write_transaction():
            try:
                barrier.wait()
                result = badges.award_badges(now=NOW)
                db.session.commit()
            except Exception as exc:  # any error is the failure this test looks for
                db.session.rollback()
                result = f"{type(exc).__name__}: {exc}".splitlines()[0]
            db.session.remove()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results, key=str) == [0, 1]
    with app.app_context():
        assert db.session.scalar(select(func.count(Badge.id)).where(Badge.company_id == company_id)) == 1
        db.session.remove()


def test_next_year_brings_next_years_badge_and_last_years_expires(ctx):
    company = _ready_company()
    _deal(company, done_days_ago=30)
    assert badges.award_badges(now=NOW) == 1
    next_year = datetime(YEAR + 1, 2, 1, 10, tzinfo=timezone.utc)   # the deal is still within 12 months
    status = badges.badge_status(company, now=next_year)
    assert (status.state, status.year) == (BadgeState.expired, YEAR)
    assert badges.award_badges(now=next_year) == 1
    status = badges.badge_status(company, now=next_year)
    assert (status.state, status.year) == (BadgeState.valid, YEAR + 1)


# --- withdrawal and what the pages show -----------------------------------------------------------

def test_a_withdrawn_badge_stays_withdrawn_for_its_year(ctx):
    company = _ready_company()
    _deal(company)
    badges.award_badges(now=NOW)
    coordinator = make_user(coordinator=True)
    badges.revoke_badge(company, coordinator, reason="Politikken blev trukket tilbage.", now=NOW + timedelta(days=1))
    later = NOW + timedelta(days=2)
    assert badges.award_badges(now=later) == 0
    status = badges.badge_status(company, now=later)
    assert status.state is BadgeState.revoked
    assert status.badge.revoked_reason == "Politikken blev trukket tilbage."
    assert status.badge.revoked_by_id == coordinator.id
    with pytest.raises(badges.BadgeNotRevocable):
        badges.revoke_badge(company, coordinator, reason="Igen", now=later)


def test_the_company_hears_of_a_withdrawal_with_the_reason_in_its_own_language(ctx):
    from portal.models import OutboxMessage

    admin = make_user(email="chef@firma.dk", locale="en")
    company = _ready_company(admin=admin, name="Firma & Søn")
    _deal(company)
    badges.award_badges(now=NOW)
    badges.revoke_badge(company, make_user(coordinator=True), reason="Politikken er trukket tilbage.",
                        now=NOW + timedelta(days=1))
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "chef@firma.dk"))
    assert mail is not None and "withdrawn" in mail.subject and "Firma & Søn" in mail.subject
    assert "Politikken er trukket tilbage." in mail.body_text and f"/companies/{company.slug}/badge" in mail.body_text


def test_only_a_current_badge_can_be_withdrawn(ctx):
    coordinator = make_user(coordinator=True)
    company = _ready_company()
    with pytest.raises(badges.BadgeNotRevocable):
        badges.revoke_badge(company, coordinator, reason="Intet mærke", now=NOW)
    db.session.add(Badge(company_id=company.id, year=YEAR - 1, earned_at=NOW - timedelta(days=365),
                         expires_at=expires_at(YEAR - 1)))
    db.session.flush()
    with pytest.raises(badges.BadgeNotRevocable):
        badges.revoke_badge(company, coordinator, reason="Udløbet", now=NOW)


def test_status_shows_hours_of_the_badges_year_and_partners(ctx):
    company = _ready_company()
    employee, private = make_user(), make_user()
    link_employee(employee, company, count_hours=True)
    link_employee(private, company, count_hours=False)
    slot = _task_slot(days_ago=20, hours=3)
    _seat(employee, slot)
    _seat(private, slot)
    deal = _deal(company)
    badges.award_badges(now=NOW)
    status = badges.badge_status(company, now=NOW)
    assert status.state is BadgeState.valid and status.is_valid
    assert status.hours == 3.0          # only the employee who agreed to count
    assert [org.id for org in status.partners] == [deal.organisation_id]
    assert status.valid_through == date(YEAR, 12, 31)
    assert status.missing == []


def test_a_suspended_company_badge_is_not_valid(ctx):
    company = _ready_company()
    _deal(company)
    badges.award_badges(now=NOW)
    company.status = CompanyStatus.suspended
    db.session.flush()
    assert badges.badge_status(company, now=NOW).state is BadgeState.suspended


def test_tick_runs_the_badge_step(ctx):
    from portal import jobs

    company = _ready_company()
    _deal(company)
    assert jobs.run_all(now=NOW)["badges"] == 1
    assert jobs.run_all(now=NOW)["badges"] == 0
    assert _count_badges(company) == 1
