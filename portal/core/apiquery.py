"""Reading the open data API's query strings, and its paging cursors. Pure.

Parameters are read by the very OpenAPI parameter objects the API publishes (portal/api/schemas.py),
so the document and the checks cannot drift apart: what the document calls valid is accepted,
anything else is refused with a message naming the parameter. Unknown parameters are ignored.

Cursors are opaque to clients and carry the keyset position of the last item of a page: (starts_at,
id) for times, the id for the other lists. Paging by position rather than by OFFSET costs the same on
page 1,000 as on page 1 and never skips or repeats an item when rows are added in between. A cursor
is not a secret, so it is not signed: a hand-made one can only name another position in a public list."""

import base64
import re
from datetime import date, datetime, time, timedelta, timezone

from portal.core.timeutil import to_local, to_utc

_INTEGER = re.compile(r"-?[0-9]{1,20}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class BadParameter(ValueError):
    """A query parameter that cannot be used; `message` is for the client, in English."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


def _unanchored(pattern: str) -> str:
    # The documented patterns are anchored ^…$; fullmatch anchors, and unlike `$` it does not let a
    # trailing newline through.
    return pattern.removeprefix("^").removesuffix("$")


def _read(name: str, raw: str, schema: dict):
    kind = schema.get("type")
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        span = f" from {low} to {high}" if low is not None and high is not None else ""
        number = int(raw) if _INTEGER.fullmatch(raw) else None
        if number is None or (low is not None and number < low) or (high is not None and number > high):
            raise BadParameter(name, f"{name} must be a whole number{span}.")
        return number
    if schema.get("format") == "date":
        try:
            if not _DATE.fullmatch(raw):
                raise ValueError(raw)
            return date.fromisoformat(raw)
        except ValueError:
            raise BadParameter(name, f"{name} must be a date written YYYY-MM-DD, such as 2026-12-01.") from None
    if "enum" in schema:
        if raw not in schema["enum"]:
            raise BadParameter(name, f"{name} must be one of: {', '.join(schema['enum'])}.")
        return raw
    pattern = schema.get("pattern")
    if len(raw) > schema.get("maxLength", 200) or (pattern and not re.fullmatch(_unanchored(pattern), raw)):
        raise BadParameter(name, f"{name} is not in the form this API uses ({schema.get('description', pattern)}).")
    return raw


def read_query(args: dict[str, list[str]], parameters: list[dict]) -> dict:
    """The query parameters described by `parameters` (OpenAPI parameter objects, "in": "query"),
    read from `args` (each name with all its values), with their defaults. Raises BadParameter."""
    values = {}
    for parameter in parameters:
        if parameter.get("in") != "query":
            continue
        name, schema = parameter["name"], parameter["schema"]
        given = args.get(name, [])
        if len(given) > 1:
            raise BadParameter(name, f"{name} may be given only once.")
        values[name] = _read(name, given[0], schema) if given else schema.get("default")
    return values


# --- cursors -------------------------------------------------------------------------------------
#
# A cursor is a keyset position in fixed-size binary, base64url-encoded: every string of the right
# length and alphabet names a position (perhaps one before or after every row), so a well-formed
# cursor never fails and anything else is refused. An id list's cursor is the last id (6 bytes);
# the times' cursor is the last start in microseconds since 1970 (8 bytes, signed) and the last id
# (4 bytes). The lengths differ, so a cursor of one kind of list is refused by the other.

ID_CURSOR_PATTERN = "^[A-Za-z0-9_-]{8}$"
TIME_CURSOR_PATTERN = "^[A-Za-z0-9_-]{16}$"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Positions outside what a datetime holds are read as its ends: nothing comes before or after them.
_EARLIEST = datetime(1, 1, 2, tzinfo=timezone.utc)
_LATEST = datetime(9999, 12, 30, tzinfo=timezone.utc)


def _cursor_bytes(text: str, pattern: str) -> bytes:
    if not re.fullmatch(_unanchored(pattern), text):
        raise BadParameter("cursor", "cursor is not one this API gave out for this list; "
                                     "follow the `next` link of the previous page.")
    return base64.urlsafe_b64decode(text)


def id_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(last_id.to_bytes(6, "big")).decode()


def read_id_cursor(text: str, *, max_id: int) -> int:
    """The id after which the next page starts (no id is above max_id: the column's limit)."""
    return min(int.from_bytes(_cursor_bytes(text, ID_CURSOR_PATTERN), "big"), max_id)


def time_cursor(starts_at: datetime, slot_id: int) -> str:
    micros = (starts_at - _EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(micros.to_bytes(8, "big", signed=True) + slot_id.to_bytes(4, "big")).decode()


def read_time_cursor(text: str, *, max_id: int) -> tuple[datetime, int]:
    """(starts_at, id) of the last time on the previous page."""
    raw = _cursor_bytes(text, TIME_CURSOR_PATTERN)
    micros = int.from_bytes(raw[:8], "big", signed=True)
    earliest = (_EARLIEST - _EPOCH) // timedelta(microseconds=1)
    latest = (_LATEST - _EPOCH) // timedelta(microseconds=1)
    starts_at = _EPOCH + timedelta(microseconds=min(max(micros, earliest), latest))
    return starts_at, min(int.from_bytes(raw[8:], "big"), max_id)


# --- the window of a date filter ---------------------------------------------------------------

# A `to` this late means "no end": the next day's midnight would not fit in a datetime.
_LAST_DAY = date(9999, 12, 30)


def time_window(first: date | None, last: date | None, *, now: datetime) -> tuple[datetime, datetime | None]:
    """[start, end) in UTC for local dates `first`..`last` (both included), never before now.
    Any real date is accepted: a `from` in the past means from now on, a `to` far ahead no end."""
    start = now
    if first is not None and first > to_local(now).date():
        start = to_utc(first, time(0))
    end = None
    if last is not None and last <= _LAST_DAY:
        end = to_utc(last + timedelta(days=1), time(0))
    return start, end
