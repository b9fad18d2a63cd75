from datetime import date

import pytest

from portal.core.dates import month_grid, parse_dates, parse_month, shift_month


def test_people_can_type_dates_the_danish_way():
    assert parse_dates("24-12-2026, 31.12.2026;1/1/2027 2027-01-07") == [
        date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 7)]
    assert parse_dates("  ") == []
    for bad in ("31-02-2026", "jul", "12-2026"):
        with pytest.raises(ValueError):
            parse_dates(bad)


def test_month_grid_starts_on_monday_and_blanks_other_months():
    weeks = month_grid(2026, 11)
    assert weeks[0][:6] == [None] * 6 and weeks[0][6] == date(2026, 11, 1)  # 1 November 2026 is a Sunday
    assert weeks[-1][0] == date(2026, 11, 30)
    assert sum(1 for w in weeks for d in w if d) == 30


def test_months_shift_across_years_and_bad_input_falls_back():
    assert shift_month(2026, 12, 1) == (2027, 1) and shift_month(2026, 1, -1) == (2025, 12)
    assert parse_month("2026-02", date(2026, 11, 22)) == (2026, 2)
    assert parse_month("2026-13", date(2026, 11, 22)) == (2026, 11)
    assert parse_month("<script>", date(2026, 11, 22)) == (2026, 11)
    assert parse_month(None, None) is None and parse_month("2026-13", None) is None   # "no month asked for"
