"""An organisation keeps its help offers (list, new, edit, deactivate) for "Få hjælp"; members only,
and never another organisation's offers through its own address."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import HelpKind, HelpOffer, OrganisationStatus
from tests.conftest import csrf_token, login, submit
from tests.factories import make_help_offer, make_organisation, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        admin, rival = make_user(email="admin@example.dk"), make_user(email="rival@example.dk")
        make_user(email="frivillig@example.dk")
        org = make_organisation(admin=admin, name="Dragør Bibliotek")
        other = make_organisation(admin=rival, name="Dragør Skole")
        pending = make_organisation(admin=make_user(email="ny@example.dk"), name="Ny forening",
                                    status=OrganisationStatus.pending)
        theirs = make_help_offer(other, kind="homework", title="Lektiecafé")
        db.session.commit()
        return {"org": org.slug, "other": other.slug, "pending": pending.slug, "theirs": theirs.id}


def _offer(**overrides):
    data = {"kind": "it_help", "title": "IT-hjælp hver tirsdag",
            "description": "Vi hjælper med computer, tablet og mobil.", "who_for": "Alle, der er gået i stå",
            "how_to_get": "Kom forbi tirsdag kl. 10–12 på biblioteket.", "contact_phone": "32890100",
            "contact_email": "bibliotek@example.dk", "waiting_time": ""}
    data.update(overrides)
    return data


def test_a_member_adds_edits_and_deactivates_an_offer_and_the_public_page_follows(app, world, client):
    client.get("/help?lang=en")
    login(client, "admin@example.dk")
    base = f"/organisations/{world['org']}/help-offers"
    assert client.get(base).status_code == 200
    bad = submit(client, f"{base}/new", _offer(title="", contact_phone="12"), form_url=f"{base}/new")
    assert bad.status_code == 400 and "Write the name of the offer" in bad.get_data(as_text=True)
    assert "8 digits" in bad.get_data(as_text=True)
    assert submit(client, f"{base}/new", _offer(), form_url=f"{base}/new").status_code == 302
    with app.app_context():
        offer = db.session.scalar(select(HelpOffer).where(HelpOffer.title == "IT-hjælp hver tirsdag"))
        assert offer.contact_phone == "32 89 01 00" and offer.waiting_time is None and offer.kind is HelpKind.it_help
        offer_id = offer.id
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    public = client.get("/help").get_data(as_text=True)
    assert "IT-hjælp hver tirsdag" in public and "No waiting time" in public
    login(client, "admin@example.dk")
    edit = f"{base}/{offer_id}/edit"
    assert "IT-hjælp hver tirsdag" in client.get(edit).get_data(as_text=True)
    assert submit(client, edit, _offer(waiting_time="ca. 2 uger"), form_url=edit).status_code == 302
    assert submit(client, f"{base}/{offer_id}/active", form_url=base).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    public = client.get("/help").get_data(as_text=True)
    assert "IT-hjælp hver tirsdag" not in public
    with app.app_context():
        offer = db.session.get(HelpOffer, offer_id)
        assert offer.waiting_time == "ca. 2 uger" and not offer.active


def test_offers_of_an_organisation_that_is_not_approved_are_not_public(app, world, client):
    login(client, "ny@example.dk")
    base = f"/organisations/{world['pending']}/help-offers"
    assert submit(client, f"{base}/new", _offer(title="Skjult tilbud"), form_url=f"{base}/new").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    assert "Skjult tilbud" not in client.get("/help").get_data(as_text=True)


def test_nobody_else_keeps_an_organisations_offers(app, world, client):
    theirs = world["theirs"]
    anonymous = client.get(f"/organisations/{world['other']}/help-offers")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    login(client, "admin@example.dk")
    token = csrf_token(client, "/me")
    for method, path in [("GET", f"/organisations/{world['other']}/help-offers"),
                         ("GET", f"/organisations/{world['other']}/help-offers/{theirs}/edit"),
                         ("POST", f"/organisations/{world['other']}/help-offers/{theirs}/edit"),
                         ("POST", f"/organisations/{world['other']}/help-offers/{theirs}/active"),
                         # their offer through my own address
                         ("GET", f"/organisations/{world['org']}/help-offers/{theirs}/edit"),
                         ("POST", f"/organisations/{world['org']}/help-offers/{theirs}/edit"),
                         ("POST", f"/organisations/{world['org']}/help-offers/{theirs}/active")]:
        response = client.open(path, method=method, data={"csrf_token": token, **_offer(title="Kapret")})
        assert response.status_code in (403, 404), (method, path)
    with app.app_context():
        offer = db.session.get(HelpOffer, theirs)
        assert offer.title == "Lektiecafé" and offer.active
