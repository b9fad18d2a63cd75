"""Cutting a calendar into Copenhagen days and formatting its times once per minute."""

from collections import namedtuple
from datetime import date, datetime, time, timedelta, timezone

from portal.core.calendar_days import build_days, day_edges, day_number, free_level
from portal.core.timeutil import to_utc

UTC = timezone.utc
Row = namedtuple("Row", "id task_id title organisation starts_at ends_at capacity taken")


def hours(edges):
    return [(b - a) / timedelta(hours=1) for a, b in zip(edges, edges[1:])]


def test_local_days_are_23_and_25_hours_long_across_the_daylight_saving_changes():
    assert hours(day_edges(date(2027, 3, 27), 3)) == [24, 23, 24]
    assert hours(day_edges(date(2027, 10, 30), 3)) == [24, 25, 24]
    assert day_edges(date(2027, 3, 28), 1)[0] == datetime(2027, 3, 27, 23, tzinfo=UTC)   # midnight, still CET


def test_a_moment_falls_on_its_copenhagen_day_not_its_utc_day():
    edges = day_edges(date(2027, 3, 27), 3)
    assert day_number(datetime(2027, 3, 27, 23, 15, tzinfo=UTC), edges) == 1      # 00:15 on the 28th
    assert day_number(datetime(2027, 3, 28, 21, 59, tzinfo=UTC), edges) == 1      # 23:59 CEST
    assert day_number(datetime(2027, 3, 28, 22, 0, tzinfo=UTC), edges) == 2       # midnight of the 29th
    assert day_number(datetime(2027, 3, 26, 22, 59, tzinfo=UTC), edges) is None   # 23:59 on the 26th
    assert day_number(edges[-1], edges) is None
    new_year = day_edges(date(2026, 12, 31), 2)
    assert day_number(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), new_year) == 1  # 00:30 on 1 January


def test_days_keep_the_picked_times_in_order_and_count_the_rest():
    first = date(2027, 3, 27)
    start = to_utc(date(2027, 3, 28), time(0, 15))
    rows = [Row(n, 10 + n, f"Opgave {n}", "Enggården", start + timedelta(hours=n),
                start + timedelta(hours=n + 2), 3, n) for n in range(4)]
    days = build_days(rows, {1: 6}, edges=day_edges(first, 3), format_clock=lambda local: f"{local:%H.%M}",
                      describe_free=lambda free: f"{free} tilbage")
    (day,) = days.values()
    assert day.day == date(2027, 3, 28) and day.total == 6 and day.more == 2
    # Two hours after 00:15 is 03:15: the hour from 02 to 03 never happens that night.
    assert [(t.starts, t.ends) for t in day.times] == [("00.15", "03.15"), ("01.15", "04.15"),
                                                       ("03.15", "05.15"), ("04.15", "06.15")]
    assert [(t.free, t.free_text, t.free_level) for t in day.times][-2:] == [(1, "1 tilbage", "few"),
                                                                           (0, "0 tilbage", "none")]


def test_each_clock_time_and_number_of_places_is_formatted_once():
    calls = []

    def clock(local):
        calls.append(local)
        return f"{local:%H.%M}"

    start = to_utc(date(2027, 5, 3), time(9))
    rows = [Row(d * 10 + n, 1, "Kaffe", "Enggården", start + timedelta(days=d), start + timedelta(days=d, hours=1),
                5, 0) for d in range(20) for n in range(4)]
    days = build_days(rows, dict.fromkeys(range(20), 4), edges=day_edges(date(2027, 5, 3), 20), format_clock=clock,
                      describe_free=str)
    assert len(days) == 20 and all(d.more == 0 for d in days.values())
    assert len(calls) == 2                            # 09.00 and 10.00, for 160 times shown


def test_a_day_counted_but_emptied_before_its_times_were_read_shows_only_its_count():
    days = build_days([], {3: 2, 4: 0}, edges=day_edges(date(2027, 5, 3), 7), format_clock=str, describe_free=str)
    assert list(days) == [date(2027, 5, 6)] and days[date(2027, 5, 6)].more == 2


def test_free_level():
    assert [free_level(n) for n in (0, 1, 2, -1)] == ["none", "few", "", "none"]
