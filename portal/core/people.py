"""Rules about people's details: age, postcodes, phone numbers."""

import re
from datetime import date

_POSTCODE = re.compile(r"^[0-9]{4}$")
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


def parse_point(text: str) -> tuple[float, float] | None:
    """ "55.5925, 12.6722" (or with decimal commas and a semicolon) to (latitude, longitude)
    inside Denmark's bounding box; None if it is not such a point."""
    import re
    match = re.fullmatch(r"\s*(\d{2}[.,]\d+)\s*[;,\s]\s*(\d{1,2}[.,]\d+)\s*", text or "")
    if not match:
        return None
    lat, lon = (float(g.replace(",", ".")) for g in match.groups())
    if not (54.5 <= lat <= 57.8 and 8.0 <= lon <= 15.2):
        return None
    return lat, lon


def ascii_digits(value: str) -> str:
    """Digits typed in another script (Arabic-Indic "٢٧٩١", fullwidth "２７９１") as 0–9, so they are
    stored and compared like everyone else's; other characters are left as they are."""
    import unicodedata

    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in value)


def normalise_phone(value: str) -> str | None:
    """Returns a Danish number as '12 34 56 78' (or '+CC …' kept as digits), or None if invalid."""
    raw = _PHONE_DIGITS.sub("", ascii_digits(value.strip()))
    if raw.startswith("0045"):
        raw = "+45" + raw[4:]
    if raw.startswith("+45"):
        raw = raw[3:]
    if re.fullmatch(r"[0-9]{8}", raw):
        return " ".join(raw[i:i + 2] for i in range(0, 8, 2))
    if re.fullmatch(r"\+[0-9]{7,15}", raw):
        return raw
    return None
