"""The dashboards' arithmetic on hand-made rows (portal/core/dashboard.py)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from portal.core import dashboard as calc
from portal.core.hours import Contribution, Source


def c(user, day, hours, org=1, cat=10):
    return Contribution(user, org, cat, day, int(hours * 3600), Source.attended)


def test_periods_and_the_period_before():
    today = date(2026, 3, 15)
    month = calc.this_month(today)
    assert (month.start, month.end) == (date(2026, 3, 1), date(2026, 4, 1))
    assert month.previous == calc.Span(date(2026, 2, 1), date(2026, 3, 1))
    twelve = calc.last_twelve_months(today)
    assert (twelve.start, twelve.end) == (date(2025, 4, 1), date(2026, 4, 1))
    assert twelve.previous == calc.Span(date(2024, 4, 1), date(2025, 4, 1))
    assert calc.calendar_year(2025).previous == calc.calendar_year(2024)
    january = calc.this_month(date(2027, 1, 31))
    assert january.previous == calc.Span(date(2026, 12, 1), date(2027, 1, 1))
    week = calc.custom(date(2026, 3, 10), date(2026, 3, 16))
    assert week.days == 7 and week.previous == calc.Span(date(2026, 3, 3), date(2026, 3, 10))
    assert calc.custom(date(2026, 3, 10), date(2026, 3, 10)).days == 1


def test_a_custom_period_is_refused_backwards_or_longer_than_ten_years():
    with pytest.raises(ValueError, match="order"):
        calc.custom(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(ValueError, match="too_long"):
        calc.custom(date(2000, 1, 1), date(2015, 1, 1))
    assert calc.custom(date(2016, 1, 1), date(2025, 12, 31)).days == 3653      # ten years with three leap days


def test_months_in_a_period_cross_the_new_year():
    assert calc.months_in(calc.Span(date(2025, 11, 20), date(2026, 2, 3))) == [
        (2025, 11), (2025, 12), (2026, 1), (2026, 2)]


def test_age_bands_on_the_periods_last_day():
    day = date(2026, 6, 30)
    assert calc.age_band(date(2008, 7, 1), day) == "under_18"      # 17 the day before turning 18
    assert calc.age_band(date(2008, 6, 30), day) == "18_29"
    assert calc.age_band(date(1976, 7, 1), day) == "30_49"
    assert calc.age_band(date(1959, 6, 30), day) == "67_plus"
    assert calc.age_band(date(1960, 1, 1), day) == "50_66"
    assert calc.age_band(None, day) == "unknown"
    assert calc.age_band(date(2030, 1, 1), day) == "unknown"       # a birth date in the future
    assert dict(calc.per_band([None, date(2000, 1, 1), date(2000, 5, 5)], day)) == {
        "under_18": 0, "18_29": 2, "30_49": 0, "50_66": 0, "67_plus": 0, "unknown": 1}


def test_hours_split_by_period_and_ranked():
    span = calc.Span(date(2026, 3, 1), date(2026, 4, 1))
    rows = [c(1, date(2026, 3, 2), 2, org=7), c(2, date(2026, 3, 31), 1.5, org=8), c(2, date(2026, 2, 10), 4),
            c(3, date(2026, 4, 1), 9), c(4, date(2026, 1, 31), 9)]
    now, before = calc.split(rows, span)
    assert [r.user_id for r in now] == [1, 2] and [r.user_id for r in before] == [2]
    assert calc.hours_ranked(now, "organisation_id") == [(7, 2.0), (8, 1.5)]
    assert calc.hours_per_month(now, span) == [((2026, 3), 3.5)]
    assert calc.people(now) == {1, 2}
    assert calc.people([c(9, date(2026, 3, 2), 0)]) == set()


def test_active_and_new_people_per_month_include_empty_months():
    span = calc.Span(date(2026, 1, 1), date(2026, 4, 1))
    rows = [c(1, date(2026, 1, 5), 1), c(1, date(2026, 1, 9), 1), c(2, date(2026, 3, 1), 1)]
    assert calc.active_per_month(rows, span) == [((2026, 1), 1), ((2026, 2), 0), ((2026, 3), 1)]
    assert calc.per_month([date(2026, 2, 1), date(2026, 2, 28), date(2025, 12, 31)], span) == [
        ((2026, 1), 0), ((2026, 2), 2), ((2026, 3), 0)]


def test_fill_rate_emptiest_first_and_rates():
    fills = calc.fill_by([("a", 10, 10), ("b", 4, 1), ("a", 10, 0), ("c", 0, 0), ("d", 5, -3)])
    assert [(f.key, f.capacity, f.taken, f.percent) for f in fills] == [
        ("d", 5, 0, 0.0), ("b", 4, 1, 25.0), ("a", 20, 10, 50.0)]
    assert calc.fill_total([(None, 4, 1), (None, 4, 3)]).percent == 50.0
    assert calc.fill_total([]).percent is None
    assert calc.rate(1, 3) == 33.3 and calc.rate(1, 0) is None


def test_no_show_rate_and_first_timers():
    assert calc.NoShows(attended=3, no_show=1).percent == 25.0
    assert calc.NoShows(0, 0).percent is None
    span = calc.Span(date(2026, 3, 1), date(2026, 4, 1))
    assert calc.first_timers([(1, date(2026, 3, 1)), (2, date(2026, 2, 28)), (3, date(2026, 3, 31))], span) == 2


def test_changes_compare_with_the_period_before():
    assert calc.change(112, 100).percent == 12
    assert calc.change(5, 0) is None
    assert calc.rate_change(None, 10.0) is None
    assert calc.rate_change(30.0, 20.0).percent == 50


def test_most_urgent_is_soonest_day_then_emptiest():
    now = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)

    def need(i, hours, capacity, taken):
        return calc.Need(i, i, f"T{i}", "Org", now + timedelta(hours=hours), capacity, taken)

    needs = [need(1, 2, 4, 3),      # today 10:00 local-ish, nearly full
             need(2, 6, 4, 0),      # today, empty: first
             need(3, 30, 2, 0),     # tomorrow
             need(4, 3, 4, 4),      # full: not listed
             need(5, -1, 4, 0),     # started: not listed
             need(6, 24 * 15, 4, 0)]  # beyond 14 days
    assert [n.slot_id for n in calc.most_urgent(needs, now=now)] == [2, 1, 3]
    assert calc.most_urgent(needs, now=now, limit=1)[0].missing == 4
