"""The month calendar opens where the times are: a month with nothing (left) in it says so and
points to the next month with times, and its sideways-scrolling grid is reachable by keyboard.

The clock is passed in (the route's `utcnow`), fixed late on the last Sunday of November, so
"this month has nothing left" is true whatever day the suite runs on."""

import html as htmllib
import re
from datetime import datetime, time, timezone

import pytest

from portal.core.timeutil import to_utc
from portal.extensions import db
from tests.conftest import counting_queries
from tests.factories import make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 29, 21, 30, tzinfo=timezone.utc)        # Sunday 22:30 in Copenhagen


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("portal.tasks.routes.utcnow", lambda: NOW)
    return NOW


def at(day, hour=13):
    return to_utc(day, time(hour))


@pytest.fixture
def org(app):
    with app.app_context():
        org = make_organisation(admin=make_user(email="mette@example.dk"), name="Enggården")
        db.session.commit()
        return org.id


def add(app, org_id, title, *starts, category="older-people"):
    from portal.models import Organisation
    with app.app_context():
        task = make_task(db.session.get(Organisation, org_id), title=title, category_slug=category)
        for start in starts:
            make_slot(task, starts_at=start)
        db.session.commit()


def note(page: str) -> str:
    found = re.search(r'<div class="alert alert-info[^"]*month-note">(.*?)</div></div>', page, re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


def heading(page: str) -> str:
    return re.search(r'<h2 id="month-heading">(.*?)</h2>', page).group(1)


def test_with_nothing_left_this_month_the_calendar_opens_on_the_next_month_with_times(app, client, clock, org):
    from datetime import date
    add(app, org, "Gåtur i november", at(date(2026, 11, 29), 10))     # earlier today: already begun
    add(app, org, "Julemarked", at(date(2027, 1, 14)))                 # nothing in December
    page = client.get("/tasks?view=month").get_data(as_text=True)
    assert heading(page) == "Januar 2027"
    assert "Julemarked" in page and "Gåtur i november" not in page
    assert note(page) == ("Der er ikke flere tider i november 2026, så kalenderen viser januar 2027, "
                          "den næste måned med tider.")
    assert 'href="/tasks?view=month&amp;month=2026-12"' in page          # the way back is one click
    english = client.get("/tasks?view=month&lang=en").get_data(as_text=True)
    assert note(english) == ("There are no more times in November 2026, so the calendar shows January 2027, "
                             "the next month with times.")


def test_a_month_with_a_time_left_today_stays_on_this_month(app, client, clock, org):
    from datetime import date
    add(app, org, "Aftenkaffe", at(date(2026, 11, 29), 23))           # 22:00 UTC, after the clock's 21:30
    add(app, org, "Julemarked", at(date(2027, 1, 14)))
    page = client.get("/tasks?view=month").get_data(as_text=True)
    assert heading(page) == "November 2026" and "Aftenkaffe" in page and note(page) == ""


def test_an_empty_month_asked_for_says_so_and_links_to_the_next_month_with_times(app, client, clock, org):
    from datetime import date
    add(app, org, "Julemarked", at(date(2027, 1, 14)))
    add(app, org, "Lektiehjælp", at(date(2027, 3, 2)), category="homework-reading")
    page = client.get("/tasks?view=month&month=2026-12").get_data(as_text=True)
    assert heading(page) == "December 2026"                             # stays where it was asked
    assert note(page) == "Der er ingen kommende tider i december 2026. Gå til januar 2027, den næste måned med tider"
    assert 'href="/tasks?view=month&amp;month=2027-01"' in page
    # The filters stay on the way: with only homework help, the next month with times is March.
    filtered = client.get("/tasks?view=month&month=2026-12&category=homework-reading").get_data(as_text=True)
    link = htmllib.unescape(re.search(r'<a href="([^"]*)">Gå til marts 2027', filtered).group(1))
    assert "month=2027-03" in link and "category=homework-reading" in link
    # A past month has nothing upcoming either; it points forward to the next times.
    past = client.get("/tasks?view=month&month=2026-10&lang=en").get_data(as_text=True)
    assert note(past) == "There are no upcoming times in October 2026. Go to January 2027, the next month with times"


def test_with_nothing_later_the_empty_month_says_that_too(app, client, clock, org):
    from datetime import date
    add(app, org, "Julemarked", at(date(2027, 1, 14)))
    page = client.get("/tasks?view=month&month=2027-02").get_data(as_text=True)
    assert note(page) == "Der er ingen kommende tider i februar 2027. Der er heller ingen senere tider."
    filtered = client.get("/tasks?view=month&month=2027-02&category=homework-reading").get_data(as_text=True)
    assert note(filtered).endswith("Der er heller ingen senere tider, der passer til dine valg.")
    # With nothing upcoming at all, "this month" stays this month and says so.
    nothing = client.get("/tasks?view=month&category=homework-reading").get_data(as_text=True)
    assert heading(nothing) == "November 2026"
    assert note(nothing).startswith("Der er ingen kommende tider i november 2026.")


def test_the_next_month_respects_the_weekday_filter(app, client, clock, org):
    from datetime import date
    add(app, org, "Torsdagscykling", at(date(2026, 12, 3)))            # a Thursday
    add(app, org, "Lørdagsloppemarked", at(date(2027, 2, 6)))          # a Saturday
    page = client.get("/tasks?view=month&month=2026-11&day=sat").get_data(as_text=True)
    assert "Gå til februar 2027" in note(page)


def test_the_next_month_respects_the_distance_limit(app, client, clock, org):
    from datetime import date

    from sqlalchemy import select

    from portal.geocoding import GAZETTEER
    from portal.models import Task
    dragoer = next((p.latitude, p.longitude) for p in GAZETTEER if p.name == "Dragør")
    add(app, org, "Loppemarked i Roskilde", at(date(2027, 1, 9)))       # ~37 km away
    add(app, org, "Strandrensning i Dragør", at(date(2027, 3, 6)))
    with app.app_context():
        for task, place in zip(db.session.scalars(select(Task).order_by(Task.id)), [(55.6415, 12.0803), dragoer]):
            task.latitude, task.longitude = place
        db.session.commit()
    assert "Gå til januar 2027" in note(client.get("/tasks?view=month&month=2026-12").get_data(as_text=True))
    near = client.get("/tasks?view=month&month=2026-12&postcode=2791&within=5").get_data(as_text=True)
    assert "Gå til marts 2027" in note(near)
    opened = client.get("/tasks?view=month&postcode=2791&within=5").get_data(as_text=True)
    assert heading(opened) == "Marts 2027" and "Strandrensning i Dragør" in opened


def test_the_scrolling_grid_is_a_named_keyboard_stop(app, client, clock, org):
    page = client.get("/tasks?view=month&month=2026-12").get_data(as_text=True)
    wrapper = re.search(r'<div class="table--responsive-scroll"[^>]*>', page).group(0)
    assert 'tabindex="0"' in wrapper and 'role="region"' in wrapper
    assert 'aria-label="Kalender for december 2026"' in wrapper
    english = client.get("/tasks?view=month&month=2026-12&lang=en").get_data(as_text=True)
    assert 'aria-label="Calendar for December 2026"' in english


def test_the_month_view_costs_the_same_queries_however_many_times(app, client, clock, org):
    """Pointing onwards is one cheap query ("the next time after X"), not a walk month by month."""
    from datetime import date, timedelta

    def statements(path):
        with counting_queries(app) as seen:
            assert client.get(path).status_code == 200
        return len(seen)

    add(app, org, "Julemarked", at(date(2027, 6, 14)))
    few = statements("/tasks?view=month"), statements("/tasks?view=month&month=2027-02")
    add(app, org, "Mange tider", *(at(date(2027, 6, 1) + timedelta(days=i)) for i in range(25)))
    for i in range(10):
        add(app, org, f"Opgave {i}", at(date(2027, 6, 2 + i), 9), at(date(2027, 7, 2 + i), 9))
    many = statements("/tasks?view=month"), statements("/tasks?view=month&month=2027-02")
    assert many == few
