"""Apply → coordinator approves (or rejects with a reason) → admin invites a colleague who
accepts, through the test client, with the e-mails each person gets."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Organisation, OrganisationStatus
from tests.conftest import login, submit
from tests.factories import make_user

APPLICATION = {"name": "Dragør Læseklub", "kind": "association",
               "description": "Vi læser højt for børn og ældre hver uge på biblioteket.",
               "address": "Kongevejen 3", "postcode": "2791", "city": "Dragør", "website": "",
               "contact_name": "Lene", "contact_email": "lene@example.dk", "contact_phone": "32890100"}


def link(messages, to, path):
    [mail] = [m for m in messages if m["To"] == to and path in m.get_body().get_content()]
    return re.search(rf"http://localhost({path}\S*)", mail.get_body().get_content()).group(1)


def test_apply_approve_invite_accept(app, outbox):
    with app.app_context():
        make_user(email="lene@example.dk")
        make_user(email="anne@example.dk", coordinator=True)
        make_user(email="jonas@example.dk", locale="en")
        db.session.commit()
    lene, anne, jonas = app.test_client(), app.test_client(), app.test_client()
    login(lene, "lene@example.dk")
    response = submit(lene, "/organisations/apply", APPLICATION)
    assert response.headers["Location"] == "/organisations/dragoer-laeseklub"
    assert app.test_client().get("/organisations/dragoer-laeseklub").status_code == 404  # not public yet
    review = link(outbox(), "anne@example.dk", "/coordinator/organisations/")

    login(anne, "anne@example.dk")
    assert "Dragør Læseklub" in anne.get("/coordinator").get_data(as_text=True)
    assert submit(anne, review + "/approve", form_url=review).status_code == 302
    assert "Dragør Læseklub" in app.test_client().get("/organisations").get_data(as_text=True)
    assert any("Dragør Læseklub" in m["Subject"] for m in outbox() if m["To"] == "lene@example.dk")

    members = "/organisations/dragoer-laeseklub/members"
    assert submit(lene, members, {"email": "jonas@example.dk", "role": "member"}).status_code == 302
    invitation = link(outbox(), "jonas@example.dk", "/invitations/")
    [mail] = [m for m in outbox() if m["To"] == "jonas@example.dk"]
    assert "invites you" in mail["Subject"]  # in Jonas's own language
    assert jonas.get(invitation).headers["Location"].startswith("/login")
    login(jonas, "jonas@example.dk")
    assert submit(jonas, invitation).headers["Location"] == "/organisations/dragoer-laeseklub"
    assert "jonas@example.dk" in lene.get(members).get_data(as_text=True)


def test_a_rejection_needs_a_reason_which_the_applicant_receives(app, outbox):
    with app.app_context():
        make_user(email="lene@example.dk")
        make_user(email="anne@example.dk", coordinator=True)
        db.session.commit()
    lene, anne = app.test_client(), app.test_client()
    login(lene, "lene@example.dk")
    submit(lene, "/organisations/apply", APPLICATION)
    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id))
    login(anne, "anne@example.dk")
    review = f"/coordinator/organisations/{org_id}"
    empty = submit(anne, review + "/reject?lang=en", {"reason": "  "}, form_url=review)
    assert empty.status_code == 400 and "Write a reason" in empty.get_data(as_text=True)
    submit(anne, review + "/reject", {"reason": "Det er en opgave for personalet."}, form_url=review)
    with app.app_context():
        assert db.session.get(Organisation, org_id).status is OrganisationStatus.rejected
    [mail] = [m for m in outbox() if m["To"] == "lene@example.dk" and "Det er en opgave" in m.get_body().get_content()]
    assert mail


def test_the_coordinator_can_suspend_and_the_public_profile_disappears(app):
    with app.app_context():
        from tests.factories import make_organisation
        org = make_organisation(admin=make_user(), name="Støjende Forening")
        make_user(email="anne@example.dk", coordinator=True)
        db.session.commit()
        org_id, slug = org.id, org.slug
    anne = app.test_client()
    login(anne, "anne@example.dk")
    review = f"/coordinator/organisations/{org_id}"
    submit(anne, review + "/suspend", {"reason": "Midlertidigt lukket"}, form_url=review)
    assert app.test_client().get(f"/organisations/{slug}").status_code == 404
    submit(anne, review + "/reinstate", form_url=review)
    assert app.test_client().get(f"/organisations/{slug}").status_code == 200


def test_the_coordinator_extends_the_category_list_in_both_languages(app, client):
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True)
        db.session.commit()
    login(client, "anne@example.dk")
    missing = submit(client, "/coordinator/categories?lang=en", {"name_da": "Musik", "name_en": ""},
                     form_url="/coordinator/categories").get_data(as_text=True)
    assert "Enter the English name" in missing and 'value="Musik"' in missing
    assert submit(client, "/coordinator/categories", {"name_da": "Musik", "name_en": "Music"}).status_code == 302
    twice = submit(client, "/coordinator/categories?lang=en", {"name_da": "musik", "name_en": "Music"},
                   form_url="/coordinator/categories").get_data(as_text=True)
    assert "already exists" in twice
    assert '<option value="musik">Musik</option>' in client.get("/tasks?lang=da").get_data(as_text=True)
    assert '<option value="musik">Music</option>' in client.get("/tasks?lang=en").get_data(as_text=True)
