"""The open data API's query strings and cursors (portal.core.apiquery): what the published
parameter descriptions call valid is read, anything else is a BadParameter naming the parameter."""

from datetime import date, datetime, timedelta, timezone

import pytest

from portal.core.apiquery import (BadParameter, id_cursor, read_id_cursor, read_query, read_time_cursor, time_cursor,
                                  time_window)
from portal.core.timeutil import to_local

LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}
FROM = {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}}
SLUG = {"name": "organisation", "in": "query", "schema": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                                                           "maxLength": 80}}
KIND = {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["one_off", "ongoing"]}}
PARAMETERS = [LIMIT, FROM, SLUG, KIND]
MAX_ID = 2**31 - 1


def test_valid_values_are_read_and_missing_ones_take_their_default():
    assert read_query({"limit": ["7"], "from": ["2026-12-31"], "organisation": ["kirke-2"], "kind": ["ongoing"],
                       "unknown": ["whatever"]}, PARAMETERS) == \
        {"limit": 7, "from": date(2026, 12, 31), "organisation": "kirke-2", "kind": "ongoing"}
    assert read_query({}, PARAMETERS) == {"limit": 20, "from": None, "organisation": None, "kind": None}


@pytest.mark.parametrize("name, value", [
    ("limit", "-1"), ("limit", "0"), ("limit", "101"), ("limit", "1" + "0" * 20), ("limit", "abc"), ("limit", ""),
    ("limit", "1.5"), ("limit", " 5"), ("limit", "٣"), ("limit", "NaN"),
    ("from", "2026-13-45"), ("from", "2026-02-30"), ("from", "20261201"), ("from", "2026-W48-1"), ("from", ""),
    ("organisation", "Kirke"), ("organisation", "a--b"), ("organisation", "x\n"), ("organisation", "a" * 81),
    ("kind", "mentor"),
])
def test_anything_else_is_refused_with_the_parameter_named(name, value):
    with pytest.raises(BadParameter) as refused:
        read_query({name: [value]}, PARAMETERS)
    assert refused.value.name == name and name in refused.value.message


def test_a_parameter_given_twice_is_refused():
    with pytest.raises(BadParameter, match="only once"):
        read_query({"limit": ["5", "6"]}, PARAMETERS)


def test_cursors_come_back_as_the_position_they_were_made_from():
    moment = datetime(2027, 3, 28, 1, 30, 0, 123456, tzinfo=timezone.utc)
    assert read_time_cursor(time_cursor(moment, 42), max_id=MAX_ID) == (moment, 42)
    assert read_id_cursor(id_cursor(9), max_id=MAX_ID) == 9


def test_every_well_formed_cursor_is_a_position_even_beyond_the_data():
    """Any string of the cursor's length and alphabet names a position (schemathesis sends such
    strings as valid data): one past every id, or before or after every time that can exist."""
    assert read_id_cursor("________", max_id=MAX_ID) == MAX_ID
    assert read_id_cursor("AAAAAAAA", max_id=MAX_ID) == 0
    latest, last_id = read_time_cursor("_" * 16, max_id=MAX_ID)      # -1 µs: just before 1970, id 2^32 - 1
    assert latest == datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc) and last_id == MAX_ID
    assert read_time_cursor("f" * 16, max_id=MAX_ID)[0].year == 9999   # far ahead: read as the last day
    assert read_time_cursor("g" * 16, max_id=MAX_ID)[0].year == 1       # far back: read as the first


@pytest.mark.parametrize("cursor", ["abc", "!!!!!!!!", "", "=" * 8, "AAAAAAA", "AAAAAAAAA", "A" * 300, "AAAA AAA",
                                    "AAAA+AAA", "AAAA/AAA", "AAAAAA==", time_cursor(datetime.now(timezone.utc), 3)])
def test_an_id_cursor_that_is_not_well_formed_is_refused(cursor):
    with pytest.raises(BadParameter) as refused:
        read_id_cursor(cursor, max_id=MAX_ID)
    assert refused.value.name == "cursor"


@pytest.mark.parametrize("cursor", ["abc", "A" * 15, "A" * 17, "A" * 15 + "=", "A" * 15 + "\n", id_cursor(5)])
def test_a_time_cursor_that_is_not_well_formed_is_refused(cursor):
    with pytest.raises(BadParameter) as refused:
        read_time_cursor(cursor, max_id=MAX_ID)
    assert refused.value.name == "cursor"


def test_the_date_window_never_starts_before_now_and_any_real_date_is_accepted():
    now = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)          # 00:30 on New Year's Day in Copenhagen
    assert time_window(None, None, now=now) == (now, None)
    assert time_window(date(1, 1, 1), date(9999, 12, 31), now=now) == (now, None)
    # Local days: 1 January 2027 starts at 23:00 UTC on 31 December.
    today = to_local(now).date()
    assert today == date(2027, 1, 1)
    assert time_window(today, today, now=now) == (now, datetime(2027, 1, 1, 23, 0, tzinfo=timezone.utc))
    start, end = time_window(date(2027, 3, 28), date(2027, 3, 28), now=now)   # the spring DST day: 23 hours
    assert end - start == timedelta(hours=23)
