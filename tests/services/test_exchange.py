"""The frivilligbørs' services: posting, proposing, answering by the right side only,
done, evaluated, the coordinator's overview and the follow-up reminder sent once by tick."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal import jobs
from portal.core.timeutil import to_local
from portal.errors import DomainError, NotAllowed
from portal.exchange import services
from portal.extensions import db
from portal.models import CompanyStatus, Deal, DealStatus, ExchangeStatus, OrganisationStatus, OutboxMessage, utcnow
from tests.factories import add_member, make_company, make_organisation, make_user


def _today():
    return to_local(utcnow()).date()


@pytest.fixture
def parties(ctx):
    company_admin, org_admin, org_member = make_user(), make_user(), make_user()
    company = make_company(admin=company_admin, name="Dragør Købmand")
    org = make_organisation(admin=org_admin, name="Enggården")
    add_member(org, org_member)
    coordinator = make_user(coordinator=True)
    return dict(company=company, org=org, company_admin=company_admin, org_admin=org_admin,
                org_member=org_member, coordinator=coordinator)


def _propose(p, *, side="company", days=30, **extra):
    user = p["company_admin"] if side == "company" else p["org_member"]
    return services.propose_deal(user, side=side, company=p["company"], organisation=p["org"],
                                 company_gives="10 medarbejdere en fredag i september",
                                 organisation_gives="En tak på Frivillig Fredag, kaffe og en rundvisning",
                                 follow_up_on=_today() + timedelta(days=days), now=utcnow(), **extra)


def _mail_to(email):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == email)).all()


def test_posting_an_offer_and_a_wish_puts_them_in_the_public_listing_until_closed(parties):
    p = parties
    offer = services.post_offer(p["company"], p["company_admin"], kind="team_days",
                                title="10 medarbejdere en fredag i september", description="Vi maler og rydder op.",
                                now=utcnow())
    wish = services.post_wish(p["org"], p["org_member"], kind="lending", title="En varevogn til sommerudflugten",
                              description="Til en tur til Dragør Fort.", now=utcnow())
    page = services.listing()
    assert [o.id for o in page.offers] == [offer.id] and [w.id for w in page.wishes] == [wish.id]
    assert services.listing(kind=services.SupportKind.lending).offers == []
    assert services.listing(side="offers").wishes == []
    services.set_open(offer, False)
    assert services.listing().offers == []


def test_offers_of_a_company_that_is_not_approved_are_not_shown(parties):
    p = parties
    services.post_offer(p["company"], p["company_admin"], kind="skills", title="Regnskabshjælp 5 timer",
                        description="En revisor hjælper.", now=utcnow())
    p["company"].status = CompanyStatus.suspended
    db.session.flush()
    assert services.listing().offer_total == 0


def test_a_pending_company_cannot_post_and_money_is_refused(parties):
    p = parties
    with pytest.raises(DomainError) as raised:
        services.post_offer(p["company"], p["company_admin"], kind="sponsorship", title="Sponsorat",
                            description="Vi giver 5.000 kr. til klubben", now=utcnow())
    assert raised.value.field == "description"
    pending = make_company(admin=make_user(), status=CompanyStatus.pending)
    with pytest.raises(DomainError):
        services.post_offer(pending, p["company_admin"], kind="skills", title="Hjælp", description="Hjælp til it",
                            now=utcnow())


def test_a_proposal_mails_the_other_side_and_only_the_other_side_may_accept(parties):
    p = parties
    deal = _propose(p, side="company")
    assert deal.status is DealStatus.proposed
    assert len(_mail_to(p["org_admin"].email)) == 1, "the organisation's admin hears of the proposal"
    assert _mail_to(p["company_admin"].email) == []
    with pytest.raises(NotAllowed):
        services.accept(deal, p["company_admin"], now=utcnow())
    stranger = make_user()
    with pytest.raises(NotAllowed):
        services.accept(deal, stranger, now=utcnow())
    other_company_admin = make_user()
    make_company(admin=other_company_admin)
    with pytest.raises(NotAllowed):
        services.decline(deal, other_company_admin, now=utcnow())
    assert deal.status is DealStatus.proposed
    services.accept(deal, p["org_member"], now=utcnow())
    assert deal.status is DealStatus.agreed and deal.decided_by_id == p["org_member"].id
    assert len(_mail_to(p["company_admin"].email)) == 1, "the proposer hears it was accepted"
    assert services.partners_of(p["company"]) == [p["org"]]


def test_the_organisation_proposes_and_the_company_declines(parties):
    p = parties
    deal = _propose(p, side="organisation")
    assert len(_mail_to(p["company_admin"].email)) == 1
    with pytest.raises(NotAllowed):
        services.decline(deal, p["org_admin"], now=utcnow())
    services.decline(deal, p["company_admin"], now=utcnow())
    assert deal.status is DealStatus.declined
    with pytest.raises(DomainError):
        services.accept(deal, p["company_admin"], now=utcnow())
    assert services.partners_of(p["company"]) == []


def test_only_the_proposer_withdraws_and_only_while_proposed(parties):
    p = parties
    deal = _propose(p, side="company")
    with pytest.raises(NotAllowed):
        services.withdraw(deal, p["org_admin"], now=utcnow())
    services.withdraw(deal, p["company_admin"], now=utcnow())
    assert deal.status is DealStatus.withdrawn
    with pytest.raises(DomainError):
        services.accept(deal, p["org_admin"], now=utcnow())
    assert deal.status is DealStatus.withdrawn


def test_a_follow_up_date_must_lie_ahead_and_proposals_carry_no_money(parties):
    p = parties
    for days in (0, -1, 3 * 366):
        with pytest.raises(DomainError) as raised:
            _propose(p, days=days)
        assert raised.value.field == "follow_up_on"
    with pytest.raises(DomainError) as raised:
        services.propose_deal(p["org_member"], side="organisation", company=p["company"], organisation=p["org"],
                              company_gives="DKK 2000 til udflugten", organisation_gives="Tak",
                              follow_up_on=_today() + timedelta(days=5), now=utcnow())
    assert raised.value.field == "company_gives"
    assert db.session.scalar(select(Deal.id)) is None


def test_a_stranger_cannot_propose_for_an_organisation_they_are_not_in(parties):
    p = parties
    with pytest.raises(NotAllowed):
        services.propose_deal(make_user(), side="organisation", company=p["company"], organisation=p["org"],
                              company_gives="Hjælp", organisation_gives="Tak og kaffe",
                              follow_up_on=_today() + timedelta(days=5), now=utcnow())


def test_proposing_to_a_suspended_organisation_is_refused(parties):
    p = parties
    p["org"].status = OrganisationStatus.suspended
    db.session.flush()
    with pytest.raises(DomainError):
        _propose(p, side="company")


def test_either_side_marks_an_agreement_done_then_evaluates_it(parties):
    p = parties
    deal = _propose(p, side="company")
    services.accept(deal, p["org_admin"], now=utcnow())
    with pytest.raises(DomainError):
        services.evaluate(deal, p["company_admin"], evaluation="For tidligt", now=utcnow())
    services.mark_done(deal, p["org_member"], now=utcnow())
    assert deal.status is DealStatus.done and deal.done_at is not None
    with pytest.raises(DomainError):
        services.evaluate(deal, make_user(), evaluation="Udefra", now=utcnow())
    services.evaluate(deal, p["company_admin"], evaluation="En god dag for alle.", now=utcnow())
    assert deal.status is DealStatus.evaluated and deal.evaluation == "En god dag for alle."
    assert services.actions_for(p["company_admin"], deal) == []


def test_the_coordinator_sees_every_deal_a_party_only_its_own(parties):
    p = parties
    mine = _propose(p)
    other_admin = make_user()
    other = services.propose_deal(other_admin, side="company", company=make_company(admin=other_admin),
                                  organisation=make_organisation(admin=make_user()), company_gives="Lån af varevogn",
                                  organisation_gives="Kaffe og tak", follow_up_on=_today() + timedelta(days=9),
                                  now=utcnow())
    assert {d.id for d in services.deals_for(p["coordinator"]).deals} == {mine.id, other.id}
    assert [d.id for d in services.deals_for(p["org_member"]).deals] == [mine.id]
    assert [d.id for d in services.deals_for(p["company_admin"]).deals] == [mine.id]
    assert services.deals_for(make_user()).deals == []
    assert services.deals_for(p["coordinator"], status=DealStatus.agreed).total == 0


def _agreed(p, days=10):
    deal = _propose(p, days=days)
    services.accept(deal, p["org_admin"], now=utcnow())
    db.session.query(OutboxMessage).delete()
    db.session.flush()
    return deal


def test_the_follow_up_reminder_goes_once_to_both_sides_and_the_coordinator_on_its_date(parties):
    p = parties
    deal = _agreed(p, days=10)
    follow_up = deal.follow_up_on
    # The evening before the follow-up date (local time): nothing yet.
    from portal.core.timeutil import to_utc
    from datetime import time
    assert services.send_follow_up_reminders(now=to_utc(follow_up - timedelta(days=1), time(23, 30))) == 0
    on_the_day = to_utc(follow_up, time(0, 30))
    assert services.send_follow_up_reminders(now=on_the_day) == 1
    assert services.send_follow_up_reminders(now=on_the_day + timedelta(hours=1)) == 0
    recipients = sorted(m.to_email for m in db.session.scalars(select(OutboxMessage)))
    assert recipients == sorted([p["company_admin"].email, p["org_admin"].email, p["coordinator"].email])
    db.session.refresh(deal)
    assert deal.follow_up_sent_at == on_the_day


def test_tick_reminds_of_a_deal_once_even_when_run_twice(app, parties):
    p = parties
    deal = _agreed(p, days=3)
    db.session.commit()
    later = utcnow() + timedelta(days=5)
    first = jobs.run_all(now=later)
    second = jobs.run_all(now=later)
    assert first["deal_follow_ups"] == 1 and second["deal_follow_ups"] == 0
    assert len(_mail_to(p["org_admin"].email)) == 1
    assert db.session.get(Deal, deal.id).follow_up_sent_at is not None


def test_declined_withdrawn_proposed_and_done_deals_get_no_reminder(parties):
    p = parties
    declined = _propose(p, days=2)
    services.decline(declined, p["org_admin"], now=utcnow())
    withdrawn = _propose(p, days=2)
    services.withdraw(withdrawn, p["company_admin"], now=utcnow())
    _propose(p, days=2)  # still waiting for an answer
    done = _agreed(p, days=2)
    services.mark_done(done, p["company_admin"], now=utcnow())
    db.session.query(OutboxMessage).delete()
    assert services.send_follow_up_reminders(now=utcnow() + timedelta(days=30)) == 0
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_a_proposal_from_an_offer_must_be_to_that_offers_company_and_open(parties):
    p = parties
    offer = services.post_offer(p["company"], p["company_admin"], kind="lending", title="Lån af varevogn",
                                description="En varevogn en weekend.", now=utcnow())
    deal = _propose(p, side="organisation", offer=offer)
    assert deal.offer_id == offer.id
    services.set_open(offer, False)
    with pytest.raises(DomainError):
        _propose(p, side="organisation", offer=offer)
    assert offer.status is ExchangeStatus.closed


def test_two_ticks_at_once_send_each_follow_up_once(app):
    """Two nodes running tick at the same moment: each deal is claimed by one of them."""
    import threading

    from portal.database import write_transaction

    now = utcnow()
    with app.app_context(), write_transaction():
        company_admin, org_admin = make_user(email="firma@example.dk"), make_user(email="forening@example.dk")
        company, org = make_company(admin=company_admin), make_organisation(admin=org_admin)
        for n in range(4):
            db.session.add(Deal(company_id=company.id, organisation_id=org.id, proposed_by=services.DealSide.company,
                                company_gives=f"Hjælp {n}", organisation_gives="Kaffe", status=DealStatus.agreed,
                                follow_up_on=to_local(now).date()))
        db.session.commit()
    barrier, failures = threading.Barrier(2), []

    def tick():
        with app.app_context():
            barrier.wait()
            try:
                with write_transaction():
                    services.send_follow_up_reminders(now=now)
                    db.session.commit()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(exc)
            db.session.remove()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    with app.app_context():
        to = sorted(db.session.scalars(select(OutboxMessage.to_email)))
        assert to == ["firma@example.dk"] * 4 + ["forening@example.dk"] * 4
        assert db.session.scalar(select(func.count(Deal.id)).where(Deal.follow_up_sent_at.is_(None))) == 0
