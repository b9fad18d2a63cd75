"""Amounts of money as people type them and as we show them. Pure: text in, whole øre out.

The fund keeps every amount as a whole number of øre (1 kr. = 100 øre), never a float, so sums are
exact. What a coordinator types is read the Danish way first: "1.250,50 kr." is one thousand two
hundred and fifty kroner and fifty øre. A point with one or two digits after it is a decimal point
too ("1250.5"), as people copy amounts from an English bank statement. Anything we cannot read
without guessing is refused with a reason, never guessed:

- "1,250" (a Danish reader sees 1,25 kr.; an English one 1250 kr.) and "12,345,67";
- "1e9", "NaN", "Infinity", hex, signs ("-5" is not a gift; "+5" is a typing slip);
- more than MAX_KRONER (no gift to a local fund is a hundred million kroner: 20 digits are a slip);
- control characters (a NUL byte is refused by PostgreSQL and has no place in an amount).

Digits typed in other scripts (Arabic-Indic, fullwidth) count as 0-9, as postcodes do."""

import re
import unicodedata

MAX_KRONER = 99_999_999            # under a hundred million kroner
MAX_ORE = MAX_KRONER * 100 + 99
MAX_INPUT = 40                     # characters; a longer "amount" is not one


class MoneyError(ValueError):
    """Why the text is not an amount: one of the REASONS keys (the form words each one)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


REASONS = ("empty", "not_a_number", "negative", "zero", "too_many_decimals", "ambiguous", "too_large")

# "kr.", "kr", "kroner", "DKK" before or after the number, and the ",-" of "250,-".
_CURRENCY = re.compile(r"^(?:dkk|kr\.?|kroner)\s*|\s*(?:dkk|kr\.?|kroner)$", re.IGNORECASE)
# Spaces people put between thousands (also the no-break and thin spaces a bank's page copies).
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")


def _grouped_pattern(sep: str) -> str:
    """Digits in groups of three after a first group of one to three that does not start with 0:
    "1.250.000" (nobody groups "0.001": that is a fraction, and which one is a guess)."""
    return r"[1-9][0-9]{0,2}(?:" + re.escape(sep) + r"[0-9]{3})+"


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def parse_kroner(text) -> int:
    """The amount in whole øre, or MoneyError. Zero and negative amounts are refused: the fund
    records gifts and payouts, both of which are more than nothing."""
    if text is None:
        raise MoneyError("empty")
    if not isinstance(text, str):
        raise MoneyError("not_a_number")
    if len(text) > MAX_INPUT or any(unicodedata.category(ch) == "Cc" for ch in text):
        raise MoneyError("not_a_number")
    value = _ascii_digits(text.strip())
    value = _CURRENCY.sub("", value).strip()
    if value.endswith(",-") or value.endswith(".-"):
        value = value[:-2]
    value = _CURRENCY.sub("", value).strip()
    if value == "":
        raise MoneyError("empty")
    if value[0] in "-\u2212":
        raise MoneyError("negative")
    if not re.fullmatch(r"[0-9.,\u00a0\u202f\u2009 ]+", value) or not re.search(r"[0-9]", value):
        raise MoneyError("not_a_number")
    if _SPACES.search(value):
        # A space groups thousands ("1 250,50"); anywhere else ("12 34") it is two numbers.
        value = _SPACES.sub(" ", value)
        if not re.fullmatch(r"[1-9][0-9]{0,2}(?: [0-9]{3})+(?:[.,][0-9]{1,2})?", value):
            raise MoneyError("ambiguous")
        value = value.replace(" ", "")
    if not re.fullmatch(r"[0-9.,]+", value) or not re.search(r"[0-9]", value):
        raise MoneyError("not_a_number")

    kroner, ore = _split(value)
    if len(kroner) > len(str(MAX_KRONER)) and int(kroner) > MAX_KRONER:
        raise MoneyError("too_large")
    amount = int(kroner or "0") * 100 + int((ore + "00")[:2])
    if amount > MAX_ORE:
        raise MoneyError("too_large")
    if amount == 0:
        raise MoneyError("zero")
    return amount


def _split(value: str) -> tuple[str, str]:
    """(kroner digits, øre digits) from a number holding only 0-9, "." and ","."""
    commas, points = value.count(","), value.count(".")
    if commas and points:
        # Both: the last one is the decimal mark, the other groups thousands ("1.250,50", "1,250.50").
        decimal, group = (",", ".") if value.rfind(",") > value.rfind(".") else (".", ",")
        whole, _, fraction = value.rpartition(decimal)
        if value.count(decimal) != 1 or not re.fullmatch(_grouped_pattern(group), whole):
            raise MoneyError("ambiguous")
        return whole.replace(group, ""), _fraction(fraction)
    if commas:
        whole, _, fraction = value.rpartition(",")
        if commas == 1 and len(fraction) in (1, 2) and re.fullmatch(r"[0-9]*", whole):
            return whole, fraction
        if commas == 1 and fraction == "":
            return whole, ""          # "250," as in "250,-" typed without the dash
        if commas == 1 and len(fraction) > 3:
            raise MoneyError("too_many_decimals")
        raise MoneyError("ambiguous")  # "1,250", "12,345,67", "1,2,3"
    if points:
        if re.fullmatch(_grouped_pattern("."), value):
            return value.replace(".", ""), ""   # "1.250", "1.250.000": Danish thousands
        whole, _, fraction = value.rpartition(".")
        if points == 1 and len(fraction) in (1, 2) and re.fullmatch(r"[0-9]*", whole):
            return whole, fraction              # "1250.5", "0.75"
        if points == 1 and len(fraction) > 3:
            raise MoneyError("too_many_decimals")
        raise MoneyError("ambiguous")
    return value, ""


def _fraction(fraction: str) -> str:
    if not re.fullmatch(r"[0-9]{0,2}", fraction):
        raise MoneyError("too_many_decimals" if re.fullmatch(r"[0-9]+", fraction) else "ambiguous")
    return fraction


def _grouped(number: int, sep: str) -> str:
    return f"{number:,}".replace(",", sep)


def format_ore(ore: int, *, lang: str = "da", always_decimals: bool = False) -> str:
    """"1.250,50 kr." (Danish) or "DKK 1,250.50" (English). Whole kroner without ",00" unless
    `always_decimals` (the coordinator's tables, where columns line up)."""
    ore = int(ore)
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(ore), 100)
    if lang == "en":
        text = _grouped(kroner, ",") + (f".{rest:02d}" if rest or always_decimals else "")
        return f"{sign}DKK {text}"
    text = _grouped(kroner, ".") + (f",{rest:02d}" if rest or always_decimals else "")
    return f"{sign}{text} kr."


def ore_for_input(ore: int | None) -> str:
    """What a form shows to be edited: "1250,50" or "1250" (no grouping, no currency)."""
    if ore is None:
        return ""
    kroner, rest = divmod(int(ore), 100)
    return f"{kroner},{rest:02d}" if rest else str(kroner)


def ore_for_sheet(ore: int) -> str:
    """A cell Danish Excel and LibreOffice read as a number: "1250,50" (decimal comma, no grouping)."""
    kroner, rest = divmod(int(ore), 100)
    return f"{kroner},{rest:02d}"
