"""The private small-jobs counter (/me/small-jobs): a limit the person types (1..200 whole hours, or
none), the month's hours with a meter, a warning from 80 % and a stronger one at the limit, the same
warning on a small job's page to that person only; nobody else ever sees any of it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core.timeutil import month_bounds, to_local
from portal.extensions import db
from portal.models import Attendance, Signup, SignupState, Task, VolunteerProfile, utcnow
from tests.conftest import counting_queries, login, submit
from tests.factories import make_organisation, make_slot, make_task, make_user

PRIVATE = "Only you can see this"


def month_start():
    today = to_local(utcnow()).date()
    return month_bounds(today.year, today.month)[0]


@pytest.fixture
def world(app):
    """Karen worked 12 hours on small jobs this month (attended); her limit is set by each test."""
    with app.app_context():
        karen = make_user(email="karen@example.dk", name="Karen Nielsen", locale="en")
        make_user(email="poul@example.dk", name="Poul")
        make_user(email="kirsten@example.dk", coordinator=True)
        mette = make_user(email="mette@example.dk")
        org = make_organisation(admin=mette, name="Wiedergården")
        garden = make_task(org, title="Hjælp med havearbejde")
        garden.is_small_job = True
        slot = make_slot(garden, starts_at=month_start(), hours=12, capacity=3)
        db.session.add(Signup(slot_id=slot.id, user_id=karen.id, state=SignupState.confirmed,
                              attendance=Attendance.attended))
        slot.taken = 1
        ordinary = make_task(org, title="Kaffe")
        db.session.commit()
        return {"karen": karen.id, "garden": garden.id, "slot": slot.id, "ordinary": ordinary.id, "slug": org.slug}


def set_limit(app, user_id, hours):
    with app.app_context():
        db.session.add(VolunteerProfile(user_id=user_id, small_job_limit_hours=hours))
        db.session.commit()


def test_the_page_needs_a_login(client, world):
    assert client.get("/me/small-jobs").status_code == 302


def test_without_a_limit_it_counts_and_explains_without_warning(client, world):
    login(client, "karen@example.dk")
    html = client.get("/me/small-jobs?lang=en").get_data(as_text=True)
    assert "does not know or decide that limit" in html and "Nobody else can see" in html
    assert "12" in html and "<meter" not in html and "close to your own limit" not in html


def test_a_limit_is_saved_shown_as_a_meter_and_cleared(app, client, world):
    login(client, "karen@example.dk")
    client.get("/me/small-jobs?lang=en")
    response = submit(client, "/me/small-jobs", {"limit": " 40 "}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Your limit is saved." in html and '<meter id="small-job-meter" min="0" max="40"' in html
    assert 'value="40"' in html and "30 %" in html and "close to your own limit" not in html
    html = submit(client, "/me/small-jobs", {"limit": ""}, follow_redirects=True).get_data(as_text=True)
    assert "Your limit is removed." in html and "<meter" not in html
    with app.app_context():
        assert db.session.scalar(select(VolunteerProfile.small_job_limit_hours)
                                 .where(VolunteerProfile.user_id == world["karen"])) is None


@pytest.mark.parametrize("typed", ["0", "201", "12.5", "12,5", "-3", "abc", "9" * 10_000, "😀", "\u202e15",
                                   "99999999999999999999"])
def test_a_limit_that_is_not_1_to_200_whole_hours_is_refused_next_to_the_field(app, client, world, typed):
    login(client, "karen@example.dk")
    client.get("/me/small-jobs?lang=en")
    response = submit(client, "/me/small-jobs", {"limit": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a whole number of hours between 1 and 200" in html and "form-error" in html
    if typed.isascii() and len(typed) < 100:
        assert f'id="limit" name="limit" type="text" value="{typed}"' in html     # what was typed comes back
    with app.app_context():
        assert db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == world["karen"])) is None


def test_a_nul_byte_in_the_limit_is_refused(client, world):
    login(client, "karen@example.dk")
    assert submit(client, "/me/small-jobs", {"limit": "1\x002"}).status_code == 400


def test_warning_from_80_percent(app, client, world):
    set_limit(app, world["karen"], 15)                        # 12 of 15 = 80 %
    login(client, "karen@example.dk")
    html = client.get("/me/small-jobs?lang=en").get_data(as_text=True)
    assert "You are close to your own limit" in html and "80 % of your own limit of 15 hours" in html


def test_a_stronger_warning_at_the_limit_counting_booked_times(app, client, world):
    set_limit(app, world["karen"], 14)
    with app.app_context():
        from portal.models import Slot, Task
        garden = db.session.get(Task, world["garden"])
        later = make_slot(garden, starts_at=db.session.get(Slot, world["slot"]).starts_at + timedelta(minutes=5),
                          hours=2)
        db.session.add(Signup(slot_id=later.id, user_id=world["karen"], state=SignupState.confirmed))
        later.taken = 1
        db.session.commit()
    login(client, "karen@example.dk")
    html = client.get("/me/small-jobs?lang=en").get_data(as_text=True)
    assert "You have reached your own limit" in html and "14 hours" in html


def test_the_small_jobs_page_shows_the_warning_to_that_person_only(app, client, world):
    set_limit(app, world["karen"], 12)
    task_page = f"/tasks/{world['garden']}?lang=en"
    login(client, "karen@example.dk")
    html = client.get(task_page).get_data(as_text=True)
    assert "Small job" in html and "You have reached your own limit" in html and PRIVATE in html
    assert "reached your own limit" not in client.get(f"/tasks/{world['ordinary']}?lang=en").get_data(as_text=True)
    other = app.test_client()
    login(other, "poul@example.dk")
    html = other.get(task_page).get_data(as_text=True)
    assert "Small job" in html and PRIVATE not in html and "reached your own limit" not in html
    assert "Keep a private count" in html
    anonymous = app.test_client().get(task_page).get_data(as_text=True)
    assert "Small job" in anonymous and PRIVATE not in anonymous and "Keep a private count" not in anonymous


def test_an_ordinary_task_page_costs_nothing_extra_for_a_logged_in_person(app, client, world):
    login(client, "poul@example.dk")
    client.get(f"/tasks/{world['ordinary']}")
    with counting_queries(app) as before:
        client.get(f"/tasks/{world['ordinary']}")
    # The same task as a small job: the counter costs a few statements. (The same task both times:
    # in the first hour of a month the garden's time is still to come and its page lists it.)
    with app.app_context():
        db.session.get(Task, world["ordinary"]).is_small_job = True
        db.session.commit()
    with counting_queries(app) as small:
        client.get(f"/tasks/{world['ordinary']}")
    assert len(small) - len(before) <= 4


def test_nobody_else_sees_the_counter_or_the_limit(app, client, world):
    set_limit(app, world["karen"], 13)
    login(client, "mette@example.dk")
    for path in (f"/slots/{world['slot']}/roster", f"/slots/{world['slot']}/roster.csv",
                 f"/tasks/{world['garden']}/roster.csv", f"/organisations/{world['slug']}",
                 f"/tasks/{world['garden']}?lang=en"):
        text = client.get(path).get_data(as_text=True)
        assert "own limit" not in text and "egen grænse" not in text and PRIVATE not in text, path
    coordinator = app.test_client()
    login(coordinator, "kirsten@example.dk")
    for path in ("/coordinator/audit", "/coordinator"):
        text = coordinator.get(path + "?lang=en").get_data(as_text=True)
        assert "own limit" not in text and "small_job_limit" not in text, path


def test_my_page_links_to_the_counter(client, world):
    login(client, "karen@example.dk")
    assert 'href="/me/small-jobs"' in client.get("/me").get_data(as_text=True)
