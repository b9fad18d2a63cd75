"""Amounts as a coordinator types them become whole øre, exactly; what cannot be read without a
guess is refused with a reason, never guessed (portal/core/money.py)."""

import pytest

from portal.core.money import MAX_ORE, MoneyError, format_ore, ore_for_input, ore_for_sheet, parse_kroner


@pytest.mark.parametrize("text, ore", [
    ("1.250,50 kr.", 125050),
    ("1250,50", 125050),
    ("1250.5", 125050),
    ("1250", 125000),
    ("1.250", 125000),            # a Danish thousands point
    ("1.250.000", 125000000),
    ("1 250,50", 125050),
    ("1\u00a0250,50\u00a0kr.", 125050),
    ("kr. 500", 50000),
    ("DKK 1,250.50", 125050),     # copied from an English statement
    ("250,-", 25000),
    ("0,5", 50),
    ("0,05", 5),
    (" 75 ", 7500),
    ("٢٥٠", 25000),                # Arabic-Indic digits
    ("２５０", 25000),              # fullwidth
    ("99.999.999,99", MAX_ORE),
])
def test_amounts_people_type_are_read_to_the_ore(text, ore):
    amount = parse_kroner(text)
    assert amount == ore and isinstance(amount, int)


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("   ", "empty"),
    ("kr.", "empty"),
    (None, "empty"),
    ("1e9", "not_a_number"),
    ("NaN", "not_a_number"),
    ("nan", "not_a_number"),
    ("Infinity", "not_a_number"),
    ("0x10", "not_a_number"),
    ("+5", "not_a_number"),
    ("-5", "negative"),
    ("\u22125", "negative"),
    ("0", "zero"),
    ("0,00", "zero"),
    ("12,345,67", "ambiguous"),
    ("1,250", "ambiguous"),       # 1,25 kr. to a Dane, 1250 kr. to an Englishman
    ("1.2.3", "ambiguous"),
    ("1,250.5.0", "ambiguous"),
    ("10,5555", "too_many_decimals"),
    ("1" * 20, "too_large"),
    ("100.000.000", "too_large"),
    ("12\x0034", "not_a_number"),
    ("\x00", "not_a_number"),
    ("12\n34", "not_a_number"),
    ("1" * 10_000, "not_a_number"),
    ("=1+1", "not_a_number"),
    ("12 kr 50", "not_a_number"),
    ("💰", "not_a_number"),
    ("12 34", "ambiguous"),       # what a form makes of "12<NUL>34": two numbers, not one
    ("1 2 5 0", "ambiguous"),
    ("١٢,٣٤٥,٦٧", "ambiguous"),
    ("0.001", "ambiguous"),       # not "1 kr." in Danish thousands: nobody writes a 0 before a group
    ("0.500", "ambiguous"),       # 0,50 kr. in English; never 500 kr.
    ("0,250.50", "ambiguous"),
    ("0 250", "ambiguous"),
])
def test_what_cannot_be_read_without_a_guess_is_refused_with_its_reason(text, reason):
    with pytest.raises(MoneyError) as refused:
        parse_kroner(text)
    assert refused.value.reason == reason


def test_a_number_that_is_not_text_is_refused():
    with pytest.raises(MoneyError):
        parse_kroner(12.5)


@pytest.mark.parametrize("ore, da, en", [
    (125050, "1.250,50 kr.", "DKK 1,250.50"),
    (125000, "1.250 kr.", "DKK 1,250"),
    (5, "0,05 kr.", "DKK 0.05"),
    (0, "0 kr.", "DKK 0"),
    (123456789, "1.234.567,89 kr.", "DKK 1,234,567.89"),
])
def test_amounts_are_shown_the_danish_way_and_the_english_way(ore, da, en):
    assert format_ore(ore) == da
    assert format_ore(ore, lang="en") == en


def test_tables_show_the_ore_always_and_forms_and_sheets_take_the_decimal_comma():
    assert format_ore(125000, always_decimals=True) == "1.250,00 kr."
    assert ore_for_input(125050) == "1250,50" and ore_for_input(125000) == "1250" and ore_for_input(None) == ""
    assert ore_for_sheet(125000) == "1250,00" and ore_for_sheet(7) == "0,07"


@pytest.mark.parametrize("ore", [1, 99, 100, 125050, 4_999_999_999, MAX_ORE])
def test_what_a_form_shows_reads_back_to_the_same_amount(ore):
    assert parse_kroner(ore_for_input(ore)) == ore
    assert parse_kroner(format_ore(ore)) == ore
    assert parse_kroner(format_ore(ore, lang="en")) == ore
