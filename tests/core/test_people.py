"""Pure rules about people's details, no app needed."""

from datetime import date

import pytest

from portal.core.people import age_on, is_danish_postcode, normalise_phone


@pytest.mark.parametrize("birth, today, expected", [
    (date(2011, 11, 22), date(2026, 11, 22), 15),   # birthday today counts
    (date(2011, 11, 23), date(2026, 11, 22), 14),   # tomorrow does not
    (date(2008, 2, 29), date(2026, 2, 28), 17),     # leap-day child before 1 March
    (date(2008, 2, 29), date(2026, 3, 1), 18),
])
def test_age_on_counts_whole_years(birth, today, expected):
    assert age_on(birth, today) == expected


@pytest.mark.parametrize("value, ok", [
    ("2791", True), ("2770", True), (" 2791 ", True), ("0800", True), ("9990", True),
    ("0799", False), ("9991", False), ("279", False), ("27910", False), ("DK-2791", False), ("", False),
])
def test_danish_postcodes(value, ok):
    assert is_danish_postcode(value) is ok


@pytest.mark.parametrize("raw, expected", [
    ("32890100", "32 89 01 00"), ("32 89 01 00", "32 89 01 00"), ("+45 32 89 01 00", "32 89 01 00"),
    ("0045-3289-0100", "32 89 01 00"), ("+46 70 123 45 67", "+46701234567"),
    ("1234", None), ("telefon", None), ("+45 1234", None),
])
def test_phone_numbers_are_normalised_or_refused(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("text, expected", [
    ("55.5925, 12.6722", (55.5925, 12.6722)), ("55,5925; 12,6722", (55.5925, 12.6722)),
    ("55.5925 12.6722", (55.5925, 12.6722)),
    ("12.6722, 55.5925", None),   # swapped: not in Denmark
    ("48.85, 2.35", None), ("Dragør", None), ("", None),
])
def test_map_points_are_read_the_way_people_type_them(text, expected):
    from portal.core.people import parse_point
    assert parse_point(text) == expected


def test_digits_from_other_scripts_are_stored_as_0_to_9():
    from portal.core.people import ascii_digits, is_danish_postcode, normalise_phone

    assert ascii_digits("٢٧٩١") == "2791" and ascii_digits("２７９１") == "2791"
    assert normalise_phone("٣٢ ٨٩ ٠١ ٠٠") == "32 89 01 00"
    # Validation itself wants 0–9: what reaches the database can be compared with other postcodes.
    assert not is_danish_postcode("٢٧٩١") and is_danish_postcode(ascii_digits("٢٧٩١"))
