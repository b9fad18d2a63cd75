"""The frivilligbørs through the web: the public page with its rule and filters, posting and
proposing with errors next to the field, answering by the right party only, deal pages for
the parties and the coordinator only, and the coordinator's spreadsheet."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core.timeutil import to_local
from portal.exchange import services
from portal.extensions import db
from portal.models import CompanyStatus, Deal, DealSide, DealStatus, Offer, OutboxMessage, SupportKind, Wish, utcnow
from tests.conftest import counting_queries, csrf_token, login, submit
from tests.factories import add_member, make_company, make_organisation, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        company_admin = make_user(email="firma@example.dk")
        org_admin = make_user(email="forening@example.dk")
        member = make_user(email="medlem@example.dk")
        rival = make_user(email="rival@example.dk")
        coordinator = make_user(email="koordinator@example.dk", coordinator=True)
        make_user(email="fremmed@example.dk")
        company = make_company(admin=company_admin, name="Tømrer Holm")
        make_company(admin=rival, name="Konkurrent ApS")
        hidden = make_company(admin=make_user(), name="Afventer ApS", status=CompanyStatus.pending)
        org = make_organisation(admin=org_admin, name="Enggården")
        add_member(org, member)
        offer = Offer(company_id=company.id, kind=SupportKind.lending, title="Lån af varevogn",
                      description="En varevogn en weekend.")
        wish = Wish(organisation_id=org.id, kind=SupportKind.team_days, title="Hænder til haven",
                    description="Bede skal graves.")
        db.session.add_all([offer, wish, Offer(company_id=hidden.id, kind=SupportKind.skills,
                                               title="Skjult tilbud", description="Må ikke ses.")])
        db.session.commit()
        return {"company": company.slug, "org": org.slug, "offer": offer.id, "wish": wish.id,
                "coordinator": coordinator.id}


def _date_fields(day, name="follow_up_on"):
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def _in(days):
    return to_local(utcnow()).date() + timedelta(days=days)


def _proposal(world, days=20, **overrides):
    data = {"party": world["org"], "company_gives": "Lån af varevogn en weekend",
            "organisation_gives": "Kaffe, kage og en tak på Frivillig Fredag", **_date_fields(_in(days))}
    data.update(overrides)
    return data


def _deal_id(app):
    with app.app_context():
        return db.session.scalar(select(Deal.id).order_by(Deal.id.desc()))


def test_anyone_sees_open_offers_and_wishes_and_the_rule_of_no_money(world, client):
    html = client.get("/exchange").get_data(as_text=True)
    assert "Lån af varevogn" in html and "Tømrer Holm" in html and "Udlån af ting (varevogn, lokale)" in html
    assert "Hænder til haven" in html and "Enggården" in html and "Holddage" in html
    assert "Skjult tilbud" not in html, "a company that is not approved is not in the børs"
    assert "penge skifter ikke hænder" in html and "ikke om at sælge" in html


def test_the_filters_show_one_side_or_one_kind(world, client):
    offers_only = client.get("/exchange?side=offers").get_data(as_text=True)
    assert "Lån af varevogn" in offers_only and "Hænder til haven" not in offers_only
    team_days = client.get("/exchange?kind=team_days").get_data(as_text=True)
    assert "Hænder til haven" in team_days and "Lån af varevogn" not in team_days
    nonsense = client.get("/exchange?kind=money&side=alle&page=99999999999999999999")
    assert nonsense.status_code == 200 and "Lån af varevogn" not in nonsense.get_data(as_text=True)
    assert client.get("/exchange?kind=%00").status_code in (200, 400)


def test_the_public_page_queries_the_same_for_few_and_many_posts_and_pages(app, world, client):
    def queries():
        with counting_queries(app) as statements:
            assert client.get("/exchange").status_code == 200
        return len(statements)

    few = queries()
    with app.app_context():
        company = db.session.scalar(select(Offer.company_id).where(Offer.id == world["offer"]))
        db.session.add_all([Offer(company_id=company, kind=SupportKind.skills, title=f"Tilbud {n:03d}",
                                  description="Faglig hjælp.") for n in range(services.PER_PAGE + 5)])
        db.session.commit()
    assert queries() == few
    html = client.get("/exchange").get_data(as_text=True)
    assert len(re.findall(r'href="/exchange/offers/\d+"', html)) == services.PER_PAGE
    assert 'rel="next"' in html
    second = client.get("/exchange?page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/exchange/offers/\d+"', second)) == 6


def test_a_company_admin_posts_an_offer_and_money_is_refused_next_to_the_field(app, world, client):
    login(client, "firma@example.dk")
    url = f"/exchange/companies/{world['company']}/offers/new"
    refused = submit(client, url, {"kind": "sponsorship", "title": "Sponsorat til klubben",
                                   "description": "Vi giver 5.000 kr. til klubbens kasse."})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="description-error"' in html
    assert "Vi giver 5.000 kr. til klubbens kasse." in html, "what was typed comes back"
    with app.app_context():
        assert db.session.scalar(select(func.count(Offer.id))) == 2
    posted = submit(client, url, {"kind": "skills", "title": "Regnskabshjælp 5 timer",
                                  "description": "En revisor hjælper med bilag og budget."})
    assert posted.status_code == 302
    page = client.get(posted.headers["Location"]).get_data(as_text=True)
    assert "Regnskabshjælp 5 timer" in page and "Faglig hjælp" in page
    assert "Regnskabshjælp 5 timer" in client.get("/exchange").get_data(as_text=True)


def test_an_organisation_member_posts_edits_and_closes_a_wish(app, world, client):
    login(client, "medlem@example.dk")
    posted = submit(client, f"/exchange/organisations/{world['org']}/wishes/new",
                    {"kind": "lending", "title": "En varevogn\r\ntil udflugten", "description": "Til kørestole og kurve."})
    assert posted.status_code == 302
    wish_id = int(posted.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert db.session.get(Wish, wish_id).title == "En varevogn til udflugten", "one line, as typed"
    assert submit(client, f"/exchange/wishes/{wish_id}/edit", {"kind": "lending", "title": "En varevogn i juli",
                                                               "description": "Til kørestole."}).status_code == 302
    submit(client, f"/exchange/wishes/{wish_id}/close", {}, form_url=f"/exchange/wishes/{wish_id}")
    assert "En varevogn i juli" not in client.get("/exchange").get_data(as_text=True)


def test_a_stranger_cannot_post_for_a_company_or_organisation(world, client):
    login(client, "fremmed@example.dk")
    token = csrf_token(client, "/exchange/deals")
    data = {"csrf_token": token, "kind": "skills", "title": "Kapret", "description": "Ikke vores tilbud."}
    assert client.post(f"/exchange/companies/{world['company']}/offers/new", data=data).status_code == 403
    assert client.post(f"/exchange/organisations/{world['org']}/wishes/new", data=data).status_code == 403
    assert client.post(f"/exchange/offers/{world['offer']}/edit", data=data).status_code == 403
    assert client.post(f"/exchange/offers/{world['offer']}/close", data=data).status_code == 403
    # Someone who acts for no organisation is told why instead of being shown a form.
    assert client.get(f"/exchange/offers/{world['offer']}/propose").status_code == 403


def test_a_proposal_with_a_past_follow_up_date_keeps_what_was_typed_and_saves_nothing(app, world, client):
    login(client, "medlem@example.dk")
    url = f"/exchange/offers/{world['offer']}/propose"
    page = client.get(url).get_data(as_text=True)
    assert "Lån af varevogn" in page, "the offer's title is filled in as what the company gives"
    response = submit(client, url, _proposal(world, days=0, organisation_gives="Kaffe og en rundvisning"))
    html = response.get_data(as_text=True)
    assert 'id="follow_up_on-error"' in html and "Kaffe og en rundvisning" in html
    assert _deal_id(app) is None
    nonsense = submit(client, url, _proposal(world, **{"follow_up_on-day": "31", "follow_up_on-month": "2"}))
    assert 'id="follow_up_on-error"' in nonsense.get_data(as_text=True)
    stolen = submit(client, url, _proposal(world, party="en-anden-forening"))
    assert stolen.status_code == 200 and _deal_id(app) is None


def test_the_other_side_accepts_and_both_parties_and_the_coordinator_see_the_agreement(app, world, client, outbox):
    login(client, "medlem@example.dk")
    sent = submit(client, f"/exchange/offers/{world['offer']}/propose", _proposal(world))
    deal_id = _deal_id(app)
    assert sent.headers["Location"] == f"/exchange/deals/{deal_id}"
    assert [m["To"] for m in outbox()] == ["firma@example.dk"], "the company hears of the proposal"
    # The proposer cannot accept their own proposal.
    submit(client, f"/exchange/deals/{deal_id}/accept", {}, form_url=f"/exchange/deals/{deal_id}")
    with app.app_context():
        assert db.session.get(Deal, deal_id).status is DealStatus.proposed
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})

    login(client, "rival@example.dk")
    assert client.get(f"/exchange/deals/{deal_id}").status_code == 404
    token = csrf_token(client, "/exchange/deals")
    assert client.post(f"/exchange/deals/{deal_id}/accept", data={"csrf_token": token}).status_code == 404
    client.post("/logout", data={"csrf_token": token})

    login(client, "firma@example.dk")
    page = client.get(f"/exchange/deals/{deal_id}").get_data(as_text=True)
    assert "/accept" in page and "/decline" in page and "/withdraw" not in page
    submit(client, f"/exchange/deals/{deal_id}/accept", {}, form_url=f"/exchange/deals/{deal_id}")
    agreement = client.get(f"/exchange/deals/{deal_id}").get_data(as_text=True)
    assert "Partnerskabsaftale" in agreement and 'data-status="agreed"' in agreement
    assert "Kaffe, kage og en tak på Frivillig Fredag" in agreement
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})

    login(client, "koordinator@example.dk")
    assert 'data-status="agreed"' in client.get(f"/exchange/deals/{deal_id}").get_data(as_text=True)
    assert "/accept" not in client.get(f"/exchange/deals/{deal_id}").get_data(as_text=True)
    listing = client.get("/exchange/deals").get_data(as_text=True)
    assert f'href="/exchange/deals/{deal_id}"' in listing
    assert f'href="/exchange/deals/{deal_id}"' not in client.get("/exchange/deals?status=declined").get_data(as_text=True)


def test_either_side_marks_it_done_and_the_evaluation_round_trips(app, world, client):
    with app.app_context():
        deal = Deal(company_id=db.session.scalar(select(Offer.company_id).where(Offer.id == world["offer"])),
                    organisation_id=db.session.scalar(select(Wish.organisation_id).where(Wish.id == world["wish"])),
                    proposed_by=DealSide.company, company_gives="Varevogn", organisation_gives="Kaffe",
                    follow_up_on=_in(5), status=DealStatus.agreed)
        db.session.add(deal)
        db.session.commit()
        deal_id = deal.id
    login(client, "forening@example.dk")
    submit(client, f"/exchange/deals/{deal_id}/done", {}, form_url=f"/exchange/deals/{deal_id}")
    assert "Gennemført" in client.get(f"/exchange/deals/{deal_id}").get_data(as_text=True)
    too_short = submit(client, f"/exchange/deals/{deal_id}/evaluate", {"evaluation": "Godt"},
                       form_url=f"/exchange/deals/{deal_id}")
    assert too_short.status_code == 400 and 'id="evaluation-error"' in too_short.get_data(as_text=True)
    submit(client, f"/exchange/deals/{deal_id}/evaluate", {"evaluation": "Beboerne kom ud i det fri. Tak!"},
           form_url=f"/exchange/deals/{deal_id}")
    page = client.get(f"/exchange/deals/{deal_id}").get_data(as_text=True)
    assert 'data-status="evaluated"' in page and "Beboerne kom ud i det fri. Tak!" in page


def test_the_coordinator_downloads_every_deal_with_formulas_made_harmless(app, world, client):
    with app.app_context():
        company_id = db.session.scalar(select(Offer.company_id).where(Offer.id == world["offer"]))
        org_id = db.session.scalar(select(Wish.organisation_id).where(Wish.id == world["wish"]))
        db.session.add(Deal(company_id=company_id, organisation_id=org_id, proposed_by=DealSide.organisation,
                            company_gives='=HYPERLINK("http://x")', organisation_gives="@kaffe",
                            follow_up_on=_in(5)))
        db.session.commit()
    login(client, "forening@example.dk")
    assert client.get("/exchange/deals.csv").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    login(client, "koordinator@example.dk")
    response = client.get("/exchange/deals.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and "Tømrer Holm" in body and "Enggården" in body
    assert "'=HYPERLINK" in body and "'@kaffe" in body
    assert not re.search(r'(^|;)"?=HYPERLINK', body, re.M)


def test_a_deal_page_does_not_exist_for_strangers_or_anonymous_visitors(app, world, client):
    with app.app_context():
        company_id = db.session.scalar(select(Offer.company_id).where(Offer.id == world["offer"]))
        org_id = db.session.scalar(select(Wish.organisation_id).where(Wish.id == world["wish"]))
        deal = Deal(company_id=company_id, organisation_id=org_id, proposed_by=DealSide.company,
                    company_gives="Varevogn", organisation_gives="Kaffe", follow_up_on=_in(5))
        db.session.add(deal)
        db.session.commit()
        deal_id = deal.id
    assert client.get(f"/exchange/deals/{deal_id}").headers["Location"].startswith("/login")
    login(client, "fremmed@example.dk")
    assert client.get(f"/exchange/deals/{deal_id}").status_code == 404
    assert client.get("/exchange/deals/99999999999999999999").status_code == 404
    assert f"/exchange/deals/{deal_id}" not in client.get("/exchange/deals").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_closed_offer_disappears_for_the_public_at_once_but_not_for_its_company(app, world, client):
    offer_url = f"/exchange/offers/{world['offer']}"
    assert "Lån af varevogn" in client.get(offer_url).get_data(as_text=True)
    client.get(offer_url)  # now possibly served from the page cache
    with app.app_context():
        db.session.get(Offer, world["offer"]).status = services.ExchangeStatus.closed
        db.session.commit()
    assert client.get(offer_url).status_code == 404
    login(client, "firma@example.dk")
    page = client.get(offer_url).get_data(as_text=True)
    assert "Lukket" in page and f"/exchange/offers/{world['offer']}/close" in page


@pytest.mark.parametrize("fields", [
    {"title": "Varevogn\x00", "description": "Til udflugten\x00 og mere."},
    {"title": "x" * 5000, "description": "Til udflugten."},
    {"kind": "money", "title": "Varevogn", "description": "Til udflugten."},
    {"kind": "\x00", "title": "\r\n", "description": "\x00" * 20},
])
def test_hostile_offer_input_gets_a_message_and_saves_nothing(app, world, client, fields):
    login(client, "firma@example.dk")
    response = submit(client, f"/exchange/companies/{world['company']}/offers/new",
                      {"kind": "lending", **fields})
    assert response.status_code in (200, 302, 400)
    with app.app_context():
        titles = db.session.scalars(select(Offer.title)).all()
    if response.status_code == 302:  # cleaned, not refused: no NUL byte reached the database
        assert all("\x00" not in t for t in titles)
    else:
        assert len(titles) == 2


@pytest.mark.parametrize("fields", [
    {"follow_up_on-year": "99999"}, {"follow_up_on-year": "\x00"}, {"follow_up_on-day": "2147483648"},
    {"company_gives": "Varevogn\x00" * 10}, {"party": "\x00"}, {"organisation_gives": "=1+1" * 700},
])
def test_hostile_proposals_get_a_message_and_save_nothing(app, world, client, fields):
    login(client, "medlem@example.dk")
    response = submit(client, f"/exchange/offers/{world['offer']}/propose", _proposal(world, **fields))
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert _deal_id(app) is None
    else:
        with app.app_context():
            assert "\x00" not in db.session.get(Deal, _deal_id(app)).company_gives
