"""The fund's rules: a donor is named only with recorded consent (the service asks for a note, the
database refuses a name without its date), totals count every gift (anonymous ones too) in whole
øre, payouts link to what they made possible, and the page asks for money only with a valid
permission."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from portal.errors import DomainError
from portal.extensions import db
from portal.fund import queries, services
from portal.models import CompanyStatus, Donation, Donor, DonorKind, FundSettings, Payout, utcnow
from tests.factories import make_company, make_donor, make_event, make_organisation, make_task, make_user


def _donor(by=None, **fields):
    values = dict(kind=DonorKind.citizen, name="Grethe Holm", company_id=None, show_name=False, consent_note="",
                  now=utcnow())
    values.update(fields)
    return services.save_donor(None, by, **values)


def test_a_named_donor_needs_a_note_of_when_and_how_they_agreed(ctx):
    with pytest.raises(DomainError) as refused:
        _donor(show_name=True, consent_note="   ")
    assert refused.value.field == "consent_note"
    now = utcnow()
    donor = _donor(show_name=True, consent_note="Underskrev blanketten på biblioteket", now=now)
    assert donor.show_name and donor.consent_at == now


def test_the_database_itself_refuses_a_shown_name_without_a_consent_date(ctx):
    db.session.add(Donor(kind=DonorKind.citizen, name="Uden samtykke", show_name=True, consent_at=None))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_consent_keeps_its_first_date_and_withdrawing_it_clears_the_date(ctx):
    first = utcnow() - timedelta(days=30)
    donor = _donor(show_name=True, consent_note="Mail 3. maj", now=first)
    services.save_donor(donor, None, kind=DonorKind.citizen, name="Grethe Holm", company_id=None, show_name=True,
                        consent_note="Mail 3. maj", now=utcnow())
    assert donor.consent_at == first
    services.save_donor(donor, None, kind=DonorKind.citizen, name="Grethe Holm", company_id=None, show_name=False,
                        consent_note="Trak samtykket tilbage i telefonen", now=utcnow())
    assert donor.consent_at is None and not donor.show_name


def test_a_company_donor_links_only_to_an_approved_company_and_takes_its_name(ctx):
    shop = make_company(name="Dragør Købmand")
    pending = make_company(name="Ny Virksomhed", status=CompanyStatus.pending)
    donor = _donor(kind=DonorKind.company, name="", company_id=shop.id)
    assert donor.name == "Dragør Købmand" and donor.company_id == shop.id
    for company_id, kind in ((pending.id, DonorKind.company), (2**62, DonorKind.company), (shop.id, DonorKind.citizen)):
        with pytest.raises(DomainError) as refused:
            _donor(kind=kind, name="X", company_id=company_id)
        assert refused.value.field == "company"


def test_an_unnamed_donor_without_a_name_is_refused(ctx):
    with pytest.raises(DomainError) as refused:
        _donor(name="  ")
    assert refused.value.field == "name"


@pytest.mark.parametrize("amount", [0, -500, 10**13, 12.5, True, "100"])
def test_a_gift_is_a_positive_whole_number_of_ore(ctx, amount):
    donor = _donor()
    with pytest.raises(DomainError) as refused:
        services.add_donation(donor, amount_ore=amount, given_on=date(2026, 5, 1), note="", now=utcnow())
    assert refused.value.field == "amount"


def test_a_gift_is_recorded_once_received_not_ahead(ctx):
    donor = _donor()
    now = utcnow()
    tomorrow = services.today_in_denmark(now) + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        services.add_donation(donor, amount_ore=10000, given_on=tomorrow, note="", now=now)
    assert refused.value.field == "given_on"
    gift = services.add_donation(donor, amount_ore=125050, given_on=tomorrow - timedelta(days=1), note="Bank",
                                 now=now)
    assert db.session.get(Donation, gift.id).amount_ore == 125050


def test_totals_include_anonymous_gifts_to_the_ore_this_year_and_in_all(ctx):
    today = services.today_in_denmark(utcnow())
    last_year = date(today.year - 1, 6, 15)
    make_donor(name="Navngiven", show_name=True, amounts=(100050, 25), given_on=today)
    make_donor(name="Anonym A", amounts=(99,), given_on=today)
    make_donor(name="Anonym B", amounts=(50000,), given_on=last_year)
    db.session.add(Donor(kind=DonorKind.citizen, name="Har ikke givet endnu"))
    db.session.add_all([Payout(amount_ore=30001, paid_on=today, purpose="Kaffe"),
                        Payout(amount_ore=20000, paid_on=last_year, purpose="Bus")])
    db.session.flush()
    totals = queries.totals(today=today)
    assert totals.received_year == 100050 + 25 + 99
    assert totals.received_all == 100050 + 25 + 99 + 50000
    assert totals.paid_year == 30001 and totals.paid_all == 50001
    assert (totals.donors, totals.anonymous) == (3, 2)
    assert all(isinstance(v, int) for v in (totals.received_year, totals.received_all, totals.paid_year,
                                            totals.paid_all, totals.balance))
    assert totals.balance == 150174 - 50001


def test_totals_on_new_years_eve_and_new_years_day_split_the_years(ctx):
    make_donor(amounts=(100,), given_on=date(2026, 12, 31))
    make_donor(amounts=(200,), given_on=date(2027, 1, 1))
    assert queries.totals(today=date(2026, 12, 31)).received_year == 100
    assert queries.totals(today=date(2027, 1, 1)).received_year == 200


def test_only_donors_who_agreed_are_named_grouped_and_without_amounts(ctx):
    shop = make_company(name="Dragør Købmand")
    make_donor(kind="company", name="Dragør Købmand", show_name=True, company=shop)
    make_donor(kind="citizen", name="Grethe Holm", show_name=True)
    make_donor(kind="foundation", name="Amager Sparefond", show_name=True)
    make_donor(kind="association", name="Dragør Roklub", show_name=True)
    make_donor(kind="citizen", name="Hemmelige Hans")
    make_donor(kind="citizen", name="Navngiven uden gave", show_name=True, amounts=())
    groups = queries.named_donors()
    names = {group: [d.name for d in donors] for group, donors in groups.items()}
    assert names == {"companies": ["Dragør Købmand"], "citizens": ["Grethe Holm"],
                     "associations": ["Amager Sparefond", "Dragør Roklub"]}
    assert groups["companies"][0].company_slug == shop.slug
    assert not any(hasattr(d, "amount_ore") for donors in groups.values() for d in donors)


def test_a_company_is_a_named_sponsor_only_with_consent_and_a_gift(ctx):
    named, quiet, promised = make_company(), make_company(), make_company()
    make_donor(kind="company", show_name=True, company=named)
    make_donor(kind="company", show_name=False, company=quiet)
    make_donor(kind="company", show_name=True, company=promised, amounts=())
    assert queries.is_named_sponsor(named)
    assert not queries.is_named_sponsor(quiet) and not queries.is_named_sponsor(promised)


def test_a_payout_takes_the_tasks_organisation_and_refuses_another(ctx):
    repair = make_organisation(name="Repair Café Dragør")
    other = make_organisation(name="Enggården")
    task = make_task(repair, title="Kaffe til repaircaféen")
    now = utcnow()
    fields = dict(amount_ore=240000, paid_on=services.today_in_denmark(now), purpose="Kaffe og reservedele",
                  description="", event_id=None, now=now)
    payout = services.save_payout(None, None, organisation_id=None, task_id=task.id, **fields)
    assert payout.organisation_id == repair.id
    with pytest.raises(DomainError) as refused:
        services.save_payout(None, None, organisation_id=other.id, task_id=task.id, **fields)
    assert refused.value.field == "task"
    with pytest.raises(DomainError) as refused:
        services.save_payout(None, None, organisation_id=None, task_id=2**62, **fields)
    assert refused.value.field == "task"


def test_the_public_payouts_link_only_to_pages_anyone_may_open(ctx):
    org = make_organisation(name="Enggården")
    public = make_task(org, title="Udflugt til Dragør Fort", status="closed")
    draft = make_task(org, title="Hemmelig kladde", status="draft")
    hidden_event = make_event(published=False)
    shown_event = make_event(published=True)
    today = services.today_in_denmark(utcnow())
    db.session.add_all([Payout(amount_ore=100, paid_on=today, purpose="A", task_id=public.id, organisation_id=org.id),
                        Payout(amount_ore=100, paid_on=today, purpose="B", task_id=draft.id, organisation_id=org.id),
                        Payout(amount_ore=100, paid_on=today, purpose="C", event_id=hidden_event.id),
                        Payout(amount_ore=100, paid_on=today, purpose="D", event_id=shown_event.id)])
    db.session.flush()
    by_purpose = {p.purpose: p for p in queries.public_payouts()}
    assert by_purpose["A"].task.id == public.id and by_purpose["B"].task is None
    assert by_purpose["C"].event is None and by_purpose["D"].event.id == shown_event.id
    assert by_purpose["B"].organisation.id == org.id


def test_the_page_asks_for_money_only_while_the_permission_runs(ctx):
    coordinator = make_user(coordinator=True)
    today = date(2027, 3, 1)
    settings = services.save_settings(coordinator, name="", purpose="", rules="", how_to_apply="",
                                      bank_account="reg. 1551 konto 0001234567", mobilepay="123456",
                                      permission_number="22-700-01234", permission_valid_until=today, now=utcnow())
    assert settings.name == services.DEFAULT_NAME
    assert services.collection_open(settings, today=today)
    assert not services.collection_open(settings, today=today + timedelta(days=1))
    assert not services.collection_open(None, today=today)
    with pytest.raises(DomainError) as refused:
        services.save_settings(coordinator, name="F", purpose="", rules="", how_to_apply="", bank_account="reg 1",
                               mobilepay=None, permission_number=None, permission_valid_until=None, now=utcnow())
    assert refused.value.field == "permission_number"
    with pytest.raises(DomainError) as refused:
        services.save_settings(coordinator, name="F", purpose="", rules="", how_to_apply="", bank_account=None,
                               mobilepay=None, permission_number="22-1", permission_valid_until=None, now=utcnow())
    assert refused.value.field == "permission_valid_until"
    assert db.session.scalar(select(db.func.count()).select_from(FundSettings)) == 1


def test_deleting_a_donor_deletes_their_gifts(ctx):
    donor = make_donor(amounts=(100, 200))
    services.delete_donor(donor)
    assert db.session.scalar(select(db.func.count()).select_from(Donation)) == 0


def _twice_at_once(app, action) -> list:
    """Runs `action(now)` in two threads at the same moment, each in its own transaction (a double click)."""
    import threading

    from portal.database import write_transaction
    barrier = threading.Barrier(2, timeout=30)
    results, lock = [], threading.Lock()
    now = utcnow()

    def click():
        with app.test_request_context(), write_transaction():
            try:
                barrier.wait()
                result = action(now).id
                db.session.commit()
            except Exception as exc:  # any error is the failure this test looks for
                db.session.rollback()
                result = f"{type(exc).__name__}: {exc}".splitlines()[0]
            db.session.remove()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_a_double_click_records_one_gift_and_one_payout_but_the_same_gift_later_is_a_second(app):
    with app.app_context():
        donor_id = make_donor(kind="citizen", name="Karen Holm", amounts=()).id
        db.session.commit()
        db.session.remove()
    today = services.today_in_denmark(utcnow())

    def gift(now):
        return services.add_donation(db.session.get(Donor, donor_id), amount_ore=50000, given_on=today,
                                     note="MobilePay", now=now)

    def payout(now):
        return services.save_payout(None, None, amount_ore=240000, paid_on=today, purpose="Handsker",
                                    description="", organisation_id=None, task_id=None, event_id=None, now=now)

    def donor(now):
        return services.save_donor(None, None, kind=DonorKind.citizen, name="Ole Dobbeltklik", company_id=None,
                                   show_name=False, consent_note="", now=now)

    donors = _twice_at_once(app, donor)
    assert len(set(donors)) == 1 and all(isinstance(r, int) for r in donors), donors
    gifts, payouts = _twice_at_once(app, gift), _twice_at_once(app, payout)
    assert len(set(gifts)) == 1 and all(isinstance(r, int) for r in gifts), gifts
    assert len(set(payouts)) == 1 and all(isinstance(r, int) for r in payouts), payouts
    with app.app_context():
        assert db.session.scalar(select(func.count(Donation.id))) == 1
        assert db.session.scalar(select(func.count(Payout.id))) == 1
        # Typed in again a minute later, it is a second gift of the same size.
        gift(utcnow() + timedelta(minutes=1))
        db.session.commit()
        assert db.session.scalar(select(func.count(Donation.id))) == 2
        db.session.remove()
