"""Recurring tasks: the school example, fortnightly rules, exceptions and daylight saving."""

from datetime import date, datetime, time, timezone

import pytest

from portal.core.recurrence import WeeklyRule, occurrences
from portal.core.timeutil import local_day_bounds, to_local, to_utc

THURSDAY = 3


def test_enggaarden_and_8th_grade_cycle_every_thursday_13_to_14():
    rule = WeeklyRule(weekdays=frozenset({THURSDAY}), starts=time(13), ends=time(14),
                      first_date=date(2026, 11, 1))
    found = occurrences(rule, date(2026, 11, 22), date(2026, 12, 31))
    assert [o.day for o in found] == [date(2026, 11, 26), date(2026, 12, 3), date(2026, 12, 10),
                                      date(2026, 12, 17), date(2026, 12, 24), date(2026, 12, 31)]
    assert all(to_local(o.starts_at).time() == time(13) and to_local(o.ends_at).time() == time(14) for o in found)
    assert found[0].starts_at == datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)  # CET = UTC+1


def test_the_local_hour_stays_the_same_across_daylight_saving():
    rule = WeeklyRule(weekdays=frozenset({THURSDAY}), starts=time(13), ends=time(14),
                      first_date=date(2027, 3, 18))
    before, _, after = occurrences(rule, date(2027, 3, 18), date(2027, 4, 1))  # DST begins 28 March 2027
    assert to_local(before.starts_at).hour == to_local(after.starts_at).hour == 13
    assert before.starts_at.hour == 12 and after.starts_at.hour == 11  # UTC shifts, the local hour does not
    autumn = occurrences(WeeklyRule(weekdays=frozenset({6}), starts=time(10), ends=time(12),
                                    first_date=date(2026, 10, 18)), date(2026, 10, 18), date(2026, 11, 1))
    assert [to_local(o.starts_at).hour for o in autumn] == [10, 10, 10]


def test_fortnightly_counts_weeks_from_the_first_date_and_skips_exceptions():
    rule = WeeklyRule(weekdays=frozenset({0, 2}), starts=time(16), ends=time(17, 30), first_date=date(2026, 11, 23),
                      last_date=date(2026, 12, 31), interval_weeks=2, exceptions=frozenset({date(2026, 12, 9)}))
    days = [o.day for o in occurrences(rule, date(2026, 11, 1), date(2027, 2, 1))]
    assert days == [date(2026, 11, 23), date(2026, 11, 25), date(2026, 12, 7), date(2026, 12, 21),
                    date(2026, 12, 23)]


def test_a_rule_never_produces_times_outside_its_window():
    rule = WeeklyRule(weekdays=frozenset(range(7)), starts=time(9), ends=time(10), first_date=date(2026, 1, 1))
    assert occurrences(rule, date(2026, 5, 1), date(2026, 4, 1)) == []
    assert len(occurrences(rule, date(2026, 5, 1), date(2026, 5, 31))) == 31


@pytest.mark.parametrize("kwargs", [
    dict(weekdays=frozenset(), starts=time(9), ends=time(10)),
    dict(weekdays=frozenset({7}), starts=time(9), ends=time(10)),
    dict(weekdays=frozenset({1}), starts=time(10), ends=time(9)),
    dict(weekdays=frozenset({1}), starts=time(9), ends=time(10), interval_weeks=3),
    dict(weekdays=frozenset({1}), starts=time(9), ends=time(10), last_date=date(2025, 1, 1)),
])
def test_impossible_rules_are_refused(kwargs):
    with pytest.raises(ValueError):
        WeeklyRule(first_date=date(2026, 1, 1), **kwargs)


def test_the_skipped_spring_hour_moves_forward_and_dst_days_have_23_or_25_hours():
    assert to_local(to_utc(date(2027, 3, 28), time(2, 30))).time() == time(3, 30)
    start, end = local_day_bounds(date(2027, 3, 28))
    assert (end - start).total_seconds() == 23 * 3600
    start, end = local_day_bounds(date(2026, 10, 25))
    assert (end - start).total_seconds() == 25 * 3600
