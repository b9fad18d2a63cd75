"""Input that used to reach the 500 page on PostgreSQL (and some on SQLite too): each gets a
4xx or a message next to its field, and nothing is saved. The suite runs these on both
databases; the property-based walk over every form lives in test_fuzz.py."""

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import HoursEntry, Organisation, Slot, Task, User, utcnow
from tests.conftest import login, submit
from tests.factories import make_organisation, make_slot, make_task, make_user
from tests.web.test_forms import field_error

HUGE = ["2147483648", "9223372036854775808", "99999999999999999999"]


@pytest.fixture
def world(app):
    with app.app_context():
        mette = make_user(email="mette@example.dk", name="Mette")
        make_user(email="ida@example.dk", name="Ida")
        make_user(email="anne@example.dk", coordinator=True)
        org = make_organisation(admin=mette, name="Enggården")
        task = make_task(org, title="Gåtur")
        role = make_task(org, title="Besøgsven", kind="ongoing")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
        return {"slug": org.slug, "task": task.id, "role": role.id, "slot": slot.id,
                "category": str(task.category_id)}


def client_for(app, email=None):
    client = app.test_client()
    if email:
        login(client, email)
    return client


@pytest.mark.parametrize("number", HUGE + ["0"])
def test_ids_too_large_for_the_database_are_simply_not_found(app, world, number):
    mette, ida = client_for(app, "mette@example.dk"), client_for(app, "ida@example.dk")
    anne = client_for(app, "anne@example.dk")
    for path in ("/tasks/{}", "/tasks/{}/edit", "/tasks/{}/times", "/slots/{}/roster", "/slots/{}/edit",
                 "/tasks/{}/calendar.ics", "/slots/{}.ics", "/tasks/{}/hours", "/tasks/{}/volunteers",
                 "/slots/{}/roster.csv"):
        for who in (mette, anne):
            assert who.get(path.format(number)).status_code == 404, path
    assert anne.get(f"/coordinator/organisations/{number}").status_code == 404
    for path in ("/slots/{}/signup", "/signups/{}/cancel", "/slots/{}/cancel", "/signups/{}/attendance",
                 f"/tasks/{world['task']}/volunteers/{{}}/invite"):
        token_page = "/me" if "signup" in path or "signups" in path else f"/tasks/{world['task']}/times"
        who = ida if token_page == "/me" else mette
        assert submit(who, path.format(number), {}, form_url=token_page).status_code == 404, path
    # ids in form fields: the hours approval and the invitation's chosen time
    assert submit(mette, f"/organisations/{world['slug']}/hours", {"entry": number, "answer": "approve"}).status_code == 404
    assert submit(mette, f"/tasks/{world['task']}/volunteers/1/invite", {"slot": number},
                  form_url=f"/tasks/{world['task']}/times").status_code == 404


def test_negative_and_non_numeric_ids_are_not_found(app, world):
    for path in ("/tasks/-1", "/tasks/abc", "/tasks/1e3", "/slots/-5.ics", "/tasks/%EF%BC%91"):
        assert app.test_client().get(path).status_code == 404, path


@pytest.mark.parametrize("path", ["/tasks?q=%00", "/tasks?category=%00", "/tasks?organisation=a%00",
                                  "/tasks?postcode=27%0091", "/organisations/%00", "/organisations/a%00b/calendar.ics",
                                  "/me/calendar/ab%00c.ics", "/signups/respond/x%00", "/invitations/a%00"])
def test_a_nul_byte_anywhere_in_the_address_gets_a_plain_answer(app, world, path):
    response = app.test_client().get(path)
    assert response.status_code == 400
    assert "tegn, som ikke kan bruges her" in response.get_data(as_text=True)


def test_a_nul_byte_in_a_form_saves_nothing(app, world):
    anne = client_for(app, "anne@example.dk")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(db.metadata.tables["categories"]))
    response = submit(anne, "/coordinator/categories", {"name_da": "Hav\x00e", "name_en": "Garden"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(db.metadata.tables["categories"])) == before


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=9999-12-31&to=0001-01-01",
                                   "view=week&week=0001-W01", "view=week&week=9999-W52",
                                   "view=month&month=0001-01", "page=999999999999999999999", "page=-4",
                                   "within=nan", "within=99999999999999999999"])
def test_absurd_dates_and_pages_still_show_the_task_list(app, world, query):
    response = app.test_client().get(f"/tasks?{query}")
    assert response.status_code == 200
    assert "Find en opgave" in response.get_data(as_text=True) or "opgave" in response.get_data(as_text=True)


def test_a_page_past_the_end_shows_no_tasks_but_a_page(app, world):
    html = app.test_client().get("/tasks?page=999999999999999999999").get_data(as_text=True)
    assert "Gåtur" not in html


def test_a_twelve_digit_birth_year_is_an_error_next_to_the_field(app, world):
    ida = client_for(app, "ida@example.dk")
    data = {"name": "Ida", "postcode": "2791", "phone": "", "birth_date-day": "1", "birth_date-month": "1",
            "birth_date-year": "123456789012"}
    html = submit(ida, "/me/profile?lang=en", data, form_url="/me/profile").get_data(as_text=True)
    assert "real date" in field_error(html, "birth_date")
    assert 'value="123456789012"' in html
    with app.app_context():
        assert db.session.scalar(select(User.birth_date).where(User.email == "ida@example.dk")).year == 1960


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "nan"])
def test_not_a_number_in_number_fields_is_an_error_next_to_the_field(app, world, value):
    ida = client_for(app, "ida@example.dk")
    html = submit(ida, "/me/volunteering?lang=en", {"max_distance_km": value},
                  form_url="/me/volunteering").get_data(as_text=True)
    assert "Enter a number" in field_error(html, "max_distance_km")
    html = submit(ida, f"/tasks/{world['role']}/hours?lang=en",
                  {"worked_on": to_local(utcnow()).date().isoformat(), "hours": value}).get_data(as_text=True)
    assert field_error(html, "hours")
    assert f'value="{value}"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(HoursEntry.id))) == 0


def test_newlines_in_one_line_fields_become_spaces(app, world):
    mette = client_for(app, "mette@example.dk")
    html = submit(mette, f"/tasks/{world['task']}/edit", {
        "title": "Gåtur\r\nmed\tkaffe\x0b", "description": "Vi går en tur.\r\nBagefter kaffe.", "category": world["category"],
        "place_name": "", "address": "Vinkelvej 2\n", "postcode": "2791", "city": "Dragør", "min_age": "",
        "physical_demand": "light", "what_to_bring": "", "contact_name": "Mette\r\nBcc: x@example.dk",
        "contact_email": "mette@example.dk", "contact_phone": "", "cancel_deadline_hours": "24"})
    assert html.status_code == 302, html.get_data(as_text=True)[:3000]
    with app.app_context():
        task = db.session.get(Task, world["task"])
        assert task.title == "Gåtur med kaffe"
        assert task.contact_name == "Mette Bcc: x@example.dk"
        assert task.address == "Vinkelvej 2"
        assert task.description == "Vi går en tur.\nBagefter kaffe."  # longer text keeps its lines


def test_text_over_the_limit_is_refused_with_its_length_not_cut(app, world):
    mette = client_for(app, "mette@example.dk")
    page = mette.get(f"/tasks/{world['task']}/edit").get_data(as_text=True)
    assert "maxlength" not in page  # the browser would cut a paste silently
    title = "Gåtur " * 30
    html = submit(mette, f"/tasks/{world['task']}/edit?lang=en", {
        "title": title, "description": "Vi går en tur rundt i Dragør.", "category": world["category"], "address": "Vinkelvej 2",
        "postcode": "2791", "city": "Dragør", "physical_demand": "light", "contact_name": "Mette",
        "contact_email": "mette@example.dk", "cancel_deadline_hours": "24"},
        form_url=f"/tasks/{world['task']}/edit").get_data(as_text=True)
    assert field_error(html, "title") == "Write at most 140 characters. You wrote 179."
    assert title.strip() in html
    with app.app_context():
        assert db.session.get(Task, world["task"]).title == "Gåtur"


def test_a_time_in_the_past_is_refused_next_to_the_date(app, world):
    mette = client_for(app, "mette@example.dk")
    times = f"/tasks/{world['task']}/times"
    response = submit(mette, f"/tasks/{world['task']}/slots?lang=en",
                      {"slot-day": "2020-01-01", "slot-starts": "10:00", "slot-ends": "11:00", "slot-capacity": "2"},
                      form_url=times)
    assert response.status_code == 400
    assert "already passed" in field_error(response.get_data(as_text=True), "slot-day")
    with app.app_context():
        assert db.session.scalar(select(func.count(Slot.id))) == 1
        slot = db.session.get(Slot, world["slot"])
        original = slot.starts_at
    # moving an existing time into the past is refused the same way
    html = submit(mette, f"/slots/{world['slot']}/edit?lang=en",
                  {"day": "2020-01-01", "starts": "10:00", "ends": "11:00", "capacity": "5", "place_note": ""}
                  ).get_data(as_text=True)
    assert "already passed" in field_error(html, "day")
    with app.app_context():
        assert db.session.get(Slot, world["slot"]).starts_at == original


def test_a_weekly_rule_starting_in_the_past_starts_today_and_says_so(app, world):
    mette = client_for(app, "mette@example.dk")
    rule = {"rule-weekdays": ["0", "1", "2", "3", "4", "5", "6"], "rule-every_weeks": "1", "rule-starts": "23:58",
            "rule-ends": "23:59", "rule-first_date": "2020-01-01", "rule-last_date": "", "rule-capacity": "2",
            "rule-exceptions": ""}
    response = submit(mette, f"/tasks/{world['role']}/rule?lang=en", rule, form_url=f"/tasks/{world['role']}/times",
                      follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The first date had passed, so the repeating times start today" in html
    with app.app_context():
        task = db.session.get(Task, world["role"])
        assert task.repeat_from == to_local(utcnow()).date()
        first = db.session.scalar(select(func.min(Slot.starts_at)).where(Slot.task_id == task.id))
        assert to_local(first).date() >= to_local(utcnow()).date()


def test_the_series_form_shows_its_errors_next_to_its_fields_and_keeps_them(app, world):
    with app.app_context():
        task = db.session.get(Task, world["task"])
        from portal.models import TaskKind
        task.kind = TaskKind.recurring
        db.session.commit()
    ida = client_for(app, "ida@example.dk")
    page = f"/tasks/{world['task']}"
    response = submit(ida, f"/tasks/{world['task']}/series?lang=en", {"first": "2026-13-40", "last": ""}, form_url=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "first") and "Enter the last date" in field_error(html, "last")
    assert 'value="2026-13-40"' in html
    assert 'href="#first"' in html  # the error summary leads to the field
    with app.app_context():
        from portal.models import Signup
        assert db.session.scalar(select(func.count(Signup.id))) == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_in_year_1_or_9999_is_an_error_next_to_the_field(app, world, day):
    mette, ida = client_for(app, "mette@example.dk"), client_for(app, "ida@example.dk")
    times = f"/tasks/{world['task']}/times"
    html = submit(mette, f"/tasks/{world['task']}/slots?lang=en",
                  {"slot-day": day, "slot-starts": "10:00", "slot-ends": "11:00", "slot-capacity": "2"},
                  form_url=times).get_data(as_text=True)
    assert "between the years 1900 and 2200" in field_error(html, "slot-day")
    html = submit(ida, f"/tasks/{world['role']}/hours?lang=en", {"worked_on": day, "hours": "1"}).get_data(as_text=True)
    assert field_error(html, "worked_on")
    with app.app_context():
        assert db.session.scalar(select(func.count(Slot.id))) == 1
        assert db.session.scalar(select(func.count(HoursEntry.id))) == 0


def test_a_hand_made_status_change_that_is_not_offered_is_refused(app, world):
    mette = client_for(app, "mette@example.dk")
    times = f"/tasks/{world['task']}/times"
    response = submit(mette, f"/tasks/{world['task']}/status?lang=en", {"status": "draft"}, form_url=times,
                      follow_redirects=True)
    assert "cannot be given that status" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Task, world["task"]).status.value == "published"
    submit(mette, f"/tasks/{world['task']}/status", {"status": "paused"}, form_url=times)
    with app.app_context():
        assert db.session.get(Task, world["task"]).status.value == "paused"
