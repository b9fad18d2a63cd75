"""The leave policy's arithmetic: what people type becomes tenths, tenths become minutes a
year (the list's sort key) and the hours on the line "Giver 1 dag (7,4 timer) om året"."""

import pytest

from portal.core import leave


@pytest.mark.parametrize("typed, tenths", [
    ("7,4", 74), ("7.4", 74), (" 7 ", 70), ("2", 20), ("0,5", 5), (",5", 5), ("1000", 10000), ("12.", 120),
])
def test_amounts_with_a_comma_or_a_point_become_tenths(typed, tenths):
    assert leave.parse_tenths(typed) == tenths


@pytest.mark.parametrize("typed", ["", " ", "7,45", "1.000,5", "-3", "+3", "NaN", "Infinity", "1e3", "7,4,1",
                                   ".", "sju", "٣", "9" * 13, "7\x004"])
def test_anything_but_a_number_with_one_decimal_is_refused(typed):
    assert leave.parse_tenths(typed) is None


def test_hours_count_sixty_minutes_each():
    assert leave.minutes_per_year(74, "hours") == 444
    assert leave.minutes_per_year(10, "hours") == 60


def test_days_count_the_company_s_working_day():
    assert leave.minutes_per_year(10, "days") == 444          # Danske Bank: one day = 7,4 hours
    assert leave.minutes_per_year(20, "days", 444) == 888
    assert leave.minutes_per_year(10, "days", 450) == 450     # a 7,5-hour day
    assert leave.minutes_per_year(15, "days", 444) == 666


def test_a_fraction_of_a_minute_rounds_half_up():
    assert leave.minutes_per_year(1, "days", 445) == 45       # 44,5 minutes


def test_one_day_and_seven_point_four_hours_sort_alike():
    assert leave.minutes_per_year(10, "days", 444) == leave.minutes_per_year(74, "hours")


def test_tenths_are_written_without_a_needless_zero():
    assert leave.format_tenths(74) == "7,4"
    assert leave.format_tenths(10) == "1"
    assert leave.format_tenths(74, ".") == "7.4"
    assert leave.format_tenths(5) == "0,5"


def test_the_line_shows_days_with_their_hours():
    line = leave.leave_line(10, "days", 444)
    assert (line.amount_tenths, line.hours_tenths, line.is_whole_one) == (10, 74, True)
    two = leave.leave_line(20, "days", 444)
    assert (two.hours_tenths, two.is_whole_one) == (148, False)


def test_hours_are_rounded_to_a_tenth():
    assert leave.hours_tenths(444) == 74
    assert leave.hours_tenths(445) == 74
    assert leave.hours_tenths(447) == 75
