"""Asking for help, tried the way nobody tried it when it was built (issue 11 review): the form used
to mail someone else's address again and again, a phone number typed on an Arabic keyboard, and a
sweep that nothing of a request shows on any page, feed or API answer that is not the
coordinator's or the organisation's."""

import uuid

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import HelpRequest, OutboxMessage
from tests.conftest import login, submit
from tests.factories import add_member, make_help_offer, make_organisation, make_user


@pytest.fixture
def people(app):
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True)
        org = make_organisation(admin=make_user(email="admin@example.dk"), name="Wiedergården")
        add_member(org, make_user(email="medlem@example.dk"))
        make_organisation(admin=make_user(email="rival@example.dk"), name="Dragør Skole")
        make_user(email="frivillig@example.dk")
        make_help_offer(org, kind="visiting_friend", title="Besøgsvenner")
        db.session.commit()
        return {"org": org.slug, "org_id": org.id}


def _ask(client, **overrides):
    data = {"kind": "visiting_friend", "description": "Jeg vil gerne have en at snakke med.", "name": "Inger Berg",
            "area": "Nær Dragør Havn", "postcode": "2791", "phone": "22 33 44 55", "email": "",
            "best_time_to_call": "Formiddag"}
    data.update(overrides)
    return submit(client, "/help/ask", data)


def _receipts(app, email):
    with app.app_context():
        return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_email == email))


def test_receipts_to_one_address_stop_at_the_cap_from_any_network_but_every_request_is_kept(app, people):
    """The receipt repeats the names typed on the form; without a cap per address the form mailed
    anyone's address, from as many networks as a sender has, with words of the sender's choice."""
    app.config.update(RATELIMIT_ENABLED=True, HELP_RECEIPT_RATE_LIMIT="2 per day",
                      RATELIMIT_KEY_PREFIX=f"help-receipt-{uuid.uuid4().hex}")
    try:
        statuses, thanks = [], []
        for n in range(4):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"10.0.{n}.1"  # a new network each time
            client.get("/help?lang=en")
            statuses.append(_ask(client, name=f"Buy cheap watches {n}", email="Offer@Example.dk").status_code)
            thanks.append(client.get("/help/ask/thanks").get_data(as_text=True))
        assert statuses == [302] * 4
        assert _receipts(app, "Offer@Example.dk") == 2
        with app.app_context():
            assert db.session.scalar(select(func.count(HelpRequest.id))) == 4, "the requests themselves are kept"
        assert "We have also sent you a receipt" in thanks[0]
        assert "We have also sent you a receipt" not in thanks[3] and "We tell you by e-mail" in thanks[3]
    finally:
        app.config.update(RATELIMIT_ENABLED=False, RATELIMIT_KEY_PREFIX="frivillig")


def test_a_phone_number_and_postcode_in_arabic_or_fullwidth_digits_are_stored_as_a_number_to_dial(app, people, client):
    assert _ask(client, phone="٢٢٣٣٤٤٥٥", postcode="٢٧٩١", name="Arabisk").status_code == 302
    assert _ask(client, phone="２２ ３３ ４４ ５６", postcode="２７９１", name="Fuld bredde").status_code == 302
    with app.app_context():
        rows = db.session.execute(select(HelpRequest.phone, HelpRequest.postcode).order_by(HelpRequest.id)).all()
        request_id = db.session.scalar(select(HelpRequest.id).order_by(HelpRequest.id))
    assert [tuple(r) for r in rows] == [("22 33 44 55", "2791"), ("22 33 44 56", "2791")]
    coordinator = app.test_client()
    login(coordinator, "koordinator@example.dk")
    assert 'href="tel:+4522334455"' in coordinator.get(f"/help/requests/{request_id}").get_data(as_text=True)


def test_an_offers_phone_in_arabic_digits_is_stored_as_a_number_to_dial(app, people, client):
    login(client, "medlem@example.dk")
    data = {"kind": "it_help", "title": "IT-hjælp", "description": "Vi hjælper med telefonen og tabletten.",
            "who_for": "Alle", "how_to_get": "Ring til os", "contact_phone": "٣٣٤٤٥٥٦٦", "contact_email": "",
            "waiting_time": ""}
    assert submit(client, f"/organisations/{people['org']}/help-offers/new", data).status_code == 302
    assert 'href="tel:+4533445566"' in app.test_client().get("/help").get_data(as_text=True)


# --- nothing of a request outside the coordinator's and the organisation's pages --------------

SECRETS = {"name": "Zyxwv Hemmeligsen", "area": "Qwertyvej 17", "phone": "29 87 65 43",
           "email": "zyxwv@example.dk", "description": "Ensom-efter-operationen", "best_time_to_call": "Kl. 7.13",
           "asked_by_name": "Datter Xenia", "asked_by_relation": "svigerdatter"}


def _public_get_paths(app):
    """Every page, feed and API address without parameters that answers a GET."""
    for rule in app.url_map.iter_rules():
        # /dev/mail is the development outbox (DEV_MAIL_PAGE, off in production).
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(("/static", "/_test", "/dev/")):
            yield rule.rule


def _leaks(body: str) -> list[str]:
    return [value for value in SECRETS.values() if value in body]


def test_nothing_of_a_request_shows_on_any_page_feed_or_api_answer_but_the_coordinators(app, people):
    asker = app.test_client()
    assert _ask(asker, **SECRETS, on_behalf="y", consent="y").status_code == 302
    with app.app_context():
        request_id = db.session.scalar(select(HelpRequest.id))
    coordinator = app.test_client()
    login(coordinator, "koordinator@example.dk")
    assert _leaks(coordinator.get(f"/help/requests/{request_id}").get_data(as_text=True)) == list(SECRETS.values())
    pass_form = coordinator.get(f"/help/requests/{request_id}")
    assert pass_form.status_code == 200
    assert submit(coordinator, f"/help/requests/{request_id}/pass",
                  {"organisation": str(people["org_id"]), "note": "Hun hedder Zyxwv Hemmeligsen"},
                  form_url=f"/help/requests/{request_id}").status_code == 302

    anonymous, volunteer, rival = app.test_client(), app.test_client(), app.test_client()
    login(volunteer, "frivillig@example.dk")
    login(rival, "rival@example.dk")
    seen = []
    for who, client in (("anonymous", anonymous), ("volunteer", volunteer), ("another organisation", rival)):
        for path in _public_get_paths(app):
            for _ in range(2):  # the second one from the page cache, where there is one
                response = client.get(path)
                # A PDF (the portal's poster) is read as bytes; a leak would still show as text.
                if leaked := _leaks(response.get_data().decode("utf-8", errors="replace")):
                    seen.append((who, path, leaked))
        for path in (f"/help/requests/{request_id}", "/help/requests", "/organisations/" + people["org"]
                     + "/help-requests"):
            response = client.get(path)
            assert response.status_code in (302, 403, 404) and not _leaks(response.get_data(as_text=True)), path
    assert seen == []
    # The staff mails say the kind and link to the portal, and nothing else.
    with app.app_context():
        staff_mail = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.to_email.in_(["koordinator@example.dk", "admin@example.dk", "medlem@example.dk"]))).all()
    assert len(staff_mail) == 3
    for mail in staff_mail:
        assert _leaks(mail.subject + mail.body_text) == [], mail.subject
