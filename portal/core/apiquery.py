"""Reading the open data API's query strings, and its paging cursors. Pure.

Parameters are read by the very OpenAPI parameter objects the API publishes (portal/api/schemas.py),
so the document and the checks cannot drift apart: what the document calls valid is accepted,
anything else is refused with a message naming the parameter. Unknown parameters are ignored.

Cursors are opaque to clients (base64url of a small JSON array) and carry the keyset position of
the last item of a page: `("times", starts_at, id)` or `("tasks", id)`. Paging by position rather
than by OFFSET costs the same on page 1,000 as on page 1 and never skips or repeats an item when
rows are added in between. A cursor is not a secret, so it is not signed: a hand-made one can only
name another position in the same public list, which it checks strictly."""

import base64
import binascii
import json
import re
from datetime import date, datetime, time, timedelta, timezone

from portal.core.timeutil import to_local, to_utc

_INTEGER = re.compile(r"-?[0-9]{1,20}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,200}$"


class BadParameter(ValueError):
    """A query parameter that cannot be used; `message` is for the client, in English."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


def _read(name: str, raw: str, schema: dict):
    kind = schema.get("type")
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        span = f" from {low} to {high}" if low is not None and high is not None else ""
        if not _INTEGER.fullmatch(raw) or not (low is None or int(raw) >= low) or not (high is None or int(raw) <= high):
            raise BadParameter(name, f"{name} must be a whole number{span}.")
        return int(raw)
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
    if len(raw) > schema.get("maxLength", 200) or (pattern and not re.fullmatch(pattern.removeprefix("^").removesuffix("$"), raw)):
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

def encode_cursor(kind: str, *key) -> str:
    text = json.dumps([kind, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(text: str, kind: str, size: int) -> list:
    if not re.fullmatch(CURSOR_PATTERN.removeprefix("^").removesuffix("$"), text):
        raise ValueError("not base64url")
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("not a cursor") from None
    if not isinstance(data, list) or len(data) != size + 1 or data[0] != kind:
        raise ValueError("a cursor of another list")
    return data[1:]


def _id(value, max_id: int) -> int:
    if type(value) is not int or not 1 <= value <= max_id:
        raise ValueError("not an id")
    return value


def _cursor_error() -> BadParameter:
    return BadParameter("cursor", "cursor is not one this API gave out for this list; "
                                  "follow the `next` link of the previous page.")


def read_id_cursor(text: str, kind: str, *, max_id: int) -> int:
    """The id after which the next page of `kind` starts."""
    try:
        (last_id,) = _decode(text, kind, 1)
        return _id(last_id, max_id)
    except ValueError:
        raise _cursor_error() from None


def time_cursor(starts_at: datetime, slot_id: int) -> str:
    return encode_cursor("times", starts_at.astimezone(timezone.utc).isoformat(), slot_id)


def read_time_cursor(text: str, *, max_id: int) -> tuple[datetime, int]:
    """(starts_at, id) of the last time on the previous page."""
    try:
        stamp, last_id = _decode(text, "times", 2)
        if not isinstance(stamp, str) or len(stamp) > 40:
            raise ValueError("not a time")
        starts_at = datetime.fromisoformat(stamp)
        if starts_at.utcoffset() != timedelta(0):
            raise ValueError("not UTC")
        return starts_at, _id(last_id, max_id)
    except ValueError:
        raise _cursor_error() from None


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
