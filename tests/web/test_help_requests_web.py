"""Asking for help through the web: the public page and form (phone only is enough, consent when
asking for someone else, errors next to the field, nothing saved on an error), the coordinator's
queue and request page, the organisation's answer, and privacy: a request page is for the
coordinator and the organisation it was passed to only."""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import HelpRequest, HelpRequestStatus, OutboxMessage
from tests.conftest import counting_queries, csrf_token, login, submit
from tests.factories import (add_member, make_help_offer, make_help_request, make_organisation, make_user)


@pytest.fixture
def world(app):
    with app.app_context():
        coordinator = make_user(email="koordinator@example.dk", coordinator=True)
        admin = make_user(email="admin@example.dk")
        member = make_user(email="medlem@example.dk")
        rival = make_user(email="rival@example.dk")
        make_user(email="frivillig@example.dk")
        org = make_organisation(admin=admin, name="Wiedergården")
        add_member(org, member)
        other = make_organisation(admin=rival, name="Dragør Skole")
        make_help_offer(org, kind="visiting_friend", title="Besøgsvenner", who_for="Ældre, der bor alene",
                        how_to_get="Ring til os", contact_phone="32 89 01 00", waiting_time="ca. 3 uger")
        make_help_offer(other, kind="homework", title="Lektiecafé")
        make_help_offer(other, kind="repair", title="Gammel reparationscafé", active=False)
        passed = make_help_request(name="Else Hemmelig", phone="22 33 44 55", status="passed",
                                   organisation_id=org.id, description="Hun er ensom.")
        fresh = make_help_request(name="Karl Privat", kind="it_help")
        db.session.commit()
        return {"org": org.slug, "other": other.slug, "passed": passed.id, "fresh": fresh.id}


def _english(client):
    client.get("/help?lang=en")


def _ask_data(**overrides):
    data = {"kind": "visiting_friend", "description": "Jeg vil gerne have en at snakke med.", "name": "Inger Berg",
            "area": "Nær Dragør Havn", "postcode": "2791", "phone": "22 33 44 55", "email": "",
            "best_time_to_call": "Formiddag"}
    data.update(overrides)
    return data


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(HelpRequest.id)))


def test_the_help_page_lists_active_offers_by_kind_with_ways_to_ask_call_and_give_help(world, client):
    _english(client)
    html = client.get("/help").get_data(as_text=True)
    assert "Besøgsvenner" in html and "Lektiecafé" in html and "Gammel reparationscafé" not in html
    assert html.index("Visiting friend") < html.index("Homework café"), "grouped by kind, in order"
    assert "ca. 3 uger" in html and "No waiting time" in html
    assert f'href="/organisations/{world["org"]}"' in html
    assert 'href="/help/ask"' in html and "tel:+4532890100" in html and 'href="/tasks"' in html
    assert "Else Hemmelig" not in html and "Karl Privat" not in html


def test_a_phone_number_alone_is_enough_to_ask(app, world, client):
    _english(client)
    before = _count(app)
    response = submit(client, "/help/ask", _ask_data())
    assert response.status_code == 302 and response.headers["Location"].endswith("/help/ask/thanks")
    thanks = client.get("/help/ask/thanks").get_data(as_text=True)
    assert "We have received your request" in thanks and "We call you" in thanks
    assert "12 months" in thanks and "6 months" in thanks
    assert _count(app) == before + 1
    with app.app_context():
        request = db.session.scalar(select(HelpRequest).order_by(HelpRequest.id.desc()))
        assert request.phone == "22 33 44 55" and request.email is None and request.status is HelpRequestStatus.new


def test_the_form_says_what_is_wrong_next_to_the_field_and_keeps_what_was_typed(app, world, client):
    _english(client)
    before = _count(app)
    response = submit(client, "/help/ask", _ask_data(phone="", email=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "A phone number is enough" in html and "Nær Dragør Havn" in html
    response = submit(client, "/help/ask", _ask_data(phone="123"))
    assert response.status_code == 400 and "8 digits" in response.get_data(as_text=True)
    response = submit(client, "/help/ask", _ask_data(on_behalf="y", asked_by_name="Lone Berg",
                                                     asked_by_relation="datter"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "has agreed" in html and "Lone Berg" in html
    response = submit(client, "/help/ask", _ask_data(name="Inger\x00Berg", area="a\r\nb", postcode="abcd"))
    assert response.status_code in (302, 400)
    assert _count(app) == before + (1 if response.status_code == 302 else 0)


def test_asking_on_behalf_with_consent_and_an_email_sends_a_receipt(app, world, client):
    response = submit(client, "/help/ask", _ask_data(phone="", email="lone@example.dk", on_behalf="y",
                                                     asked_by_name="Lone Berg", asked_by_relation="datter",
                                                     consent="y"))
    assert response.status_code == 302
    with app.app_context():
        request = db.session.scalar(select(HelpRequest).order_by(HelpRequest.id.desc()))
        assert request.asked_by_name == "Lone Berg" and request.citizen_consents
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_email == "lone@example.dk")) == 1


def test_asking_is_rate_limited_per_network(app, world, client):
    app.config.update(RATELIMIT_ENABLED=True, HELP_REQUEST_RATE_LIMIT="2 per hour", RATELIMIT_KEY_PREFIX="help-test")
    try:
        _english(client)
        assert submit(client, "/help/ask", _ask_data()).status_code == 302
        assert submit(client, "/help/ask", _ask_data()).status_code == 302
        third = submit(client, "/help/ask", _ask_data(name="Tredje"))
        assert third.status_code == 429 and "Tredje" in third.get_data(as_text=True)
    finally:
        app.config.update(RATELIMIT_ENABLED=False, RATELIMIT_KEY_PREFIX="frivillig")


def test_a_request_page_is_private(app, world, client):
    passed = f"/help/requests/{world['passed']}"
    anonymous = client.get(passed)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    assert client.get("/help/requests/99999").headers["Location"] == anonymous.headers["Location"].replace(
        str(world["passed"]), "99999"), "the same answer whether it exists or not"
    for email in ("rival@example.dk", "frivillig@example.dk"):
        login(client, email)
        assert client.get(passed).status_code == 404
        assert client.get(f"/help/requests/{world['fresh']}").status_code == 404
        assert client.get("/help/requests").status_code == 403
        assert client.get(f"/organisations/{world['org']}/help-requests").status_code in (403, 404)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    login(client, "medlem@example.dk")
    html = client.get(passed).get_data(as_text=True)
    assert "Else Hemmelig" in html and "22 33 44 55" in html
    assert client.get(f"/help/requests/{world['fresh']}").status_code == 404, "not passed to them"


def test_the_coordinator_passes_the_organisation_accepts_and_the_citizen_is_on_the_call_list(app, world, client):
    _english(client)
    login(client, "koordinator@example.dk")
    fresh = f"/help/requests/{world['fresh']}"
    queue = client.get("/help/requests").get_data(as_text=True)
    assert "Karl Privat" in queue and queue.index("Karl Privat") < queue.index("Else Hemmelig"), "new first"
    page = client.get(fresh).get_data(as_text=True)
    assert "Karl Privat" in page and "Other approved organisations" in page
    org_id = re.search(r'<option value="(\d+)">Wiedergården</option>', page).group(1)
    response = submit(client, f"{fresh}/pass", {"organisation": org_id, "note": "Ring efter kl. 10."}, form_url=fresh)
    assert response.status_code == 302
    with app.app_context():
        mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "medlem@example.dk")).all()
        assert len(mails) == 1 and "Karl" not in mails[0].body_text and "Ring efter" not in mails[0].body_text
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    login(client, "medlem@example.dk")
    listing = client.get(f"/organisations/{world['org']}/help-requests").get_data(as_text=True)
    assert fresh in listing
    assert "Ring efter kl. 10." in client.get(fresh).get_data(as_text=True)
    assert submit(client, f"{fresh}/accept", form_url=fresh).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    login(client, "koordinator@example.dk")
    call_list = client.get("/help/requests?call=1").get_data(as_text=True)
    assert "Karl Privat" in call_list
    assert submit(client, f"{fresh}/told", form_url=fresh).status_code == 302
    assert "Karl Privat" not in client.get("/help/requests?call=1").get_data(as_text=True)


def test_the_organisation_hands_a_request_back_with_a_reason(app, world, client):
    _english(client)
    login(client, "admin@example.dk")
    passed = f"/help/requests/{world['passed']}"
    empty = submit(client, f"{passed}/hand-back", {"reason": ""}, form_url=passed)
    assert empty.status_code == 400 and "Write why" in empty.get_data(as_text=True)
    response = submit(client, f"{passed}/hand-back", {"reason": "Ingen ledige besøgsvenner."}, form_url=passed)
    assert response.status_code == 302
    assert client.get(passed).status_code == 404, "no longer theirs"
    with app.app_context():
        request = db.session.get(HelpRequest, world["passed"])
        assert request.status is HelpRequestStatus.new and request.organisation_id is None


def test_another_organisation_cannot_answer_or_pass(app, world, client):
    login(client, "rival@example.dk")
    token = csrf_token(client, "/me")
    passed = f"/help/requests/{world['passed']}"
    for action in ("accept", "hand-back", "pass", "close", "told"):
        response = client.post(f"{passed}/{action}", data={"csrf_token": token, "reason": "Kapret", "note": "x",
                                                           "organisation": "1"})
        assert response.status_code == 404, action
    with app.app_context():
        assert db.session.get(HelpRequest, world["passed"]).status is HelpRequestStatus.passed


def test_the_coordinator_closes_with_a_note(app, world, client):
    login(client, "koordinator@example.dk")
    page = f"/help/requests/{world['fresh']}"
    assert submit(client, f"{page}/close", {"note": ""}, form_url=page).status_code == 400
    assert submit(client, f"{page}/close", {"note": "Borgeren fik hjælp af en nabo."}, form_url=page).status_code == 302
    with app.app_context():
        request = db.session.get(HelpRequest, world["fresh"])
        assert request.status is HelpRequestStatus.closed and request.staff_note == "Borgeren fik hjælp af en nabo."


def test_odd_ids_get_a_4xx(world, client):
    login(client, "koordinator@example.dk")
    for odd in ("0", "2147483648", "99999999999999999999", "abc"):
        assert client.get(f"/help/requests/{odd}").status_code == 404


def test_the_queue_needs_the_same_queries_for_few_and_many_requests(app, world, client):
    login(client, "koordinator@example.dk")
    client.get("/help/requests")
    with counting_queries(app) as few:
        assert client.get("/help/requests").status_code == 200
    with app.app_context():
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation).where(Organisation.slug == world["other"]))
        for n in range(12):
            make_help_request(name=f"Borger {n}", status="passed" if n % 2 else "new",
                              organisation_id=org.id if n % 2 else None)
        db.session.commit()
    with counting_queries(app) as many:
        assert client.get("/help/requests").status_code == 200
    assert len(many) == len(few)


def test_every_problem_is_shown_at_once_next_to_its_field(app, world, client):
    _english(client)
    before = _count(app)
    response = submit(client, "/help/ask", _ask_data(kind="", phone="", on_behalf="y"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("kind", "phone", "asked_by_name", "consent"):
        assert f'id="{field}-error"' in html or f'id="{field}-0"' in html and "form-error" in html, field
    assert 'id="phone-error"' in html and 'id="consent-error"' in html and 'id="asked_by_name-error"' in html
    assert _count(app) == before


def test_nothing_of_a_request_is_on_any_public_page_feed_or_api(world, client):
    for path in ("/", "/help", "/help?lang=en", "/tasks", "/organisations", f"/organisations/{world['org']}",
                 "/calendar.ics", "/api/v1/organisations", "/api/v1/tasks", "/api/openapi.json", "/help/ask/thanks"):
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert "Else Hemmelig" not in text and "Karl Privat" not in text and "ensom" not in text, path
