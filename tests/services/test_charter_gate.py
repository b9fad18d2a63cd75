"""The volunteer charter (issue 13): versions, acceptances and the gate before a sign-up with an
organisation that requires it, on every way into a seat."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.charter import services as charter
from portal.companies import team_services as teams
from portal.errors import DomainError, InvalidState
from portal.extensions import db
from portal.models import AuditEvent, CodeAcceptance, Signup, SignupState
from portal.signups import services as signups
from tests.factories import (link_employee, make_assisted, make_code_of_conduct, make_company, make_organisation,
                             make_slot, make_task, make_user)

# The services take the clock; dates relative to a fixed "now" hold on any real day.
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=5)


@pytest.fixture
def world(ctx):
    org = make_organisation(admin=make_user(), name="Enggården")
    org.requires_code_of_conduct = True
    task = make_task(org, title="Cykeltur med beboerne")
    slot = make_slot(task, starts_at=LATER, hours=2, capacity=1)
    return org, task, slot


def live(slot):
    return db.session.scalar(select(func.count(Signup.id)).where(Signup.slot_id == slot.id,
                                                                  Signup.state != SignupState.cancelled))


def test_no_charter_published_means_nothing_is_required(world):
    org, task, slot = world
    anna = make_user()
    assert charter.needs_acceptance(anna, org) is None
    assert signups.sign_up(anna, slot, now=NOW).state is SignupState.confirmed


def test_an_organisation_that_does_not_require_it_lets_people_sign_up(world):
    org, task, slot = world
    make_code_of_conduct()
    org.requires_code_of_conduct = False
    assert signups.sign_up(make_user(), slot, now=NOW).state is SignupState.confirmed


def test_a_plain_sign_up_is_stopped_until_the_current_version_is_accepted(world):
    org, task, slot = world
    code = make_code_of_conduct()
    anna = make_user()
    with pytest.raises(charter.CharterRequired) as error:
        signups.sign_up(anna, slot, now=NOW)
    assert "Enggården" in str(error.value.message) and error.value.code == code
    assert live(slot) == 0 and slot.taken == 0
    charter.record_acceptance(anna, code, now=NOW)
    assert signups.sign_up(anna, slot, now=NOW).state is SignupState.confirmed


def test_a_new_version_asks_again(world):
    org, task, slot = world
    anna = make_user()
    charter.record_acceptance(anna, make_code_of_conduct(), now=NOW)
    assert charter.needs_acceptance(anna, org) is None
    v2 = charter.publish(make_user(coordinator=True), body_da="Vi passer på hinanden, også på tur.",
                         body_en="We look after each other, also on trips.", now=NOW)
    assert v2.version == 2 and charter.needs_acceptance(anna, org) == v2
    with pytest.raises(charter.CharterRequired):
        signups.sign_up(anna, slot, now=NOW)


def test_the_waitlist_is_gated_too(world):
    org, task, slot = world
    code = make_code_of_conduct()
    first = make_user()
    charter.record_acceptance(first, code, now=NOW)
    signups.sign_up(first, slot, now=NOW)
    bo = make_user()
    with pytest.raises(charter.CharterRequired):
        signups.join_waitlist(bo, slot, now=NOW)
    charter.record_acceptance(bo, code, now=NOW)
    assert signups.join_waitlist(bo, slot, now=NOW).state is SignupState.waitlisted


def test_a_series_is_gated_and_books_nothing_before_acceptance(world):
    org, task, slot = world
    code = make_code_of_conduct()
    make_slot(task, starts_at=LATER + timedelta(days=7), capacity=3)
    ida = make_user()
    with pytest.raises(charter.CharterRequired), db.session.begin_nested():
        signups.sign_up_series(ida, task, first=(LATER - timedelta(days=1)).date(),
                               last=(LATER + timedelta(days=8)).date(), now=NOW)
    assert db.session.scalar(select(func.count(Signup.id)).where(Signup.user_id == ida.id)) == 0
    charter.record_acceptance(ida, code, now=NOW)
    result = signups.sign_up_series(ida, task, first=(LATER - timedelta(days=1)).date(),
                                    last=(LATER + timedelta(days=8)).date(), now=NOW)
    assert len(result.signed) == 2


def test_an_offer_accepted_by_mail_link_asks_for_a_version_published_since(world):
    org, task, slot = world
    code = make_code_of_conduct()
    leaving, bo = make_user(), make_user()
    for person in (leaving, bo):
        charter.record_acceptance(person, code, now=NOW)
    held = signups.sign_up(leaving, slot, now=NOW)
    waiting = signups.join_waitlist(bo, slot, now=NOW)
    signups.cancel(held, now=NOW)
    assert waiting.state is SignupState.offered
    v2 = charter.publish(None, body_da="En ny udgave af chartret.", body_en="A new version of the charter.", now=NOW)
    with pytest.raises(charter.CharterRequired):
        signups.accept(waiting, now=NOW + timedelta(hours=1))
    assert waiting.state is SignupState.offered  # nothing changed: the seat is still held for Bo
    charter.record_acceptance(bo, v2, now=NOW)
    assert signups.accept(waiting, now=NOW + timedelta(hours=1)).state is SignupState.confirmed


def test_a_team_sign_up_names_the_colleagues_who_have_not_accepted_and_saves_nothing(world):
    org, task, slot = world
    code = make_code_of_conduct()
    task.team_size = 4
    slot.capacity = 4
    boss = make_user()
    company = make_company(admin=boss, supports=("team_days",))
    anna, bo = make_user(name="Anna Holm"), make_user(name="Bo Jensen")
    for person in (anna, bo):
        link_employee(person, company)
    charter.record_acceptance(anna, code, now=NOW)
    from flask_babel import force_locale

    with force_locale("en"), pytest.raises(teams.ColleaguesCannotCome) as error:
        teams.sign_up_team(company, slot, [anna, bo], booked_by=boss, now=NOW)
    assert [name for name, _ in error.value.who] == ["Bo Jensen"]
    assert "charter" in str(error.value.message)
    assert live(slot) == 0
    charter.record_acceptance(bo, code, now=NOW)
    assert teams.sign_up_team(company, slot, [anna, bo], booked_by=boss, now=NOW).seats == 2


def test_only_the_current_version_can_be_accepted_and_twice_is_once(world):
    anna = make_user()
    v1 = make_code_of_conduct()
    make_code_of_conduct()
    with pytest.raises(InvalidState):
        charter.record_acceptance(anna, v1, now=NOW)
    v2 = charter.current()
    first = charter.record_acceptance(anna, v2, now=NOW)
    assert charter.record_acceptance(anna, v2, now=NOW + timedelta(minutes=1)) is first
    assert db.session.scalar(select(func.count(CodeAcceptance.id))) == 1


def test_staff_record_acceptance_for_an_assisted_profile_and_the_audit_log_keeps_who(world):
    org, task, slot = world
    coordinator = make_user(coordinator=True, name="Karin Koordinator")
    citizen = make_assisted(recorded_by=coordinator)
    code = make_code_of_conduct()
    row = charter.record_acceptance(citizen, code, recorded_by=coordinator, now=NOW)
    assert row.recorded_by_id == coordinator.id and row.accepted_at == NOW
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "charter_recorded"))
    assert event.actor_id == coordinator.id
    assert signups.sign_up(citizen, slot, now=NOW).state is SignupState.confirmed


def test_publishing_numbers_versions_refuses_empty_or_unchanged_text_and_counts_acceptances(ctx):
    coordinator = make_user(coordinator=True, name="Karin")
    with pytest.raises(DomainError) as empty:
        charter.publish(coordinator, body_da="  ", body_en="We respect each other always.", now=NOW)
    assert empty.value.field == "body_da"
    v1 = charter.publish(coordinator, body_da="Vi møder hinanden med respekt.",
                         body_en="We meet each other with respect.", now=NOW)
    with pytest.raises(DomainError) as same:
        charter.publish(coordinator, body_da=v1.body_da, body_en=v1.body_en, now=NOW)
    assert same.value.field == "body_da"
    charter.record_acceptance(make_user(), v1, now=NOW)
    v2 = charter.publish(coordinator, body_da=v1.body_da + "\n\nVi siger til.", body_en=v1.body_en, now=NOW)
    rows = charter.history()
    assert [(r.code.version, r.accepted, r.publisher) for r in rows] == [(2, 0, "Karin"), (1, 1, "Karin")]
    assert charter.by_version(2) == v2 and charter.by_version(10**12) is None and charter.by_version(0) is None


def test_deleting_a_person_removes_their_acceptances_and_the_count_drops(world):
    from portal.account import services as account
    code = make_code_of_conduct()
    citizen = make_assisted()
    charter.record_acceptance(citizen, code, now=NOW)
    charter.record_acceptance(make_user(), code, now=NOW)
    assert charter.history()[0].accepted == 2
    account.erase(citizen)
    db.session.flush()
    db.session.expire_all()
    assert charter.history()[0].accepted == 1
