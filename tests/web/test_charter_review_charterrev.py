"""Review of the volunteer charter (issue 13): the sign-up paths nobody planned for."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.charter import services as charter
from portal.core.text import hash_token
from portal.extensions import db
from portal.models import CodeAcceptance, OrganisationKind, Signup, SignupState, TaskInvitation, utcnow
from tests.conftest import csrf_token, login
from tests.factories import make_code_of_conduct, make_organisation, make_slot, make_task, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        admin = make_user(email="mette@example.dk", locale="en", name="Mette Lund")
        volunteer = make_user(email="karen@example.dk", locale="en", name="Karen Holm")
        org = make_organisation(admin=admin, name="Enggården", kind=OrganisationKind.care_home)
        org.requires_code_of_conduct = True
        task = make_task(org, title="Cykeltur med beboerne")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=6), capacity=3)
        make_code_of_conduct(body_da="Vi møder hinanden med respekt og venlighed.",
                             body_en="We meet each other with respect.")
        db.session.add(TaskInvitation(task_id=task.id, slot_id=slot.id, user_id=volunteer.id,
                                      invited_by_id=admin.id, token_hash=hash_token("invite-token"), sent_at=utcnow()))
        db.session.commit()
        return {"task": task.id, "slot": slot.id, "volunteer": volunteer.id}


def test_an_invitation_accepted_before_the_charter_leads_to_the_charter_and_back(app, client, world):
    """An organisation invites Karen by mail; she clicks 'Sign me up'. Before: a red box said 'please read
    it and accept it' with no way to the charter. Now she is taken to the accept page and back."""
    login(client, "karen@example.dk")
    url = "/invitations/task/invite-token"
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302 and response.location.startswith("/charter/accept?next=")
    accepted = client.post("/charter/accept", data={"csrf_token": csrf_token(client, "/charter/accept"),
                                                    "version": "1", "accept": "y", "next": url})
    assert accepted.location == url
    done = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert done.status_code == 302 and done.location.startswith(f"/tasks/{world['task']}")
    with app.app_context():
        assert db.session.scalar(select(Signup.state).where(Signup.user_id == world["volunteer"])) \
            is SignupState.confirmed


def _offer(app, world):
    """Karen waits for a full time, a seat comes free and is held for her with a mail link."""
    from portal.models import Slot, User
    from portal.signups import services as signups
    with app.app_context():
        slot = db.session.get(Slot, world["slot"])
        slot.capacity = 1
        karen, other = db.session.get(User, world["volunteer"]), make_user()
        for person in (karen, other):
            charter.record_acceptance(person, charter.current(), now=utcnow())
        held = signups.sign_up(other, slot, now=utcnow())
        waiting = signups.join_waitlist(karen, slot, now=utcnow())
        signups.cancel(held, now=utcnow())
        token = signups._new_link(waiting)
        make_code_of_conduct(body_da="Version to: et punkt mere om ture.", body_en="Version two: one more point.")
        db.session.commit()
    return f"/signups/respond/{token}"


def test_an_offer_link_opened_logged_out_goes_through_login_and_the_charter_and_back(app, client, world):
    url = _offer(app, world)
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "answer": "accept"})
    assert response.status_code == 302 and response.location.startswith("/charter/accept?next=")
    to_login = client.get(response.location)
    assert to_login.status_code == 302 and "/login" in to_login.location
    login_page = client.get(to_login.location)
    assert login_page.status_code == 200
    from tests.conftest import submit
    from urllib.parse import parse_qs, urlsplit
    back = parse_qs(urlsplit(to_login.location).query)["next"][0]  # the login form's hidden field
    after = submit(client, to_login.location, {"email": "karen@example.dk", "password": "correct horse battery",
                                               "next": back}, form_url=to_login.location)
    assert after.status_code == 302 and after.location.startswith("/charter/accept?next=")
    accepted = client.post("/charter/accept", data={"csrf_token": csrf_token(client, after.location),
                                                    "version": "2", "accept": "y", "next": url})
    assert accepted.location == url


def test_an_offer_link_opened_while_someone_else_is_logged_in_does_not_go_round_in_circles(app, client, world):
    """Karen's offer mail opened on the family tablet where her husband is logged in: accepting the charter
    as him never lets her offer through, so the page must not send him to the charter again and again."""
    url = _offer(app, world)
    with app.app_context():
        make_user(email="husband@example.dk", locale="en")
        db.session.commit()
    login(client, "husband@example.dk")
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "answer": "accept"})
    assert response.status_code == 409  # the offer page, with the charter message on it
    assert "volunteer charter" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Signup.state).where(Signup.user_id == world["volunteer"])) \
            is SignupState.offered


def test_staff_can_take_an_offered_place_for_a_citizen_without_email_after_a_new_charter(app, client, world):
    """A citizen without e-mail waits for a full time at Enggården; the coordinator publishes version 2;
    a place comes free. Before: 'Accept the place' said 'please read it and accept it' and there was no way
    to record the citizen's yes for a place already held (the sign-up form said 'already signed up'), so the
    place was lost. Now the offer form has the read-out box."""
    from portal.assisted import services as assisted
    from portal.models import AssistedProfile, Slot, User
    from portal.signups import services as signups
    with app.app_context():
        staff = make_user(email="anne@example.dk", coordinator=True, locale="en")
        slot = db.session.get(Slot, world["slot"])
        slot.capacity = 1
        other = db.session.get(User, world["volunteer"])
        charter.record_acceptance(other, charter.current(), now=utcnow())
        held = signups.sign_up(other, slot, now=utcnow())
        from tests.factories import make_assisted
        citizen = make_assisted(recorded_by=staff, name="Inger Hansen")
        profile = db.session.scalar(select(AssistedProfile).where(AssistedProfile.user_id == citizen.id))
        waiting = assisted.sign_up_for(staff, profile, slot.id, now=utcnow(), charter_read=True)
        make_code_of_conduct(body_da="Version to: et punkt mere om ture.", body_en="Version two: one more point.")
        signups.cancel(held, now=utcnow())
        assert waiting.state is SignupState.offered
        db.session.commit()
        ids = {"citizen": citizen.id, "signup": waiting.id}
    login(client, "anne@example.dk")
    page_url = f"/coordinator/assisted/{ids['citizen']}?lang=en"
    page = client.get(page_url).get_data(as_text=True)
    assert "I have read the volunteer charter to the citizen" in page
    url = f"/coordinator/assisted/{ids['citizen']}/signups/{ids['signup']}/accept"
    without = client.post(url, data={"csrf_token": csrf_token(client, page_url)}, follow_redirects=True)
    assert "Read it to the citizen" in without.get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf_token(client, page_url), "charter": "y"})
    with app.app_context():
        assert db.session.get(Signup, ids["signup"]).state is SignupState.confirmed
        row = db.session.scalar(select(CodeAcceptance).where(CodeAcceptance.user_id == ids["citizen"],
                                                            CodeAcceptance.code_id == charter.current().id))
        assert row is not None and row.recorded_by_id is not None
