"""Assisted profiles through the test client: the coordinator's form keeps what was typed and says what
is wrong next to the field (phone and address required, consent day not in the future, hostile input
never a 500); an organisation admin sees only their own organisation's citizens; an ordinary account's id
is never loadable as an assisted profile; the call list shows whom to phone and marks a call done; the
roster shows an assisted citizen's phone instead of an e-mail."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AssistedProfile, CallListItem, MembershipRole, User, utcnow
from tests.conftest import login, submit
from tests.factories import add_member, make_assisted, make_organisation, make_slot, make_task, make_user


def _text(response) -> str:
    return response.get_data(as_text=True)


def _day(name, d):
    return {f"{name}-day": str(d.day), f"{name}-month": str(d.month), f"{name}-year": str(d.year)}


def _form(**overrides):
    data = {"name": "Erna Holm", "phone": "32 53 12 34", "postal_address": "Strandstræde 3, 2791 Dragør",
            "locale": "da", "consent_method": "phone", "explained": "y", "note": "Ring efter kl. 10",
            **_day("consent_given_on", date.today() - timedelta(days=1))}
    data.update(overrides)
    return data


@pytest.fixture
def world(app):
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True, locale="en")
        mette = make_user(email="mette@example.dk", locale="en")
        other_admin = make_user(email="ole@example.dk", locale="en")
        plain = make_user(email="bo@example.dk", locale="en")
        engg = make_organisation(admin=mette, name="Enggården")
        other = make_organisation(admin=other_admin, name="Dragør Roklub")
        task = make_task(engg, title="Fællessang")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=3), capacity=4)
        mine = make_assisted(name="Erna Holm", organisation=engg, recorded_by=mette)
        theirs = make_assisted(name="Poul Jensen", organisation=other, recorded_by=other_admin)
        db.session.commit()
        return {"engg": engg.slug, "other": other.slug, "mine": mine.id, "theirs": theirs.id, "plain": plain.id,
                "slot": slot.id, "task": task.id}


def test_the_coordinator_creates_a_profile_and_lands_on_it(app, client, world):
    login(client, "anne@example.dk")
    response = submit(client, "/coordinator/assisted/new?lang=en", _form(name="Karen Lund", phone="40 11 22 33"))
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "Karen Lund" in page and "Strandstræde 3" in page
    assert "Given by phone" in page


def test_phone_and_address_are_required_and_what_was_typed_comes_back(app, client, world):
    login(client, "anne@example.dk")
    response = submit(client, "/coordinator/assisted/new?lang=en", _form(phone="", postal_address="",
                                                                          name="Kirsten Ø"))
    page = _text(response)
    assert response.status_code == 400
    assert "Enter a phone number" in page and "Enter the postal address" in page
    assert 'value="Kirsten Ø"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(AssistedProfile.id))) == 2


def test_consent_in_the_future_is_refused_next_to_its_field(app, client, world):
    login(client, "anne@example.dk")
    future = date.today() + timedelta(days=3)
    response = submit(client, "/coordinator/assisted/new?lang=en", _form(**_day("consent_given_on", future)))
    assert response.status_code == 400
    assert "cannot be in the future" in _text(response)


@pytest.mark.parametrize("hostile", ["Erna\x00Holm", "Erna\nHolm", "x" * 10000, "Erna 👵 \u202eHolm"])
def test_hostile_input_never_breaks_the_form(app, client, world, hostile):
    login(client, "anne@example.dk")
    response = submit(client, "/coordinator/assisted/new?lang=en",
                      _form(name=hostile, postal_address=hostile, note=hostile, **_day("consent_given_on", date(9999, 1, 1))))
    assert response.status_code in (400, 302)
    response = submit(client, "/coordinator/assisted/new?lang=en", _form(name=hostile, phone="Erna\x00"))
    assert response.status_code < 500


def test_a_duplicate_asks_for_confirmation_before_a_second_profile(app, client, world):
    login(client, "anne@example.dk")
    response = submit(client, "/coordinator/assisted/new?lang=en", _form(phone="32 12 34 56"))
    assert response.status_code == 400 and "already has a profile" in _text(response)
    response = submit(client, "/coordinator/assisted/new?lang=en", _form(phone="32 12 34 56", confirm_duplicate="y"))
    assert response.status_code == 302


def test_an_organisation_admin_sees_only_their_own_citizens(app, client, world):
    login(client, "mette@example.dk")
    page = _text(client.get(f"/organisations/{world['engg']}/assisted?lang=en"))
    assert "Erna Holm" in page and "Poul Jensen" not in page
    assert client.get(f"/coordinator/assisted/{world['theirs']}").status_code == 403
    assert client.get(f"/organisations/{world['other']}/assisted").status_code == 403
    assert client.get("/coordinator/assisted").status_code == 403
    assert client.get("/coordinator/call-list").status_code == 403
    assert client.get(f"/coordinator/assisted/{world['mine']}?lang=en").status_code == 200


def test_an_ordinary_member_is_not_an_admin_here(app, client, world):
    with app.app_context():
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation).where(Organisation.slug == world["engg"]))
        add_member(org, db.session.get(User, world["plain"]), MembershipRole.member)
        db.session.commit()
    login(client, "bo@example.dk")
    assert client.get(f"/organisations/{world['engg']}/assisted").status_code == 403
    assert client.get(f"/coordinator/assisted/{world['mine']}").status_code == 403


def test_an_ordinary_accounts_id_is_not_an_assisted_profile(app, client, world):
    login(client, "anne@example.dk")
    assert client.get(f"/coordinator/assisted/{world['plain']}").status_code == 404
    assert client.get(f"/coordinator/assisted/{world['plain']}/export").status_code == 404
    assert client.get(f"/coordinator/assisted/{2**40}").status_code == 404


def test_sign_up_from_the_profile_and_the_roster_shows_the_phone(app, client, world):
    login(client, "mette@example.dk")
    url = f"/coordinator/assisted/{world['mine']}"
    page = _text(client.get(f"{url}?lang=en&q=Fælles"))
    assert "Fællessang" in page
    response = submit(client, f"{url}/signups", {"slot": str(world["slot"])}, form_url=url)
    assert response.status_code == 302
    assert "Fællessang" in _text(client.get(f"{url}?lang=en"))
    bad = submit(client, f"{url}/signups", {"slot": "99999999999"}, form_url=url)
    assert bad.status_code == 400 and "Choose a time" in _text(bad)
    schedule = _text(client.get(f"{url}/schedule?lang=en"))
    # The paper is in the citizen's language (Danish), whatever the staff member reads.
    assert "Fællessang" in schedule and 'lang="da"' in schedule and "assisted-readout" in schedule


def test_the_call_list_shows_whom_to_phone_and_marks_a_call_done(app, client, world):
    with app.app_context():
        db.session.add(CallListItem(user_id=world["mine"], reason="reminder", subject="Reminder: Fællessang",
                                    body="Hello Erna Holm, a reminder"))
        db.session.commit()
        item_id = db.session.scalar(select(CallListItem.id))
    login(client, "anne@example.dk")
    page = _text(client.get("/coordinator/call-list?lang=en"))
    assert "Erna Holm" in page and "Reminder: Fællessang" in page and "Hello Erna Holm, a reminder" in page
    response = submit(client, f"/coordinator/call-list/{item_id}/called?next=/coordinator/call-list",
                      {"outcome": "Kommer gerne"}, form_url="/coordinator/call-list")
    assert response.status_code == 302 and response.headers["Location"].endswith("/coordinator/call-list")
    page = _text(client.get("/coordinator/call-list?lang=en"))
    assert "Nobody to phone right now" in page and "Kommer gerne" in page
    evil = submit(client, f"/coordinator/call-list/{item_id}/called?next=https://evil.example",
                  {"outcome": "x"}, form_url="/coordinator/call-list")
    assert "evil" not in evil.headers["Location"]


def test_another_organisations_admin_cannot_mark_a_call(app, client, world):
    with app.app_context():
        db.session.add(CallListItem(user_id=world["mine"], reason="reminder", subject="S", body="B"))
        db.session.commit()
        item_id = db.session.scalar(select(CallListItem.id))
    login(client, "ole@example.dk")
    response = submit(client, f"/coordinator/call-list/{item_id}/called", {},
                      form_url=f"/organisations/{world['other']}/call-list")
    assert response.status_code == 403


def test_take_over_link_sets_a_password_and_then_is_dead(app, client, world):
    login(client, "anne@example.dk")
    url = f"/coordinator/assisted/{world['mine']}"
    response = submit(client, f"{url}/takeover", {"email": "bo@example.dk"}, form_url=url)
    assert response.status_code == 400 and "already uses" in _text(response)
    response = submit(client, f"{url}/takeover", {"email": "erna@example.dk"}, form_url=url)
    assert response.status_code == 302
    with app.app_context():
        from portal.models import OutboxMessage
        body = db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.to_email == "erna@example.dk"))
    token = body.split("/assisted/takeover/")[1].split()[0]
    citizen = app.test_client()
    link = f"/assisted/takeover/{token}"
    short = submit(citizen, link, {"password": "kort", "confirm": "kort", "accept_terms": "y"})
    assert short.status_code == 400
    done = submit(citizen, link, {"password": "en lang sang om havet", "confirm": "en lang sang om havet",
                                  "accept_terms": "y"})
    assert done.status_code == 302
    login(citizen, "erna@example.dk", "en lang sang om havet")
    assert app.test_client().get(link).status_code == 404
    assert client.get(url).status_code == 404  # no longer an assisted profile


def test_delete_needs_the_box_ticked_and_then_removes_the_citizen(app, client, world):
    login(client, "anne@example.dk")
    url = f"/coordinator/assisted/{world['mine']}/delete"
    assert submit(client, url, {}).status_code == 400
    response = submit(client, url, {"sure": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, world["mine"]) is None


def test_export_is_a_json_file(app, client, world):
    login(client, "anne@example.dk")
    response = client.get(f"/coordinator/assisted/{world['mine']}/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "Erna Holm" in _text(response)


def test_the_roster_and_its_csv_show_the_phone_of_a_citizen_without_email_never_none(app, client, world):
    with app.app_context():
        from portal.signups.services import sign_up
        from portal.models import Slot
        sign_up(db.session.get(User, world["mine"]), db.session.get(Slot, world["slot"]), now=utcnow(),
                send_mail=False)
        db.session.commit()
    login(client, "mette@example.dk")
    page = _text(client.get(f"/slots/{world['slot']}/roster?lang=en"))
    assert "Erna Holm" in page and "no e-mail — phone: 32 12 34 56" in page and "None" not in page
    assert "mailto:None" not in page
    csv_body = _text(client.get(f"/slots/{world['slot']}/roster.csv"))
    assert "Erna Holm" in csv_body and "None" not in csv_body
    csv_body = _text(client.get(f"/tasks/{world['task']}/roster.csv"))
    assert "Erna Holm" in csv_body and "None" not in csv_body



def test_edit_round_trips_bad_input_and_saves_good_input(app, client, world):
    login(client, "mette@example.dk")
    url = f"/coordinator/assisted/{world['mine']}/edit"
    page = _text(client.get(f"{url}?lang=en"))
    assert 'value="Erna Holm"' in page and 'value="2"' in page  # the birth day is filled in
    bad = submit(client, url, {"name": "Erna Holm", "phone": "12", "postal_address": "x" * 10000,
                               "locale": "da", "note": "", **_day("birth_date", date(9999, 1, 1))})
    assert bad.status_code == 400
    text = _text(bad)
    assert "Enter a phone number with 8 digits" in text and "You wrote 10000" in text
    good = submit(client, url, {"name": "Erna Holm", "phone": "32 99 88 77", "postal_address": "Strandstræde 3",
                                "locale": "en", "note": "Ring efter 10", **_day("birth_date", date(1939, 4, 2))})
    assert good.status_code == 302
    page = _text(client.get(f"/coordinator/assisted/{world['mine']}?lang=en"))
    assert "Strandstræde 3" in page and "Ring efter 10" in page


def test_long_or_odd_input_on_the_small_forms_is_a_message_not_a_500(app, client, world):
    with app.app_context():
        db.session.add(CallListItem(user_id=world["mine"], reason="reminder", subject="S", body="B"))
        db.session.commit()
        item_id = db.session.scalar(select(CallListItem.id))
    login(client, "anne@example.dk")
    url = f"/coordinator/assisted/{world['mine']}"
    response = submit(client, f"/coordinator/call-list/{item_id}/called", {"outcome": "x" * 10000},
                      form_url="/coordinator/call-list", follow_redirects=True)
    assert response.status_code == 200 and "You wrote 10000" in _text(response)
    with app.app_context():
        assert db.session.get(CallListItem, item_id).done_at is None
    response = submit(client, f"{url}/takeover", {"email": "a\nb@example.dk" + "x" * 300}, form_url=url)
    assert response.status_code == 400
    assert client.get(f"{url}?q=" + "🙂" * 500).status_code == 200
    response = submit(client, f"{url}/signups", {"slot": "-1"}, form_url=url)
    assert response.status_code == 400
    assert client.get("/assisted/takeover/" + "x" * 5000).status_code == 404


def test_the_organisation_page_links_its_admin_to_the_citizens_and_the_call_list(app, client, world):
    login(client, "mette@example.dk")
    page = _text(client.get(f"/organisations/{world['engg']}?lang=en"))
    assert f"/organisations/{world['engg']}/assisted" in page and "Call list (0 to phone today)" in page
    member = app.test_client()
    with app.app_context():
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation).where(Organisation.slug == world["engg"]))
        add_member(org, db.session.get(User, world["plain"]), MembershipRole.member)
        db.session.commit()
    login(member, "bo@example.dk")
    assert f"/organisations/{world['engg']}/assisted" not in _text(member.get(f"/organisations/{world['engg']}"))


def test_the_call_list_and_the_profile_list_need_the_same_queries_for_one_or_many_citizens(app, client, world):
    from tests.conftest import counting_queries

    def add_lines(n):
        with app.app_context():
            from portal.models import Organisation
            org = db.session.scalar(select(Organisation).where(Organisation.slug == world["engg"]))
            for _ in range(n):
                person = make_assisted(organisation=org)
                db.session.add(CallListItem(user_id=person.id, reason="reminder", subject="S", body="B"))
            db.session.commit()

    login(client, "anne@example.dk")
    add_lines(1)
    counts = []
    for more in (0, 4):
        add_lines(more)
        client.get("/coordinator/call-list")  # warm caches
        with counting_queries(app) as statements:
            assert client.get("/coordinator/call-list").status_code == 200
            assert client.get("/coordinator/assisted").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
