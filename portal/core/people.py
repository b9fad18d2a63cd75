"""Rules about people's details: age, postcodes, phone numbers."""

import re
from datetime import date

_POSTCODE = re.compile(r"^\d{4}$")
_PHONE_DIGITS = re.compile(r"[\s\-().]")


def age_on(birth_date: date, today: date) -> int:
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_danish_postcode(value: str) -> bool:
    """Danish postcodes are four digits from 0800 (Høje-Taastrup special) to 9990."""
    value = value.strip()
    return bool(_POSTCODE.match(value)) and 800 <= int(value) <= 9990


def normalise_phone(value: str) -> str | None:
    """Returns a Danish number as '12 34 56 78' (or '+CC …' kept as digits), or None if invalid."""
    raw = _PHONE_DIGITS.sub("", value.strip())
    if raw.startswith("0045"):
        raw = "+45" + raw[4:]
    if raw.startswith("+45"):
        raw = raw[3:]
    if re.fullmatch(r"\d{8}", raw):
        return " ".join(raw[i:i + 2] for i in range(0, 8, 2))
    if re.fullmatch(r"\+\d{7,15}", raw):
        return raw
    return None
