"""The fund through the browser's eyes (test client): the coordinator records a named company's gift
and a payout; visitors see totals, named donors, the payout's task and the company's sponsor line;
an anonymous donor's name reaches no public page, cached copy or API; the manage pages are the
coordinator's only; bad input gets a message next to its field and saves nothing."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Donation, Donor, FundSettings, Payout, utcnow
from tests.conftest import counting_queries, csrf_token, login, submit
from tests.factories import make_company, make_donor, make_organisation, make_task, make_user

SECRET = "Hemmelige Hansen"


def _today() -> date:
    from portal.fund.services import today_in_denmark
    return today_in_denmark(utcnow())


def _date_fields(name: str, day: date) -> dict:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def world(app):
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True)
        mette = make_user(email="mette@example.dk")
        repair = make_organisation(admin=mette, name="Repair Café Dragør")
        task = make_task(repair, title="Kaffe og reservedele til repaircaféen")
        shop = make_company(name="Dragør Købmand")
        quiet = make_company(name="Stille Smed ApS")
        make_donor(kind="company", name="Stille Smed ApS", company=quiet, amounts=(70000,))
        make_donor(kind="citizen", name=SECRET, amounts=(12345,))
        db.session.commit()
        return {"task": task.id, "shop": shop.id, "shop_slug": shop.slug, "quiet_slug": quiet.slug}


def _settings(client, *, valid_until: date):
    return submit(client, "/fund/manage/settings", {
        "name": "Dragør Frivilligfond", "purpose": "Små beløb til foreningernes frivillige.",
        "rules": "Højst 5.000 kr. pr. ansøgning\nKun foreninger i Dragør", "how_to_apply": "Skriv til os.",
        "bank_account": "reg. 1551 konto 0001234567", "mobilepay": "123456", "permission_number": "22-700-01234",
        **_date_fields("permission_valid_until", valid_until)})


def test_the_coordinator_records_a_named_company_gift_and_a_payout_and_visitors_see_both(app, client, world):
    login(client, "anne@example.dk")
    assert _settings(client, valid_until=_today() + timedelta(days=200)).status_code == 302
    response = submit(client, "/fund/manage/donors/new", {
        "kind": "company", "name": "", "company": str(world["shop"]), "show_name": "y",
        "consent_note": "Mail fra ejeren 3. maj"}, form_url="/fund/manage/donors/new")
    assert response.status_code == 302
    with app.app_context():
        donor = db.session.scalar(select(Donor).where(Donor.company_id == world["shop"]))
        assert donor.name == "Dragør Købmand" and donor.consent_at is not None
        donor_id = donor.id
    response = submit(client, f"/fund/manage/donors/{donor_id}/gifts",
                      {"amount": "1.250,50 kr.", "note": "=HYPERLINK(\"x\")", **_date_fields("given_on", _today())},
                      form_url=f"/fund/manage/donors/{donor_id}")
    assert response.status_code == 302
    response = submit(client, "/fund/manage/payouts/new", {
        "amount": "2400", "purpose": "Kaffe og reservedele", "description": "Til lørdagenes repaircafé.",
        "organisation": "", "task": f"/tasks/{world['task']}", "event": "",
        **_date_fields("paid_on", _today())})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Donation.amount_ore).where(Donation.donor_id == donor_id)) == 125050
        payout = db.session.scalar(select(Payout))
        assert payout.amount_ore == 240000 and payout.organisation.name == "Repair Café Dragør"

    visitor = app.test_client()
    page = _text(visitor.get("/fund?lang=en"))
    assert "1,250.50" not in page.split("Donors and sponsors")[1]   # no amount beside a donor
    assert f'href="/companies/{world["shop_slug"]}">Dragør Købmand</a>' in page
    assert f'href="/tasks/{world["task"]}">Kaffe og reservedele</a>' in page
    assert "Repair Café Dragør" in page and "reg. 1551 konto 0001234567" in page and "22-700-01234" in page
    # Totals: the named gift plus the two anonymous ones, in kroner and øre.
    assert page.count("DKK 2,073.95") == 2    # 1.250,50 + 700 + 123,45: received this year and in all
    assert page.count("DKK 2,400") == 3       # paid out this year, in all, and the payout itself
    assert "And 2 anonymous donors." in page
    assert "The portal does not take payments" in page
    sponsor = _text(visitor.get(f"/companies/{world['shop_slug']}?lang=en"))
    assert "Supports Dragør Frivilligfond" in sponsor
    assert "Supports" not in _text(visitor.get(f"/companies/{world['quiet_slug']}?lang=en"))


def test_an_anonymous_donors_name_reaches_no_public_page_cached_copy_or_api(app, client, world):
    visitor = app.test_client()
    first, second = visitor.get("/fund"), visitor.get("/fund")
    assert second.headers.get("X-Cache") == "hit"
    public = [first, second, visitor.get("/fund?lang=en"), visitor.get(f"/companies/{world['quiet_slug']}"),
              visitor.get("/companies"), visitor.get("/api/v1/companies"),
              visitor.get(f"/api/v1/companies/{world['quiet_slug']}"), visitor.get("/")]
    for response in public:
        body = _text(response)
        assert SECRET not in body and "123,45" not in body and "123.45" not in body
    for response in public[:3]:
        assert "Stille Smed" not in _text(response)
    assert "Støtter" not in _text(public[3]) and "Supports" not in _text(public[3])
    assert "2 anonyme" in _text(first) or "2 anonymous" in _text(first)


def test_withdrawn_consent_takes_the_name_off_the_cached_page_at_the_next_visit(app, client, world):
    with app.app_context():
        donor = make_donor(kind="citizen", name="Grethe Holm", show_name=True)
        db.session.commit()
        donor_id = donor.id
    visitor = app.test_client()
    assert "Grethe Holm" in _text(visitor.get("/fund"))
    login(client, "anne@example.dk")
    response = submit(client, f"/fund/manage/donors/{donor_id}", {
        "kind": "citizen", "name": "Grethe Holm", "company": "", "consent_note": "Ringede og trak det tilbage"})
    assert response.status_code == 302
    assert "Grethe Holm" not in _text(visitor.get("/fund"))


def test_a_shown_name_without_a_note_of_consent_is_refused_next_to_the_field_and_the_input_is_kept(app, client,
                                                                                                   world):
    login(client, "anne@example.dk")
    response = submit(client, "/fund/manage/donors/new?lang=en", {
        "kind": "citizen", "name": "Karen Blixen Jensen", "company": "", "show_name": "y", "consent_note": ""},
        form_url="/fund/manage/donors/new")
    assert response.status_code == 400
    body = _text(response)
    assert 'id="consent_note-error"' in body and 'value="Karen Blixen Jensen"' in body
    with app.app_context():
        assert db.session.scalar(select(Donor).where(Donor.name == "Karen Blixen Jensen")) is None


@pytest.mark.parametrize("amount", ["1e9", "NaN", "-5", "12,345,67", "1" * 20, "12\n34", "x" * 10_000, "0",
                                    "=1+1", "💰", "12\x0034"])
def test_an_amount_nobody_means_gets_a_message_and_saves_nothing(app, client, world, amount):
    login(client, "anne@example.dk")
    with app.app_context():
        donor_id = db.session.scalar(select(Donor.id).where(Donor.name == SECRET))
    response = submit(client, f"/fund/manage/donors/{donor_id}/gifts",
                      {"amount": amount, "note": "", **_date_fields("given_on", _today())},
                      form_url=f"/fund/manage/donors/{donor_id}")
    assert response.status_code == 400
    # A NUL byte is refused before the form is read (portal/hardening.py); the rest at the field.
    assert "\x00" in amount or 'id="amount-error"' in _text(response)
    with app.app_context():
        assert _count(Donation) == 2


def test_hostile_text_in_every_field_is_cleaned_or_refused_never_a_500(app, client, world):
    login(client, "anne@example.dk")
    nasty = "Bad\x0b name\r\nBcc: x@example.dk"
    response = submit(client, "/fund/manage/donors/new", {"kind": "citizen", "name": nasty, "company": "",
                                                          "consent_note": "x" * 10_000},
                      form_url="/fund/manage/donors/new")
    assert response.status_code == 400 and 'id="consent_note-error"' in _text(response)
    response = submit(client, "/fund/manage/donors/new", {"kind": "citizen", "name": nasty, "company": "",
                                                          "consent_note": ""},
                      form_url="/fund/manage/donors/new")
    assert response.status_code == 302
    for bad in ({"kind": "pirate"}, {"kind": "company", "company": "9223372036854775808"},
                {"kind": "company", "company": "\x00"}, {"name": "Nul\x00byte"}):
        data = {"kind": "citizen", "name": "A", "company": "", "consent_note": "", **bad}
        assert submit(client, "/fund/manage/donors/new", data, form_url="/fund/manage/donors/new").status_code == 400
    for task in ("9223372036854775808", "99999999999999999999", "2147483648", "abc", "/tasks/-1", "1" * 300):
        response = submit(client, "/fund/manage/payouts/new", {
            "amount": "100", "purpose": "P", "task": task, "organisation": "", "event": "",
            **_date_fields("paid_on", _today())})
        assert response.status_code == 400 and 'id="task-error"' in _text(response), task
    response = submit(client, "/fund/manage/payouts/new", {
        "amount": "100", "purpose": "x" * 10_000, "task": "", "organisation": "", "event": "",
        **_date_fields("paid_on", date(9999, 1, 1))})
    assert response.status_code == 400
    response = submit(client, "/fund/manage/settings", {"name": "F\x00", "permission_number": "1",
                                                        "permission_valid_until-day": "30", "permission_valid_until-month": "2",
                                                        "permission_valid_until-year": "2027"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Donor.name).where(Donor.name.like("Bad%"))) == \
            "Bad  name Bcc: x@example.dk"   # one line: the control character became a space
        assert _count(Payout) == 0 and _count(FundSettings) == 0


def test_an_expired_permission_pauses_the_collection_and_hides_the_account(app, client, world):
    login(client, "anne@example.dk")
    assert _settings(client, valid_until=_today() - timedelta(days=1)).status_code == 302
    page = _text(app.test_client().get("/fund?lang=en"))
    assert "The collection is paused" in page
    assert "0001234567" not in page and "123456" not in page
    assert _settings(client, valid_until=_today()).status_code == 302
    page = _text(app.test_client().get("/fund?lang=en"))
    assert "The collection is paused" not in page and "0001234567" in page


MANAGE = ["/fund/manage", "/fund/manage/settings", "/fund/manage/donors/new", "/fund/manage/payouts/new",
          "/fund/manage/gifts.csv", "/fund/manage/payouts.csv"]


def test_the_manage_pages_are_the_coordinators_only(app, client, world):
    with app.app_context():
        donor_id = db.session.scalar(select(Donor.id).where(Donor.name == SECRET))
        gift_id = db.session.scalar(select(Donation.id).where(Donation.donor_id == donor_id))
        payout = Payout(amount_ore=100, paid_on=_today(), purpose="P")
        db.session.add(payout)
        db.session.commit()
        payout_id = payout.id
    by_id = [f"/fund/manage/donors/{donor_id}", f"/fund/manage/payouts/{payout_id}"]
    posts = by_id + [f"/fund/manage/donors/{donor_id}/gifts", f"/fund/manage/donors/{donor_id}/delete",
                     f"/fund/manage/gifts/{gift_id}/delete", f"/fund/manage/payouts/{payout_id}/delete",
                     "/fund/manage/settings", "/fund/manage/donors/new", "/fund/manage/payouts/new"]
    for url in MANAGE + by_id:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
    login(client, "mette@example.dk")    # an organisation's admin, not the coordinator
    token = csrf_token(client, "/me")
    for url in MANAGE + by_id:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, data={"csrf_token": token, "kind": "citizen", "name": "Hijacked",
                                      "amount": "1", "purpose": "Hijacked"}).status_code == 403, url
    with app.app_context():
        assert _count(Donor) == 2 and _count(Donation) == 2 and _count(Payout) == 1
        assert db.session.scalar(select(Donor.name).where(Donor.id == donor_id)) == SECRET
    assert SECRET not in _text(client.get("/fund"))


def test_ids_that_do_not_exist_are_404_for_the_coordinator(app, client, world):
    login(client, "anne@example.dk")
    token = csrf_token(client, "/fund/manage/donors/new")
    for url in ("/fund/manage/donors/9223372036854775807", "/fund/manage/payouts/0",
                "/fund/manage/donors/99999999999999999999"):
        assert client.get(url).status_code == 404, url
    for url in ("/fund/manage/gifts/9223372036854775807/delete", "/fund/manage/donors/2147483648/delete",
                "/fund/manage/payouts/4294967296/delete", "/fund/manage/donors/9223372036854775807/gifts"):
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url


def test_the_coordinator_deletes_a_gift_a_payout_and_a_donor(app, client, world):
    with app.app_context():
        donor = make_donor(amounts=(100, 200))
        payout = Payout(amount_ore=100, paid_on=_today(), purpose="P")
        db.session.add(payout)
        db.session.commit()
        donor_id, gift_id, payout_id = donor.id, donor.donations[0].id, payout.id
    login(client, "anne@example.dk")
    token = csrf_token(client, f"/fund/manage/donors/{donor_id}")
    assert client.post(f"/fund/manage/gifts/{gift_id}/delete", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/fund/manage/payouts/{payout_id}/delete", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert _count(Donation) == 3 and _count(Payout) == 0
    assert client.post(f"/fund/manage/donors/{donor_id}/delete", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(Donor, donor_id) is None and _count(Donation) == 2


def _add_donors_and_payouts(app, n):
    with app.app_context():
        org = make_organisation()
        for i in range(n):
            company = make_company()
            make_donor(kind="company", company=company, show_name=True)
            make_donor(kind="citizen", show_name=bool(i % 2))
            make_donor(kind="foundation", show_name=True, amounts=(100, 200))
            task = make_task(org, title=f"Opgave {i}")
            db.session.add(Payout(amount_ore=1000 + i, paid_on=_today(), purpose=f"Udbetaling {i}",
                                  organisation_id=org.id, task_id=task.id))
        db.session.commit()


def _statements(app, client, url) -> int:
    with counting_queries(app) as executed:
        assert client.get(url).status_code == 200
    return len(executed)


def test_the_fund_pages_cost_the_same_statements_for_few_and_many_donors_and_payouts(app, client, world):
    from portal.models import Company
    login(client, "anne@example.dk")
    visitor = app.test_client()
    _add_donors_and_payouts(app, 2)
    with app.app_context():
        slug = db.session.scalar(select(Company.slug).order_by(Company.id.desc()).limit(1))
    urls = ["/fund/manage", f"/companies/{slug}"]
    small = [_statements(app, client, url) for url in urls] + [_statements(app, client, "/fund")]
    _add_donors_and_payouts(app, 25)
    large = [_statements(app, client, url) for url in urls] + [_statements(app, client, "/fund")]
    assert small == large
    # The public page as a visitor sees it: settings, totals (2), named donors, payouts.
    with app.app_context():
        db.session.add(Payout(amount_ore=1, paid_on=_today(), purpose="new"))   # a new data version: no cache
        db.session.commit()
    assert _statements(app, visitor, "/fund") <= 5


def test_payout_csv_and_gift_csv_hold_every_row_in_danish_numbers(app, client, world):
    login(client, "anne@example.dk")
    body = client.get("/fund/manage/gifts.csv").get_data(as_text=True)
    assert re.search(r'"700,00";"Stille Smed ApS"', body) and '"123,45"' in body


def test_before_anything_is_recorded_the_page_says_so_and_asks_for_no_money(app, client):
    page = _text(client.get("/fund?lang=en"))
    assert "Dragør Frivilligfond" in page and "The collection is paused" in page
    assert "The fund has not paid anything out yet." in page and "No gifts are recorded yet." in page
    assert "Bank account" not in page


def test_a_donors_page_costs_the_same_statements_for_one_gift_and_for_thirty(app, client, world):
    login(client, "anne@example.dk")
    with app.app_context():
        donor = make_donor(kind="company", company=make_company(), show_name=True, amounts=(100,))
        db.session.commit()
        donor_id = donor.id
    small = _statements(app, client, f"/fund/manage/donors/{donor_id}")
    with app.app_context():
        db.session.add_all([Donation(donor_id=donor_id, amount_ore=100 + n, given_on=_today()) for n in range(29)])
        db.session.commit()
    assert _statements(app, client, f"/fund/manage/donors/{donor_id}") == small


def test_the_page_is_not_cached_into_the_day_after_the_permission_ends(app, client, world, monkeypatch):
    """At 23:59 on the permission's last day a cached copy would go on asking for money after
    midnight: the page is built for each visitor then, and cached again once it says 'paused'."""
    from datetime import time

    from portal.core.timeutil import to_utc
    from portal.fund import routes
    login(client, "anne@example.dk")
    last_day = _today() + timedelta(days=3)
    assert _settings(client, valid_until=last_day).status_code == 302
    visitor = app.test_client()
    clock = {"now": to_utc(last_day, time(23, 59))}
    monkeypatch.setattr(routes, "utcnow", lambda: clock["now"])
    first, second = visitor.get("/fund?lang=en"), visitor.get("/fund?lang=en")
    assert "0001234567" in _text(second) and second.headers.get("X-Cache") == "miss"
    clock["now"] = to_utc(last_day + timedelta(days=1), time(0, 0, 30))
    after = visitor.get("/fund?lang=en")
    assert "The collection is paused" in _text(after) and "0001234567" not in _text(after)
    assert visitor.get("/fund?lang=en").headers.get("X-Cache") == "hit"
    # Days before the end the page is cached as usual.
    clock["now"] = to_utc(last_day - timedelta(days=1), time(12, 0))
    danish = app.test_client()
    pages = [danish.get("/fund?lang=da") for _ in range(3)]
    assert "0001234567" in _text(pages[-1]) and pages[-1].headers.get("X-Cache") == "hit"
