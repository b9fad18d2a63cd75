"""Asking for help, the services: a request by phone only, passed by the coordinator, accepted or
handed back by the organisation, the citizen told (by mail or on the call list), closed, and deleted
when its stated time is up."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import jobs
from portal.core.timeutil import to_local
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.help import queries, services
from portal.models import HelpRequest, HelpRequestStatus, OrganisationStatus, OutboxMessage, utcnow
from tests.factories import add_member, make_help_offer, make_help_request, make_organisation, make_user


@pytest.fixture
def people(ctx):
    coordinator = make_user(email="koordinator@example.dk", coordinator=True)
    admin, member, stranger = make_user(email="admin@example.dk"), make_user(email="medlem@example.dk"), make_user()
    org = make_organisation(admin=admin, name="Wiedergården")
    add_member(org, member)
    other = make_organisation(admin=stranger, name="Dragør Skole")
    return dict(coordinator=coordinator, admin=admin, member=member, stranger=stranger, org=org, other=other)


def _mails(email=None):
    query = select(OutboxMessage)
    if email:
        query = query.where(OutboxMessage.to_email == email)
    return db.session.scalars(query.order_by(OutboxMessage.id)).all()


def _ask(**overrides):
    fields = dict(kind="visiting_friend", area="Dragør gamle by", name="Else Jensen", phone="22 33 44 55",
                  description="Jeg vil gerne have en at snakke med.", now=utcnow())
    fields.update(overrides)
    return services.ask_for_help(**fields)


def test_retention_is_six_months_after_closing_and_twelve_after_receiving_at_most():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert services.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert services.delete_after_new(date(2026, 3, 10)) == date(2027, 3, 10)
    assert services.delete_after_closed(date(2026, 3, 10), date(2026, 4, 1)) == date(2026, 10, 1)
    assert services.delete_after_closed(date(2026, 3, 10), date(2027, 1, 5)) == date(2027, 3, 10)


def test_a_phone_number_alone_is_enough_and_the_coordinator_is_told_without_details(people):
    request = _ask()
    assert request.status is HelpRequestStatus.new and request.email is None
    assert request.delete_after == services.delete_after_new(to_local(utcnow()).date())
    mail = _mails("koordinator@example.dk")
    assert len(mail) == 1 and "Else" not in mail[0].body_text and "22 33 44 55" not in mail[0].body_text
    assert f"/help/requests/{request.id}" in mail[0].body_text


def test_no_way_to_reach_the_citizen_is_refused(people):
    with pytest.raises(DomainError) as refused:
        _ask(phone=None, email=None)
    assert refused.value.field == "phone"


def test_asking_for_someone_else_needs_their_consent_and_your_name(people):
    with pytest.raises(DomainError) as no_consent:
        _ask(on_behalf=True, asked_by_name="Lone Jensen", asked_by_relation="datter")
    assert no_consent.value.field == "consent"
    with pytest.raises(DomainError) as no_name:
        _ask(on_behalf=True, consent=True)
    assert no_name.value.field == "asked_by_name"
    request = _ask(on_behalf=True, asked_by_name="Lone Jensen", asked_by_relation="datter", consent=True)
    assert request.citizen_consents and request.asked_by_relation == "datter"


def test_an_email_gets_a_receipt_in_danish(people):
    _ask(email="else@example.dk")
    receipt = _mails("else@example.dk")
    assert len(receipt) == 1 and "/help/requests" not in receipt[0].body_text


def test_passing_tells_the_members_without_personal_details(people):
    p = people
    offer = make_help_offer(p["org"], kind="visiting_friend", title="Besøgsvenner")
    request = _ask()
    services.pass_request(request, p["org"], by=p["coordinator"], note="Hun er lidt hørehæmmet.", now=utcnow())
    assert request.status is HelpRequestStatus.passed and request.organisation_id == p["org"].id
    assert request.offer_id == offer.id and request.passed_at is not None
    for email in ("admin@example.dk", "medlem@example.dk"):
        (mail,) = _mails(email)
        assert "Else" not in mail.body_text and "22 33 44 55" not in mail.body_text
        assert "hørehæmmet" not in mail.body_text and f"/help/requests/{request.id}" in mail.body_text


def test_only_the_coordinator_passes_and_only_to_an_approved_organisation(people):
    p = people
    request = _ask()
    with pytest.raises(NotAllowed):
        services.pass_request(request, p["org"], by=p["admin"], note=None, now=utcnow())
    p["other"].status = OrganisationStatus.pending
    with pytest.raises(DomainError):
        services.pass_request(request, p["other"], by=p["coordinator"], note=None, now=utcnow())


def test_accepting_puts_a_phone_only_citizen_on_the_call_list_until_told(people):
    p = people
    request = _ask()
    services.pass_request(request, p["org"], by=p["coordinator"], note=None, now=utcnow())
    with pytest.raises(DomainError):
        services.accept(request, p["stranger"], now=utcnow())
    services.accept(request, p["member"], now=utcnow())
    assert request.status is HelpRequestStatus.accepted and request.answered_at is not None
    assert services.on_call_list(request)
    assert [r.id for r in queries.queue("call").requests] == [request.id]
    services.mark_told(request, by=p["coordinator"], now=utcnow())
    assert not services.on_call_list(request) and queries.queue("call").requests == []


def test_accepting_mails_a_citizen_who_gave_an_email(people):
    p = people
    request = _ask(phone=None, email="else@example.dk")
    services.pass_request(request, p["org"], by=p["coordinator"], note=None, now=utcnow())
    services.accept(request, p["admin"], now=utcnow())
    assert request.citizen_told_at is not None and not services.on_call_list(request)
    assert any("Wiedergården" in m.body_text for m in _mails("else@example.dk"))


def test_handing_back_makes_it_new_again_and_tells_the_coordinator(people):
    p = people
    request = _ask()
    services.pass_request(request, p["org"], by=p["coordinator"], note=None, now=utcnow())
    before = len(_mails("koordinator@example.dk"))
    services.hand_back(request, p["member"], reason="Alle besøgsvenner er optaget.", now=utcnow())
    assert request.status is HelpRequestStatus.new and request.organisation_id is None
    assert request.handed_back_reason == "Wiedergården: Alle besøgsvenner er optaget."
    assert len(_mails("koordinator@example.dk")) == before + 1
    with pytest.raises(DomainError):
        services.accept(request, p["member"], now=utcnow())


def test_the_second_of_two_answers_is_told_it_changed(people):
    p = people
    request = _ask()
    services.pass_request(request, p["org"], by=p["coordinator"], note=None, now=utcnow())
    services.accept(request, p["member"], now=utcnow())
    with pytest.raises(DomainError):
        services.accept(request, p["admin"], now=utcnow())


def test_closing_sets_the_deletion_date_and_tells_the_citizen(people):
    p = people
    request = _ask()
    services.close(request, by=p["coordinator"], note="Borgeren har fået hjælp af en nabo.", now=utcnow())
    today = to_local(utcnow()).date()
    assert request.status is HelpRequestStatus.closed and request.closed_at is not None
    assert request.delete_after == services.delete_after_closed(today, today)
    assert services.on_call_list(request), "a phone-only citizen is called about the closing"
    with pytest.raises(DomainError):
        services.close(request, by=p["coordinator"], note="Igen", now=utcnow())
    mailed = _ask(email="karl@example.dk", phone=None, name="Karl")
    services.close(mailed, by=p["coordinator"], note="Vi har ikke fundet nogen.", now=utcnow())
    assert any("Vi har ikke fundet nogen." in m.body_text for m in _mails("karl@example.dk"))


def test_closing_after_the_citizen_heard_of_the_acceptance_does_not_call_again(people):
    p = people
    request = _ask()
    services.pass_request(request, p["org"], by=p["coordinator"], note=None, now=utcnow())
    services.accept(request, p["member"], now=utcnow())
    services.mark_told(request, by=p["coordinator"], now=utcnow())
    services.close(request, by=p["coordinator"], note="Besøgsvennen kommer hver torsdag.", now=utcnow())
    assert not services.on_call_list(request)


def test_expired_requests_are_deleted_once_and_nothing_else(people):
    """The request page says "It is deleted on <delete_after>": on that day it is gone."""
    today = to_local(utcnow()).date()
    make_help_request(delete_after=today - timedelta(days=1))
    make_help_request(delete_after=today - timedelta(days=400))
    make_help_request(delete_after=today)
    kept = make_help_request(delete_after=today + timedelta(days=1))
    assert services.delete_expired_requests(now=utcnow()) == 3
    assert services.delete_expired_requests(now=utcnow()) == 0
    assert db.session.scalars(select(HelpRequest.id)).all() == [kept.id]


def test_tick_runs_the_deletion_step(people):
    make_help_request(delete_after=to_local(utcnow()).date() - timedelta(days=1))
    assert "help_requests_deleted" in [step.name for step in jobs.steps()]
    assert jobs.run_all(now=utcnow())["help_requests_deleted"] == 1


def test_the_queue_shows_new_requests_first_oldest_on_top(people):
    p = people
    now = utcnow()
    accepted = make_help_request(status="accepted", organisation_id=p["org"].id, created_at=now - timedelta(days=9))
    newer = make_help_request(created_at=now - timedelta(days=1))
    older = make_help_request(created_at=now - timedelta(days=3))
    closed = make_help_request(status="closed", closed_at=now)
    assert [r.id for r in queries.queue("open").requests] == [older.id, newer.id, accepted.id]
    assert [r.id for r in queries.queue("closed").requests] == [closed.id]
    assert queries.queue_counts()["new"] == 2
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 4
