"""Input that no page may choke on: ids of any size, NUL bytes, years nobody means.

PostgreSQL refuses a NUL byte in text and an id beyond its integer column; SQLite accepts
both, so without these guards a URL that works on one database is a server error on the
other. Each guard answers in the visitor's terms (404 for an id that cannot exist, 400 for
text that cannot be stored) before any query runs."""

from datetime import date

from flask import abort, request
from werkzeug.routing import IntegerConverter

# The primary keys are INTEGER columns: PostgreSQL's int4.
MAX_ID = 2**31 - 1
# Dates people can mean on a volunteer portal; outside this the clock arithmetic overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number too large for an id column does not match (404),
    and neither do non-ASCII digits ("１" would otherwise read as 1)."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def as_id(value) -> int | None:
    """An id from a form or query value, or None when it cannot name a row."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def sensible_date(day: date | None) -> date | None:
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vals) for key, vals in values.lists())


def refuse_nul_bytes():
    if "\x00" in request.path or _has_nul(request.args) or (request.method != "GET" and _has_nul(request.form)):
        abort(400, description="nul")


def init_app(app):
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_bytes)
