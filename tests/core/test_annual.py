"""The annual account's arithmetic (portal/core/annual.py): volunteers are people with counted
hours, months are local months, comparisons with the year before are whole per cent."""

from datetime import date

from portal.core.annual import change, kroner, sheet_number, organisations, per_month, ranked, volunteers
from portal.core.hours import Contribution, Source


def work(user, org, cat, day, hours):
    return Contribution(user, org, cat, day, round(hours * 3600), Source.attended)


LEDGER = [work(1, 10, 100, date(2025, 3, 10), 2), work(1, 10, 100, date(2025, 6, 20), 4),
          work(2, 20, 200, date(2025, 12, 31), 2), work(3, 20, 200, date(2025, 9, 1), 1.5),
          work(4, 30, 100, date(2025, 4, 1), 0)]


def test_volunteers_are_people_with_counted_hours():
    assert volunteers(LEDGER) == 3
    assert volunteers([]) == 0


def test_organisations_active_by_their_hours():
    assert organisations(LEDGER) == {10, 20}


def test_per_month_has_twelve_months_with_zeros():
    months = per_month(LEDGER, 2025)
    assert len(months) == 12
    assert months[2] == 2 and months[5] == 4 and months[8] == 1.5 and months[11] == 2
    assert months[0] == 0 and sum(months) == 9.5
    assert per_month(LEDGER, 2024) == [0] * 12


def test_ranked_most_hours_first_and_limited():
    assert ranked(LEDGER, "organisation_id") == [(10, 6.0), (20, 3.5)]
    assert ranked(LEDGER, "category_id", limit=1) == [(100, 6.0)]
    # A tie is broken by id, so the order never flickers between two page loads.
    assert ranked([work(1, 7, 1, date(2025, 1, 1), 1), work(1, 3, 1, date(2025, 1, 1), 1)], "organisation_id") \
        == [(3, 1.0), (7, 1.0)]


def test_change_in_whole_per_cent_and_none_without_a_year_before():
    assert change(9.5, 3).percent == 217 and change(9.5, 3).up
    assert change(88, 100).percent == -12 and change(88, 100).down
    assert change(5, 5).percent == 0 and not change(5, 5).up and not change(5, 5).down
    assert change(5, 0) is None and change(0, 0) is None


def test_kroner_from_ore():
    assert kroner(125050) == 1250.5 and kroner(0) == 0


def test_sheet_numbers_use_a_decimal_comma_and_leave_text_alone():
    assert sheet_number(9.5) == "9,5" and sheet_number(1250.55) == "1250,55" and sheet_number(0.1) == "0,1"
    assert sheet_number(4.0) == 4 and sheet_number(12) == 12 and sheet_number(0.0) == 0
    assert sheet_number("=1+1") == "=1+1" and sheet_number(True) is True
