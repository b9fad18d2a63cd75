"""The coordinator's audit log page (/coordinator/audit): newest first, filters (what, who, organisation,
period, the person it concerns), pages of 50, a CSV a spreadsheet reads as text, coordinator only;
looking at or downloading a roster leaves a line naming everyone on it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auditlog.services import seen_by_staff
from portal.core.spreadsheet import FORMULA_TRIGGERS
from portal.core.timeutil import to_local
from portal.coordinator import services as coordinator
from portal.extensions import db
from portal.models import AuditEvent, AuditSubject, OrganisationStatus, Signup, SignupState, utcnow
from tests.conftest import counting_queries, login
from tests.core.test_spreadsheet import read_back
from tests.factories import make_organisation, make_slot, make_task, make_user
from tests.web.test_csv_exports import SOFFICE, open_in_libreoffice


@pytest.fixture
def world(app):
    with app.app_context():
        boss = make_user(email="kirsten@example.dk", name="Kirsten Koordinator", coordinator=True, locale="en")
        mette = make_user(email="mette@example.dk", name="Mette Hansen")
        org = make_organisation(admin=mette, name="Ældresagen Dragør")
        other = make_organisation(name="Dragør Roklub", status=OrganisationStatus.pending)
        ida = make_user(email="ida@example.dk", name="Ida Sørensen")
        bo = make_user(email="bo@example.dk", name="Bo Jensen")
        task = make_task(org, title="Cykelture med beboerne")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=3))
        for person in (ida, bo):
            db.session.add(Signup(slot_id=slot.id, user_id=person.id, state=SignupState.confirmed))
        slot.taken = 2
        db.session.flush()
        now = utcnow()
        coordinator.approve(other, boss, now=now - timedelta(minutes=5))
        seen_by_staff(mette, "roster_exported", task=task, people=[ida.id], now=now - timedelta(minutes=2))
        seen_by_staff(mette, "roster_viewed", slot=slot, people=[bo.id], now=now - timedelta(minutes=1))
        db.session.commit()
        return {"org": org.id, "other": other.id, "slot": slot.id, "task": task.id, "ida": ida.id, "bo": bo.id}


def page(client, query=""):
    return client.get(f"/coordinator/audit?lang=en{'&' + query if query else ''}")


def rows(client, query=""):
    """The log's table only (the filter's list of actions names them all)."""
    html = page(client, query).get_data(as_text=True)
    return html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else "No entries match"


def test_the_coordinator_sees_the_newest_first_with_labels_diff_and_the_retention(client, world):
    login(client, "kirsten@example.dk")
    assert "kept for 3 years" in page(client).get_data(as_text=True)
    html = rows(client)
    viewed, exported, approved = (html.index("List of participants viewed"), html.index("List of participants downloaded"),
                                  html.index("Organisation approved"))
    assert viewed < exported < approved
    assert "Dragør Roklub" in html and "Waiting" in html and "Approved" in html   # before → after, in words
    assert '{"status"' not in html                                                     # not raw JSON


def test_searching_for_a_person_shows_what_touched_them_only(client, world):
    login(client, "kirsten@example.dk")
    html = rows(client, "person=Ida")
    assert "List of participants downloaded" in html and "Cykelture med beboerne" in html
    assert "List of participants viewed" not in html and "Organisation approved" not in html
    assert "No entries match" in rows(client, "person=Nobody+Here")


def test_filters_for_what_who_organisation_and_period(client, world):
    login(client, "kirsten@example.dk")
    html = rows(client, "action=organisation_approved")
    assert "Organisation approved" in html and "List of participants" not in html
    html = rows(client, "actor=mette")
    assert "List of participants viewed" in html and "Organisation approved" not in html
    html = rows(client, f"organisation={world['other']}")
    assert "Organisation approved" in html and "List of participants" not in html
    today = to_local(utcnow()).date()
    assert "Organisation approved" in rows(client, f"start={today - timedelta(days=1)}&end={today + timedelta(days=1)}")
    assert "No entries match" in rows(client, f"start={today + timedelta(days=2)}")


def test_pages_of_fifty_go_back_by_id_without_repeating(app, client, world):
    with app.app_context():
        mette = db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.actor_name == "Mette Hansen"))
        from portal.models import Slot, User
        slot = db.session.get(Slot, world["slot"])
        for n in range(55):
            seen_by_staff(db.session.get(User, mette), "roster_viewed", slot=slot, people=[world["bo"]],
                          now=utcnow() - timedelta(hours=n + 1))
        db.session.commit()
    login(client, "kirsten@example.dk")
    first = page(client).get_data(as_text=True)
    assert first.count("<tr>") == 50 + 1
    older = first.split('href="/coordinator/audit?before=')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/coordinator/audit?before={older}").get_data(as_text=True)
    assert second.count("<tr>") == 58 - 50 + 1 and "Organisation approved" in second


def test_a_page_costs_the_same_statements_for_few_and_many_entries(app, client, world):
    login(client, "kirsten@example.dk")
    page(client)
    with counting_queries(app) as few:
        page(client)
    with app.app_context():
        from portal.models import Slot, User
        slot = db.session.get(Slot, world["slot"])
        mette = db.session.scalar(select(User).where(User.email == "mette@example.dk"))
        for n in range(30):
            seen_by_staff(mette, "roster_viewed", slot=slot, people=[world["bo"], world["ida"]], now=utcnow())
        db.session.commit()
    with counting_queries(app) as many:
        page(client)
    assert len(few) == len(many)


def test_the_csv_is_the_filtered_log_and_reads_as_text(app, client, world, tmp_path):
    with app.app_context():
        from portal.models import Slot
        hostile = make_user(name='=HYPERLINK("http://x")')
        seen_by_staff(hostile, "roster_viewed", slot=db.session.get(Slot, world["slot"]), people=[world["ida"]],
                      now=utcnow())
        db.session.commit()
    login(client, "kirsten@example.dk")
    response = client.get("/coordinator/audit.csv?lang=en&person=Ida")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = read_back(response.get_data(as_text=True))
    assert len(rows) == 1 + 2
    assert rows[1][1] == '\'=HYPERLINK("http://x")' and rows[2][2] == "List of participants downloaded"
    assert all(not cell.startswith(FORMULA_TRIGGERS) for row in rows for cell in row)
    if SOFFICE is not None:
        sheet = open_in_libreoffice(response.data, tmp_path / "audit")
        assert [formula for row in sheet for formula, _ in row if formula] == []


@pytest.mark.parametrize("path", ["/coordinator/audit", "/coordinator/audit.csv"])
def test_only_the_coordinator_reads_the_log(client, world, path):
    assert client.get(path).status_code == 302                        # anonymous: to the login page
    login(client, "mette@example.dk")                                 # an organisation's administrator
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("query", [
    "start=9999-01-01", "start=2026-13-45", "end=garbage", "actor=" + "x" * 10_000, "action=drop_tables",
    "organisation=99999999999999999999", "organisation=abc", "start=2027-01-02&end=2027-01-01",
])
def test_bad_filters_get_a_message_not_an_error(client, world, query):
    login(client, "kirsten@example.dk")
    response = page(client, query)
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True) or "form-error" in response.get_data(as_text=True)
    assert client.get(f"/coordinator/audit.csv?{query}").status_code == 400


@pytest.mark.parametrize("query", ["before=99999999999999999999", "before=-1", "before=abc", "person=%F0%9F%98%80",
                                   "person=%E2%80%AEabc", "actor=%25_%5C"])
def test_odd_values_are_harmless(client, world, query):
    login(client, "kirsten@example.dk")
    assert page(client, query).status_code == 200


def test_a_nul_byte_is_refused(client, world):
    login(client, "kirsten@example.dk")
    assert client.get("/coordinator/audit?person=a%00b").status_code == 400


def test_looking_at_a_roster_logs_everyone_on_it_and_the_csv_too(app, client, world):
    login(client, "mette@example.dk")
    assert client.get(f"/slots/{world['slot']}/roster").status_code == 200
    assert client.get(f"/slots/{world['slot']}/roster.csv").status_code == 200
    with app.app_context():
        latest = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(2)))
        assert [e.action for e in latest] == ["roster_exported", "roster_viewed"]
        for event in latest:
            assert sorted(db.session.scalars(select(AuditSubject.user_id).where(AuditSubject.event_id == event.id))) \
                == sorted([world["ida"], world["bo"]])
            assert event.actor_name == "Mette Hansen" and event.organisation_id == world["org"]


def test_the_roster_page_costs_the_same_statements_with_two_or_twenty_people(app, client, world):
    login(client, "mette@example.dk")
    client.get(f"/slots/{world['slot']}/roster")
    with counting_queries(app) as two:
        client.get(f"/slots/{world['slot']}/roster")
    with app.app_context():
        from portal.models import Slot
        slot = db.session.get(Slot, world["slot"])
        slot.capacity = 30
        for n in range(18):
            db.session.add(Signup(slot_id=slot.id, user_id=make_user().id, state=SignupState.confirmed))
        slot.taken = 20
        db.session.commit()
    with counting_queries(app) as twenty:
        client.get(f"/slots/{world['slot']}/roster")
    assert len(two) == len(twenty)


def test_the_coordinator_page_links_to_the_log(client, world):
    login(client, "kirsten@example.dk")
    assert 'href="/coordinator/audit"' in client.get("/coordinator?lang=en").get_data(as_text=True)


def test_removing_a_member_on_the_members_page_is_logged_as_the_administrator(app, client, world):
    from portal.models import Membership, Organisation, User
    from tests.conftest import submit
    from tests.factories import add_member

    with app.app_context():
        org = db.session.get(Organisation, world["org"])
        membership = add_member(org, db.session.get(User, world["bo"]))
        db.session.commit()
        slug, membership_id = org.slug, membership.id
    login(client, "mette@example.dk")
    response = submit(client, f"/organisations/{slug}/members/{membership_id}/remove",
                      form_url=f"/organisations/{slug}/members")
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership_changed"))
        assert event.actor_name == "Mette Hansen" and event.organisation_id == world["org"]
        assert db.session.get(Membership, membership_id).removed_at is not None
