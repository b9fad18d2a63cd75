"""The volunteer charter and contact persons on the web (issue 13): the coordinator's editor, the public
page, the accept page and its safe way back, the gate on the sign-up buttons, and the organisation form's
contact person for volunteers (required for municipal institutions)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.charter import services as charter
from portal.extensions import db
from portal.models import CodeAcceptance, CodeOfConduct, Organisation, OrganisationKind, Signup, utcnow
from tests.conftest import csrf_token, login, submit
from tests.factories import (add_member, make_code_of_conduct, make_organisation, make_slot, make_task,
                             make_user)


@pytest.fixture
def world(app):
    with app.app_context():
        coordinator = make_user(email="koordinator@example.dk", coordinator=True, locale="en", name="Anne Møller")
        admin = make_user(email="mette@example.dk", locale="en", name="Mette Lund")
        volunteer = make_user(email="karen@example.dk", locale="en", name="Karen Holm")
        org = make_organisation(admin=admin, name="Enggården", kind=OrganisationKind.care_home)
        org.requires_code_of_conduct = True
        org.volunteer_contact_name = "Birgit Sørensen"
        org.volunteer_contact_email = "birgit@example.dk"
        org.volunteer_contact_phone = "32 89 10 25"
        task = make_task(org, title="Cykeltur med beboerne")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=6), capacity=3)
        db.session.commit()
        ids = {"org": org.id, "slug": org.slug, "task": task.id, "slot": slot.id, "volunteer": volunteer.id}
    return ids


def publish(app, body_da="Vi møder hinanden med respekt og venlighed.", body_en="We meet each other with respect."):
    with app.app_context():
        code = make_code_of_conduct(body_da=body_da, body_en=body_en)
        db.session.commit()
        return code.version


def org_form(org_slug, **overrides):
    data = {"name": "Enggården", "kind": "care_home", "description": "Kommunens omsorgscenter med plejeboliger.",
            "address": "Vinkelvej 2", "postcode": "2791", "city": "Dragør", "website": "",
            "contact_name": "Mette Lund", "contact_email": "mette@example.dk", "contact_phone": "32891020",
            "volunteer_contact_name": "Birgit Sørensen", "volunteer_contact_email": "birgit@example.dk",
            "volunteer_contact_phone": "32891025", "picture_alt": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the public page ---------------------------------------------------------------------------

def test_the_charter_page_shows_the_current_version_in_the_readers_language(app, client, world):
    assert "not published the volunteer charter yet" in client.get("/charter?lang=en").get_data(as_text=True)
    publish(app, body_da="Vi møder hinanden med respekt.\n\nDu har tavshedspligt.",
            body_en="We treat each other with respect.\n\nYou keep what you hear to yourself.")
    page = client.get("/charter?lang=en").get_data(as_text=True)
    assert "Version 1" in page and "<p>You keep what you hear to yourself.</p>" in page
    assert "tavshedspligt" not in page
    assert "Du har tavshedspligt." in client.get("/charter?lang=da").get_data(as_text=True)
    # The footer links to it on every page.
    assert 'href="/charter"' in client.get("/?lang=en").get_data(as_text=True)


def test_old_versions_stay_readable_and_absurd_version_numbers_are_404(app, client, world):
    publish(app)
    publish(app, body_en="Second version, with a new point.")
    old = client.get("/charter/versions/1?lang=en").get_data(as_text=True)
    assert "This is an older version." in old and "We meet each other with respect." in old
    assert "Version 2" in client.get("/charter/versions?lang=en").get_data(as_text=True)
    for bad in ("3", "0", "99999999999999999999999", "-1", "abc"):
        assert client.get(f"/charter/versions/{bad}").status_code == 404


def test_the_text_is_shown_as_text_never_as_html(app, client, world):
    publish(app, body_en="<script>alert(1)</script> Be kind to each other, always.")
    page = client.get("/charter?lang=en").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the coordinator's editor ------------------------------------------------------------------

def test_only_the_coordinator_may_open_the_editor(app, client, world):
    assert client.get("/coordinator/charter").status_code == 302  # to the login page
    login(client, "karen@example.dk")
    assert client.get("/coordinator/charter").status_code == 403
    assert client.post("/coordinator/charter", data={"body_da": "x" * 30, "body_en": "y" * 30}).status_code in (400, 403)
    with app.app_context():
        assert db.session.scalar(select(CodeOfConduct.id)) is None


def test_the_coordinator_publishes_versions_and_sees_how_many_accepted(app, client, world):
    login(client, "koordinator@example.dk")
    page = client.get("/coordinator/charter?lang=en").get_data(as_text=True)
    assert "Publish as version 1" in page and "No version has been published yet." in page
    response = submit(client, "/coordinator/charter", {"body_da": "Vi møder hinanden med respekt.",
                                                        "body_en": "We meet each other with respect."})
    assert response.status_code == 302
    with app.app_context():
        code = charter.current()
        charter.record_acceptance(db.session.get(type(make_user()), world["volunteer"]), code, now=utcnow())
        db.session.commit()
    page = client.get("/coordinator/charter?lang=en").get_data(as_text=True)
    assert "Publish as version 2" in page and "We meet each other with respect." in page  # prefilled
    assert "Anne Møller" in page and '<td class="text-align-right">1</td>' in page
    # The coordinator index links to the editor.
    assert 'href="/coordinator/charter"' in client.get("/coordinator?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("body_da, message", [
    ("", "Write the charter in Danish."),
    ("kort", "Write between 20 and 20000 characters"),
    ("x" * 20001, "Write between 20 and 20000 characters"),
])
def test_a_bad_text_comes_back_with_a_message_and_what_was_typed(app, client, world, body_da, message):
    login(client, "koordinator@example.dk")
    english = "We meet each other with respect 🙂 \u202eevil\u202c and kindness."
    response = submit(client, "/coordinator/charter?lang=en", {"body_da": body_da, "body_en": english},
                      form_url="/coordinator/charter?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "We meet each other with respect 🙂" in page  # round-tripped
    with app.app_context():
        assert db.session.scalar(select(CodeOfConduct.id)) is None


def test_nul_bytes_and_control_characters_never_reach_the_database(app, client, world):
    login(client, "koordinator@example.dk")
    refused = submit(client, "/coordinator/charter", {"body_da": "Vi møder\x00 hinanden med respekt.",
                                                       "body_en": "We meet\x00 each other with respect."})
    assert refused.status_code == 400  # the site refuses NUL bytes before any view
    with app.app_context():
        assert charter.current() is None
    response = submit(client, "/coordinator/charter", {"body_da": "Vi møder\x07 hinanden med respekt.\x1b",
                                                        "body_en": "We meet each other with respect."})
    assert response.status_code == 302
    with app.app_context():
        assert charter.current().body_da == "Vi møder hinanden med respekt."


# --- the gate and the accept page ------------------------------------------------------------

def test_signing_up_sends_the_volunteer_to_accept_and_back_to_the_task(app, client, world):
    publish(app)
    login(client, "karen@example.dk")
    task_page = client.get(f"/tasks/{world['task']}?lang=en").get_data(as_text=True)
    assert "This organisation asks you to accept the volunteer charter before you sign up." in task_page
    token = csrf_token(client, f"/tasks/{world['task']}")
    response = client.post(f"/slots/{world['slot']}/signup", data={"csrf_token": token, "action": "signup"})
    assert response.status_code == 302 and response.location.startswith("/charter/accept?next=")
    with app.app_context():
        assert db.session.scalar(select(Signup.id)) is None
    page = client.get(response.location).get_data(as_text=True)
    assert "asks volunteers to accept the volunteer charter" in page and "We meet each other with respect." in page
    # Not ticking the box: a message next to it, nothing recorded.
    refused = client.post("/charter/accept", data={"csrf_token": token, "version": "1",
                                                   "next": f"/tasks/{world['task']}#slot-{world['slot']}"})
    assert "Tick the box to accept the volunteer charter." in refused.get_data(as_text=True)
    accepted = client.post("/charter/accept", data={"csrf_token": token, "version": "1", "accept": "y",
                                                    "next": f"/tasks/{world['task']}#slot-{world['slot']}"})
    assert accepted.status_code == 302 and accepted.location == f"/tasks/{world['task']}#slot-{world['slot']}"
    back = client.get(f"/tasks/{world['task']}?lang=en").get_data(as_text=True)
    assert "Now choose your time again." in back  # not signed up automatically
    assert "You have accepted the volunteer charter" in back
    with app.app_context():
        assert db.session.scalar(select(Signup.id)) is None
        assert db.session.scalar(select(CodeAcceptance.user_id)) == world["volunteer"]
    signed = client.post(f"/slots/{world['slot']}/signup", data={"csrf_token": token, "action": "signup"})
    assert signed.location.endswith(f"#slot-{world['slot']}")
    with app.app_context():
        assert db.session.scalar(select(Signup.user_id)) == world["volunteer"]


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example",
                                    "javascript:alert(1)", "x" * 5000, "https:/\\evil.example"])
def test_the_way_back_never_leaves_the_site(app, client, world, target):
    publish(app)
    login(client, "karen@example.dk")
    page = client.get("/charter/accept", query_string={"next": target})
    assert page.status_code == 200 and "evil.example" not in page.get_data(as_text=True)
    token = csrf_token(client, "/charter/accept")
    response = client.post("/charter/accept", data={"csrf_token": token, "version": "1", "accept": "y", "next": target})
    assert response.status_code == 302 and response.location == "/charter"


def test_a_line_break_or_nul_in_the_way_back_neither_leaves_the_site_nor_adds_a_header(app, client, world):
    publish(app)
    login(client, "karen@example.dk")
    assert client.get("/charter/accept", query_string={"next": "/\x00"}).status_code == 400
    token = csrf_token(client, "/charter/accept")
    response = client.post("/charter/accept", data={"csrf_token": token, "version": "1", "accept": "y",
                                                    "next": "/tasks/1\r\nSet-Cookie: x=1"})
    assert response.status_code == 302 and response.location.startswith("/tasks/1")
    assert not any("x=1" in value for key, value in response.headers if key.lower() == "set-cookie")
    assert "\n" not in response.location


def test_a_version_published_while_the_page_was_open_must_be_read_first(app, client, world):
    publish(app)
    login(client, "karen@example.dk")
    token = csrf_token(client, "/charter/accept")
    publish(app, body_en="The new version with one more point.")
    response = client.post("/charter/accept?lang=en", data={"csrf_token": token, "version": "1", "accept": "y",
                                                            "next": "/"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The charter has just been updated" in page
    assert "The new version with one more point." in page
    with app.app_context():
        assert db.session.scalar(select(CodeAcceptance.id)) is None


def test_the_accept_page_needs_a_login_and_says_so_when_there_is_no_charter(app, client, world):
    assert client.get("/charter/accept").status_code == 302
    login(client, "karen@example.dk")
    assert "nothing to accept" in client.get("/charter/accept?lang=en").get_data(as_text=True)


def test_the_series_form_leads_to_the_charter_too(app, client, world):
    publish(app)
    login(client, "karen@example.dk")
    token = csrf_token(client, f"/tasks/{world['task']}")
    day = (utcnow() + timedelta(days=6)).date()
    response = client.post(f"/tasks/{world['task']}/series", data={
        "csrf_token": token, "first": day.isoformat(), "last": day.isoformat()})
    assert response.status_code == 302 and response.location.startswith("/charter/accept?next=")


# --- contact persons on the organisation form and pages ------------------------------------------

def test_a_municipal_institution_must_name_a_contact_person_for_volunteers(app, client, world):
    login(client, "mette@example.dk")
    url = f"/organisations/{world['slug']}/edit?lang=en"
    response = submit(client, url, org_form(world["slug"], volunteer_contact_name="", volunteer_contact_email="",
                                            volunteer_contact_phone="", description="Omsorgscenter 🙂 \u202eRTL\u202c "
                                                                                    "med plejeboliger."),
                      form_url=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A municipal institution names a contact person for volunteers. Enter a name." in page
    assert "Enter an e-mail address or a phone number for the contact person for volunteers." in page
    assert "Omsorgscenter 🙂" in page  # what was typed comes back


def test_an_association_may_leave_the_contact_person_for_volunteers_empty(app, client, world):
    with app.app_context():
        admin = make_user(email="poul@example.dk", locale="en")
        club = make_organisation(admin=admin, name="Repaircaféen")
        db.session.commit()
        slug = club.slug
    login(client, "poul@example.dk")
    url = f"/organisations/{slug}/edit"
    response = submit(client, url, org_form(slug, name="Repaircaféen", kind="association",
                                            volunteer_contact_name="", volunteer_contact_email="",
                                            volunteer_contact_phone=""))
    assert response.status_code == 302
    with app.app_context():
        club = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        assert club.volunteer_contact_name is None and club.requires_code_of_conduct is False


def test_the_form_saves_the_contact_person_and_the_charter_requirement(app, client, world):
    login(client, "mette@example.dk")
    url = f"/organisations/{world['slug']}/edit"
    response = submit(client, url, org_form(world["slug"], volunteer_contact_name="Birgit\r\nSørensen",
                                            volunteer_contact_email="", volunteer_contact_phone="32 89 10 99",
                                            requires_code_of_conduct="y"))
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organisation, world["org"])
        assert org.volunteer_contact_name == "Birgit Sørensen"  # one line
        assert org.volunteer_contact_email is None and org.requires_code_of_conduct is True
    response = submit(client, url, org_form(world["slug"]))  # unticked
    with app.app_context():
        assert db.session.get(Organisation, world["org"]).requires_code_of_conduct is False


@pytest.mark.parametrize("field, value, message", [
    ("volunteer_contact_name", "x" * 10000, "Write at most 120 characters"),
    ("volunteer_contact_email", "not-an-address", "e-mail"),
    ("volunteer_contact_phone", "☎️ \u202e0010 98 23", "Enter a phone number"),
    ("volunteer_contact_phone", "12", "Enter a phone number"),
])
def test_hostile_contact_details_get_a_message_at_the_field(app, client, world, field, value, message):
    login(client, "mette@example.dk")
    url = f"/organisations/{world['slug']}/edit?lang=en"
    response = submit(client, url, org_form(world["slug"], **{field: value}), form_url=url)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_applying_as_a_school_asks_for_the_contact_person_for_volunteers(app, client, world):
    login(client, "karen@example.dk")
    url = "/organisations/apply?lang=en"
    data = org_form("", name="Dragør Skole", kind="school", volunteer_contact_name="", volunteer_contact_email="",
                    volunteer_contact_phone="")
    page = submit(client, url, data, form_url=url).get_data(as_text=True)
    assert "A municipal institution names a contact person for volunteers." in page
    assert "requires_code_of_conduct" not in page  # the charter choice is made on the edit page
    response = submit(client, url, {**data, "volunteer_contact_name": "Lars Kjær",
                                     "volunteer_contact_phone": "32893045"}, form_url=url)
    assert response.status_code == 302
    with app.app_context():
        school = db.session.scalar(select(Organisation).where(Organisation.name == "Dragør Skole"))
        assert (school.volunteer_contact_name, school.volunteer_contact_phone) == ("Lars Kjær", "32 89 30 45")


def test_the_contact_person_is_on_the_organisation_and_task_pages_and_details_only_for_logged_in(app, client,
                                                                                                   world):
    for url in (f"/organisations/{world['slug']}?lang=en", f"/tasks/{world['task']}?lang=en"):
        page = client.get(url).get_data(as_text=True)
        assert "Contact person for volunteers" in page and "Birgit Sørensen" in page
        assert "birgit@example.dk" not in page and "32 89 10 25" not in page
    login(client, "karen@example.dk")
    for url in (f"/organisations/{world['slug']}?lang=en", f"/tasks/{world['task']}?lang=en"):
        page = client.get(url).get_data(as_text=True)
        assert "birgit@example.dk" in page and "32 89 10 25" in page


def test_an_offer_link_answered_after_a_new_version_leads_to_the_charter_and_back(app, client, world):
    from portal.models import Slot, SignupState, User
    from portal.signups import services as signups
    publish(app)
    with app.app_context():
        slot = db.session.get(Slot, world["slot"])
        slot.capacity = 1
        karen, other = db.session.get(User, world["volunteer"]), make_user()
        code = charter.current()
        for person in (karen, other):
            charter.record_acceptance(person, code, now=utcnow())
        held = signups.sign_up(other, slot, now=utcnow())
        waiting = signups.join_waitlist(karen, slot, now=utcnow())
        signups.cancel(held, now=utcnow())
        assert waiting.state is SignupState.offered
        token = signups._new_link(waiting)
        db.session.commit()
    publish(app, body_en="Version two: one more point about trips.")
    login(client, "karen@example.dk")
    url = f"/signups/respond/{token}"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "answer": "accept"})
    assert response.status_code == 302 and response.location.startswith("/charter/accept?next=")
    with app.app_context():
        assert db.session.scalar(select(Signup.state).where(Signup.user_id == world["volunteer"])) \
            is SignupState.offered  # the seat is still held
    accepted = client.post("/charter/accept", data={"csrf_token": csrf_token(client, "/charter/accept"),
                                                    "version": "2", "accept": "y", "next": url})
    assert accepted.location == url
    done = client.post(url, data={"csrf_token": csrf_token(client, url), "answer": "accept"})
    assert done.status_code == 302 and done.location.startswith(f"/tasks/{world['task']}")
