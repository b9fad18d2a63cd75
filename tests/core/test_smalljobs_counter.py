"""The private small-jobs counter's verdict (portal/core/smalljobs.py): a warning from 80 % of the
person's own limit, a stronger one at or over it; what may be typed as a limit."""

import pytest

from portal.core.smalljobs import Counter, level, parse_limit


@pytest.mark.parametrize("total, limit, expected", [
    (0, None, "none"), (50, None, "none"), (0, 15, "ok"), (11.9, 15, "ok"), (12, 15, "near"),
    (14.9, 15, "near"), (15, 15, "over"), (40, 15, "over"), (0.8, 1, "near"), (1, 1, "over"),
])
def test_the_level_against_the_persons_own_limit(total, limit, expected):
    assert level(total, limit) == expected


def test_booked_hours_count_towards_the_warning_and_the_meter_stays_inside():
    counter = Counter(done=10, booked=3, limit=15)
    assert counter.total == 13 and counter.level == "near" and counter.percent == 87
    over = Counter(done=12, booked=6.5, limit=15)
    assert over.level == "over" and over.meter_value == 15 and over.percent == 123
    assert Counter(done=4, booked=0, limit=None).percent == 0


@pytest.mark.parametrize("typed, expected", [
    ("", (None, None)), ("   ", (None, None)), (None, (None, None)), ("15", (15, None)), (" 200 ", (200, None)),
    ("1", (1, None)), ("0", (None, "range")), ("201", (None, "range")), ("12.5", (None, "whole")),
    ("12,5", (None, "whole")), ("-3", (None, "whole")), ("abc", (None, "whole")), ("١٢", (None, "whole")),
    ("9" * 5000, (None, "whole")), ("1\x00", (None, "whole")), ("1e3", (None, "whole")),
])
def test_what_may_be_typed_as_a_limit(typed, expected):
    assert parse_limit(typed) == expected
