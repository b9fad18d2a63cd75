"""The ledger's arithmetic (portal/core/hours.py): totals to one decimal, grouped by key."""

from datetime import date

from portal.core.hours import Contribution, Period, Source, total, totals_by


def piece(user, org, category, day, minutes):
    return Contribution(user, org, category, day, minutes * 60, Source.logged)


def test_totals_add_seconds_before_rounding_to_one_decimal():
    pieces = [piece(1, 1, 1, date(2026, 1, 1), 20)] * 3
    assert total(pieces) == 1.0
    assert total([]) == 0


def test_totals_by_month_and_person():
    pieces = [piece(1, 1, 1, date(2026, 1, 31), 60), piece(2, 1, 1, date(2026, 2, 1), 90),
              piece(1, 2, 3, date(2026, 2, 28), 30)]
    assert totals_by(pieces, "month") == {(2026, 1): 1.0, (2026, 2): 2.0}
    assert totals_by(pieces, "user") == {1: 1.5, 2: 1.5}
    assert totals_by(pieces, "organisation") == {1: 2.5, 2: 0.5}


def test_a_period_includes_its_start_and_leaves_out_its_end():
    march = Period.month(2026, 3)
    assert date(2026, 3, 1) in march and date(2026, 3, 31) in march and date(2026, 4, 1) not in march
    assert date(2026, 12, 31) in Period.month(2026, 12) and date(2027, 1, 1) not in Period.month(2026, 12)
    assert date(1900, 1, 1) in Period()
