"""The organiser's follow-up (portal/followup): the coordinator may read every organisation's
tasks, times, rosters, CSV files, børneattest records and hours, but not change them; a stranger
gets nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Clearance, HoursEntry, HoursStatus, Signup, SignupState, utcnow
from tests.conftest import csrf_token, login
from tests.factories import make_organisation, make_slot, make_task, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        make_user(email="coordinator@example.dk", coordinator=True)
        make_user(email="stranger@example.dk")
        org = make_organisation(admin=make_user(email="mette@example.dk"), name="Ældresagen")
        task = make_task(org, title="Cykling", kind="ongoing")
        volunteer = make_user(email="ida@example.dk", name="Ida")
        slot = make_slot(task, starts_at=utcnow() - timedelta(hours=2), capacity=3)
        signup = Signup(slot_id=slot.id, user_id=volunteer.id, state=SignupState.confirmed)
        slot.taken = 1
        entry = HoursEntry(task_id=task.id, user_id=volunteer.id, worked_on=utcnow().date(), minutes=90)
        db.session.add_all([signup, entry])
        db.session.commit()
        return {"slug": org.slug, "task": task.id, "slot": slot.id, "signup": signup.id, "entry": entry.id}


def reading_pages(w):
    return [f"/organisations/{w['slug']}/tasks", f"/tasks/{w['task']}/times", f"/slots/{w['slot']}/roster",
            f"/slots/{w['slot']}/roster.csv", f"/tasks/{w['task']}/roster.csv",
            f"/organisations/{w['slug']}/clearances", f"/organisations/{w['slug']}/hours"]


def changes(w):
    return [(f"/organisations/{w['slug']}/tasks/new", {}), (f"/tasks/{w['task']}/edit", {}),
            (f"/tasks/{w['task']}/status", {"status": "closed"}), (f"/tasks/{w['task']}/slots", {}),
            (f"/tasks/{w['task']}/rule", {}), (f"/slots/{w['slot']}/edit", {}), (f"/slots/{w['slot']}/cancel", {}),
            (f"/signups/{w['signup']}/attendance", {"attended": "yes"}),
            (f"/organisations/{w['slug']}/clearances", {"email": "ida@example.dk", "approved": "yes",
                                                         "checked_on": "2026-11-01"}),
            (f"/organisations/{w['slug']}/hours", {"entry": w["entry"], "answer": "approve"})]


def test_the_coordinator_reads_every_follow_up_page_but_changes_nothing(app, client, world):
    login(client, "coordinator@example.dk")
    for path in reading_pages(world):
        assert client.get(path).status_code == 200, path
    roster = client.get(f"/slots/{world['slot']}/roster").get_data(as_text=True)
    assert "Ida" in roster and f"/signups/{world['signup']}/attendance" not in roster  # no buttons that 403
    assert "Ida" in client.get(f"/tasks/{world['task']}/roster.csv").get_data(as_text=True)
    times = client.get(f"/tasks/{world['task']}/times").get_data(as_text=True)
    assert f"/tasks/{world['task']}/edit" not in times and f"/tasks/{world['task']}/volunteers" not in times
    assert f"/tasks/{world['task']}/roster.csv" in times
    token = csrf_token(client, "/me")
    for path, data in changes(world):
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 403, (path, response.status_code)
    with app.app_context():
        assert db.session.get(Signup, world["signup"]).attendance is None
        assert db.session.get(HoursEntry, world["entry"]).status is HoursStatus.pending
        assert db.session.scalar(select(Clearance)) is None


def test_a_stranger_gets_nothing(app, client, world):
    login(client, "stranger@example.dk")
    for path in reading_pages(world):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/me")
    for path, data in changes(world):
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 403, path


def test_a_member_follows_up_as_before(app, client, world):
    login(client, "mette@example.dk")
    token = csrf_token(client, "/me")
    response = client.post(f"/signups/{world['signup']}/attendance", data={"csrf_token": token, "attended": "yes"})
    assert response.headers["Location"].endswith(f"/slots/{world['slot']}/roster")
    response = client.post(f"/organisations/{world['slug']}/hours",
                           data={"csrf_token": token, "entry": world["entry"], "answer": "approve"})
    assert response.headers["Location"].endswith(f"/organisations/{world['slug']}/hours")
    response = client.post(f"/organisations/{world['slug']}/clearances",
                           data={"csrf_token": token, "email": "nobody@example.dk", "approved": "yes",
                                 "checked_on": "2026-11-01"})
    assert response.status_code == 200  # the form again, with the error beside the e-mail field
    assert "Ingen frivillige har en profil med denne e-mailadresse." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Signup, world["signup"]).attended
        assert db.session.get(HoursEntry, world["entry"]).status is HoursStatus.approved
