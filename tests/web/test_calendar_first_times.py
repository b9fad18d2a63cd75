"""Which times a calendar day shows: the first few that match, in order, from that day alone.

PostgreSQL takes them with one LATERAL subquery over the days, SQLite with one subquery per day
(portal.tasks.listing._first_of_each_day); both must show the same times, so these run on both.
A time-of-day or weekday filter is applied within each day, and a day's first times never come
from its neighbours, even on the 23-hour day of the spring daylight-saving change. And the
counts behind "+N" are counted once per data version, today's too, yet follow the clock."""

import re
from datetime import time, timedelta

from portal.core.timeutil import to_utc
from tests.web.test_calendar_busy_days import BUSY, agenda, busy_day, cell, clock, more_link, text  # noqa: F401
from tests.web.test_month_view import add, org  # noqa: F401 (fixtures)


def shown(fragment: str, pattern: str) -> list[str]:
    return [text(s).split(" (")[0] for s in re.findall(pattern, fragment, re.S)]


def month_cell_times(fragment: str) -> list[str]:
    return shown(fragment, r'class="month-grid__slot"[^>]*>(.*?)</a>')


def test_a_time_of_day_filter_shows_the_first_four_matching_times_of_each_day(app, client, clock, org):
    busy_day(app, org)
    # Mornings on the neighbouring days, which must stay in their own cells.
    add(app, org, "Fredag morgen", to_utc(BUSY - timedelta(days=2), time(7)))
    add(app, org, "Mandag morgen", to_utc(BUSY + timedelta(days=1), time(8)))
    page = client.get("/tasks?view=month&month=2027-03&time=morning").get_data(as_text=True)
    # Morning times on the 28th: 00:15, 8, 9, 10, 11. Four shown, one more.
    assert month_cell_times(cell(page, 28, "marts")) == ["00.15 Travl dag 00", "08.00 Travl dag 01",
                                                         "09.00 Travl dag 02", "10.00 Travl dag 03"]
    assert more_link(cell(page, 28, "marts")).group(2) == "+1 mere"
    assert month_cell_times(cell(page, 26, "marts")) == ["07.00 Fredag morgen"]
    assert month_cell_times(cell(page, 29, "marts")) == ["00.10 Mandag tidligt", "08.00 Mandag morgen"]
    assert "Lørdag sent" not in page                                       # 23:45 is no morning
    evening = client.get("/tasks?view=month&month=2027-03&time=evening").get_data(as_text=True)
    assert month_cell_times(cell(evening, 28, "marts")) == ["19.00 Travl dag 08", "23.30 Travl dag 09"]
    assert month_cell_times(cell(evening, 27, "marts")) == ["23.45 Lørdag sent"]


def test_a_weekday_filter_leaves_the_other_days_of_the_week_empty(app, client, clock, org):
    busy_day(app, org)
    page = client.get("/tasks?view=week&week=2027-W12&day=sun").get_data(as_text=True)
    sunday = agenda(page, "Søndag den 28. marts 2027")
    starts = [t.split("–")[0] + " " + t.split(" ", 1)[1]
              for t in shown(sunday, r'<a href="/tasks/\d+#slot-\d+">(.*?)</a>')]
    assert starts == ["00.15 Travl dag 00", "08.00 Travl dag 01", "09.00 Travl dag 02", "10.00 Travl dag 03",
                      "11.00 Travl dag 04", "12.00 Travl dag 05", "13.00 Travl dag 06", "15.00 Travl dag 07"]
    assert more_link(sunday).group(2) == "+2 flere"
    assert "Lørdag sent" not in page and "Mandag tidligt" not in page


def test_the_current_month_counts_once_per_data_version_and_today_still_follows_the_clock(
        app, client, org, monkeypatch):
    """Today's count comes from the cached starts of its times: a later visit the same day runs
    no counting statement, yet a time that has begun has left "+N", and a new time shows."""
    from datetime import date, datetime, timezone

    from tests.conftest import counting_queries

    today = date(2026, 12, 7)
    morning = datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc)       # 09:30 in Copenhagen
    monkeypatch.setattr("portal.tasks.routes.utcnow", lambda: morning)
    add(app, org, "I dag", *(to_utc(today, time(10 + n)) for n in range(7)))          # 10:00 … 16:00
    add(app, org, "I morgen", *(to_utc(today + timedelta(days=1), time(10 + n)) for n in range(6)))
    page = client.get("/tasks?view=month&month=2026-12").get_data(as_text=True)
    assert more_link(cell(page, 7, "december")).group(2) == "+3 flere"
    # Two hours on: 10:00 and 11:00 have begun. (Another address: the page cache may lag.)
    monkeypatch.setattr("portal.tasks.routes.utcnow", lambda: morning + timedelta(hours=2, minutes=1))
    with counting_queries(app) as statements:
        page = client.get("/tasks?view=month&month=2026-12&lang=da").get_data(as_text=True)
    assert more_link(cell(page, 7, "december")).group(2) == "+1 mere"
    assert more_link(cell(page, 8, "december")).group(2) == "+2 flere"
    assert not [s for s in statements if "count(" in s.lower()], statements
    # A new time today is written: counted again, at once.
    add(app, org, "Også i dag", to_utc(today, time(20)))
    page = client.get("/tasks?view=month&month=2026-12&lang=en").get_data(as_text=True)
    assert more_link(cell(page, 7, "December")).group(2) == "+2 more"
