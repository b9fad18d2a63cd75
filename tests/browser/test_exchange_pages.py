"""The frivilligbørs' pages in a real browser, in Danish and English: axe-clean at desktop and
phone width, no sideways scrolling at 390 px, and screenshots to look at."""

from datetime import timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import Deal, DealSide, DealStatus, Offer, SupportKind, User, Wish, utcnow
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, shoot,
                                   submit_form)
from tests.factories import make_company


def _børs(live_server, make_person, make_organisation_for):
    admin, member = make_person("firma", name="Jens Holm"), make_person("forening", name="Mette Lund")
    org_slug = make_organisation_for(member, "Wiedergården")
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == admin))
        company = make_company(admin=user, name="Danske Bank Tårnby")
        org_id = db.session.scalar(select(User.id).where(User.email == member))
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation).where(Organisation.slug == org_slug))
        offer = Offer(company_id=company.id, kind=SupportKind.skills, title="Regnskabshjælp 5 timer",
                      description="En rådgiver hjælper med regnskab, budget og bilag.\nFem timer, som det passer jer.")
        wish = Wish(organisation_id=org.id, kind=SupportKind.skills, title="Hjælp til caféens regnskab",
                    description="Caféen drives af frivillige og vil gerne have et enkelt regnskab.")
        db.session.add_all([offer, wish])
        db.session.flush()
        deal = Deal(company_id=company.id, organisation_id=org.id, offer_id=offer.id, wish_id=wish.id,
                    proposed_by=DealSide.company, proposed_by_user_id=user.id,
                    company_gives="Regnskabshjælp 5 timer: en rådgiver sætter caféens regnskab op.",
                    organisation_gives="Kaffe i caféen og en tak i nyhedsbrevet.",
                    follow_up_on=to_local(utcnow()).date() + timedelta(days=30), status=DealStatus.agreed,
                    decided_by_id=org_id, decided_at=utcnow())
        db.session.add(deal)
        db.session.commit()
        ids = {"company": company.slug, "org": org_slug, "offer": offer.id, "wish": wish.id, "deal": deal.id}
        db.session.remove()
    return admin, member, ids


def test_the_public_frivilligbørs_and_an_offer_in_both_languages(page, live_server, make_person,
                                                                make_organisation_for):
    _admin, _member, ids = _børs(live_server, make_person, make_organisation_for)
    page.goto("/exchange")
    assert page.locator(f"main a[href='/exchange/offers/{ids['offer']}']").count() == 1
    assert page.locator(f"main a[href='/exchange/wishes/{ids['wish']}']").count() == 1
    check_a11y(page, "the frivilligbørs")
    shoot(page, "exchange")
    check_in_english(page, "/exchange", "the frivilligbørs", screenshot="exchange")
    page.goto("/exchange?kind=skills&side=offers")
    assert page.locator(f"main a[href='/exchange/wishes/{ids['wish']}']").count() == 0
    check_a11y(page, "the frivilligbørs, filtered")
    page.goto(f"/exchange/offers/{ids['offer']}")
    check_a11y(page, "an offer")
    shoot(page, "exchange-offer")
    check_in_english(page, f"/exchange/offers/{ids['offer']}", "an offer")


def test_the_forms_and_the_agreement_in_both_languages(new_page, live_server, make_person, make_organisation_for):
    admin, member, ids = _børs(live_server, make_person, make_organisation_for)
    company = new_page()
    log_in(company, admin)
    company.goto(f"/exchange/companies/{ids['company']}/offers/new")
    check_a11y(company, "new offer form")
    company.select_option("#kind", "sponsorship")
    company.fill("#title", "Sponsorat")
    company.fill("#description", "Vi giver 2.000 kr. til klubbens kasse.")
    submit_form(company, f"main form[action='/exchange/companies/{ids['company']}/offers/new']")
    assert_error_next_to(company, "description")
    assert company.input_value("#description") == "Vi giver 2.000 kr. til klubbens kasse."
    check_a11y(company, "new offer form with an error")
    shoot(company, "exchange-offer-form-error")
    check_in_english(company, f"/exchange/companies/{ids['company']}/offers/new", "new offer form",
                     screenshot="exchange-offer-form")
    company.goto(f"/exchange/organisations/{ids['org']}/propose")
    check_a11y(company, "propose to an organisation")
    shoot(company, "exchange-propose")
    check_in_english(company, f"/exchange/organisations/{ids['org']}/propose", "propose to an organisation",
                     screenshot="exchange-propose")
    company.goto(f"/exchange/deals/{ids['deal']}")
    check_a11y(company, "a partnership agreement")
    shoot(company, "exchange-deal")
    check_in_english(company, f"/exchange/deals/{ids['deal']}", "a partnership agreement", screenshot="exchange-deal")
    company.goto("/exchange/deals")
    check_a11y(company, "the company's agreements")
    shoot(company, "exchange-deals")

    org = new_page()
    log_in(org, member)
    org.goto(f"/exchange/organisations/{ids['org']}/wishes/new")
    check_a11y(org, "new wish form")
    check_in_english(org, f"/exchange/organisations/{ids['org']}/wishes/new", "new wish form",
                     screenshot="exchange-wish-form")
    org.goto(f"/exchange/offers/{ids['offer']}/propose")
    org.fill("#follow_up_on-day", "1")
    org.fill("#follow_up_on-month", "1")
    org.fill("#follow_up_on-year", "2020")
    submit_form(org, f"main form[action='/exchange/offers/{ids['offer']}/propose']")
    assert_error_next_to(org, "organisation_gives")
    assert org.input_value("#follow_up_on-year") == "2020", "what was typed comes back"
    check_a11y(org, "proposal with a missing field")
    org.fill("#organisation_gives", "Kaffe i caféen og en tak.")
    submit_form(org, f"main form[action='/exchange/offers/{ids['offer']}/propose']")
    assert org.locator("#follow_up_on-error").is_visible(), "a follow-up date in the past is refused"
    assert org.input_value("#organisation_gives") == "Kaffe i caféen og en tak."
    check_a11y(org, "proposal with a past follow-up date")
    shoot(org, "exchange-propose-errors")


def test_the_coordinator_sees_every_agreement(page, live_server, make_person, make_organisation_for):
    _børs(live_server, make_person, make_organisation_for)
    log_in(page, make_person("koordinator", coordinator=True))
    page.goto("/coordinator")
    with page.expect_navigation():
        page.click("main a[href='/exchange/deals']")
    assert page.locator("main table a[href^='/exchange/deals/']").count() >= 1
    assert page.locator("main a[href^='/exchange/deals.csv']").count() == 1
    check_a11y(page, "the coordinator's agreements")
    shoot(page, "exchange-deals-coordinator")
    check_in_english(page, "/exchange/deals", "the coordinator's agreements", screenshot="exchange-deals-coordinator")
