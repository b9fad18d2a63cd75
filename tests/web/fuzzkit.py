"""Pieces for the fuzz test (tests/web/test_fuzz.py): a world with one of everything, the
forms found on its pages, hostile values, and a cheap fingerprint of the database."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from hypothesis import strategies as st
from sqlalchemy import select

from portal.extensions import db

# --- the forms on a page ----------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)       # name -> {"kind", "values", "options", "type"}

    def add(self, name, kind, value="", type_="", options=None, checked=False):
        entry = self.fields.setdefault(name, {"kind": kind, "type": type_, "values": [], "options": []})
        if kind in ("checkbox", "radio"):
            entry["options"].append(value)
            if checked:
                entry["values"].append(value)
        elif kind == "button":
            entry["options"].append(value)
        else:
            entry["values"].append(value)
        if options:
            entry["options"].extend(options)


class FormParser(HTMLParser):
    """Every <form> on a page with its inputs, selects, textareas and named buttons."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form = None
        self._select = None          # (name, options, selected)
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.page_url
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            type_ = (a.get("type") or "text").lower()
            if type_ in ("checkbox", "radio"):
                self._form.add(name, type_, a.get("value", "on"), type_, checked="checked" in a)
            elif type_ in ("submit", "button", "image", "reset"):
                self._form.add(name, "button", a.get("value", ""), type_)
            else:
                self._form.add(name, "input", a.get("value", ""), type_)
        elif tag == "select" and name:
            self._select = (name, [], [], "multiple" in a)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "button" and name:
            self._form.add(name, "button", a.get("value", ""), "button")

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            name, options, selected, multiple = self._select
            entry = self._form.fields.setdefault(name, {"kind": "select", "type": "select-multiple" if multiple
                                                        else "select", "values": [], "options": []})
            entry["options"].extend(options)
            entry["values"].extend(selected or ([] if multiple else options[:1]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.add(self._textarea[0], "input", self._textarea[1].lstrip("\n"), "textarea")
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _close_option(self):
        value = self._option["value"] if self._option["value"] is not None else self._option["text"].strip()
        self._select[1].append(value)
        if self._option["selected"]:
            self._select[2].append(value)
        self._option = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


def csrf_of(html: str) -> str | None:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else None


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- hostile values ------------------------------------------------------------------------

HUGE_NUMBERS = ["2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "99999999999999999999", "1" + "0" * 40]
ODD_NUMBERS = ["0", "-1", "-0", "NaN", "nan", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf", "1e309",
               "-1e309", "1e-400", "1,5", "1.5", "0.0001", "1e3", "0x10", "1_000", "٣", "²", "١٢", " 7 ", "+3",
               "3.", ".5", "1,000,000", "", " "]
ABSURD_DATES = ["0001-01-01", "9999-12-31", "123456789012", "2026-02-30", "0000-00-00", "31-12-9999",
                "29-11-2026", "2026-13-01", "-2026-01-01", "2026-W53", "0001-W01", "9999-W52"]
DATE_PARTS = ["0", "-1", "32", "13", "99", "123456789012", "9999", "1", "0001", "10000", "99999999999999999999"]
TIMES = ["25:00", "24:00", "23:59", "00:00", "-1:00", "10:61", "9999:00", "1:2", "10.30", "10:00:00",
         "7", "10:00\x00", "１０:００"]
TEXTS = ["\x00", "a\x00b", "\r\n", "line one\r\nBcc: victim@example.dk", "\n", "\t", " ", "x" * 5000,
         "ø" * 300, "A" * 121, "y" * 255, "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
         "<script>alert(1)</script>", "\"><img src=x>", "' OR 1=1 --", "'; DROP TABLE users; --",
         "Robert'); --", "%s%s%n", "{{7*7}}", "${7*7}", "../../etc/passwd", "\u202e", "\ufeff", "\ud7ff",
         "😀" * 10, "é" * 2, "e\u0301", "Dragør", "ÆØÅ", "null", "None", "true", "[]", "{}", "fuzz@example.dk",
         "a@b", "@", "x@example.dk\r\nBcc: y@example.dk", "http://", "javascript:alert(1)", "//evil.example"]
CHOICES = ["999999", "-1", "__proto__", "admin", "yes", "no", "approve", "decline", "on", "0"]

hostile_text = st.one_of(st.sampled_from(TEXTS), st.text(max_size=40))
hostile_any = st.one_of(st.sampled_from(TEXTS), st.sampled_from(HUGE_NUMBERS), st.sampled_from(ODD_NUMBERS),
                        st.sampled_from(ABSURD_DATES), st.sampled_from(TIMES), st.sampled_from(CHOICES),
                        st.sampled_from(DATE_PARTS), st.text(max_size=40))


def hostile_for(name: str, spec: dict):
    """Values aimed at what a field holds, mixed with anything at all."""
    type_ = spec.get("type", "")
    lowered = name.lower()
    aimed = []
    if lowered.endswith(("-day", "-month", "-year")):
        aimed.append(st.sampled_from(DATE_PARTS))
    if type_ in ("number",) or any(w in lowered for w in ("capacity", "hours", "minutes", "distance", "age",
                                                          "entry", "slot", "weeks", "id", "max_", "deadline")):
        aimed.append(st.sampled_from(HUGE_NUMBERS + ODD_NUMBERS))
    if type_ == "date" or any(w in lowered for w in ("date", "day", "from", "until", "first", "last", "on")):
        aimed.append(st.sampled_from(ABSURD_DATES))
    if type_ == "time" or lowered.endswith(("starts", "ends")):
        aimed.append(st.sampled_from(TIMES))
    if spec.get("options"):
        aimed.append(st.sampled_from(CHOICES + HUGE_NUMBERS[:3]))
    aimed.append(hostile_text)
    return st.one_of(*aimed, hostile_any)


# --- plausible values, so one hostile field gets past the others ----------------------------

LONG_ENOUGH = "Fuzz: en tekst der er lang nok til at blive godtaget."


def plausible(name: str, spec: dict, today: date, siblings=()):
    """What a careful user would type in this field (or what the page already shows)."""
    type_, lowered = spec.get("type", ""), name.lower()
    shown = [v for v in spec.get("values", []) if v.strip() != ""]
    if spec["kind"] in ("checkbox",):
        return shown or spec["options"][:1]
    if spec["kind"] == "radio":
        return shown[:1] or spec["options"][:1]
    if spec["kind"] == "button":
        return spec["options"][:1]
    if spec["kind"] == "select":
        real = [o for o in spec["options"] if o not in ("", "0")]
        if type_ == "select-multiple":
            return shown or real[:1]
        return shown[:1] if shown and shown[0] not in ("", "0") else (real[:1] or shown[:1])
    if shown:
        return shown[:1]
    soon = today + timedelta(days=9)
    if lowered.endswith("_on"):  # something that happened: worked on, checked on
        return [(today - timedelta(days=2)).isoformat()]
    if type_ == "date" or lowered.endswith("date") or lowered in ("first", "last"):
        later = lowered.endswith(("last", "last_date"))
        return [(soon + timedelta(days=21 if later else 0)).isoformat()]
    base = name.rsplit("-", 1)[0]
    if f"{base}-year" in siblings:
        birth = "birth" in lowered
        part = lowered.rsplit("-", 1)[1]
        return [{"day": "17" if birth else str(soon.day), "month": "5" if birth else str(soon.month),
                 "year": "1960" if birth else str(soon.year)}[part]]
    if "email" in lowered:
        return ["fuzz.person@example.dk"]
    if "password" in lowered or lowered.endswith("confirm"):
        return ["correct horse battery"]
    if "postcode" in lowered:
        return ["2791"]
    if "phone" in lowered:
        return ["32 89 01 00"]
    if "website" in lowered:
        return ["https://example.dk"]
    if lowered.endswith("point"):
        return ["55.5925, 12.6722"]
    if lowered.endswith("starts"):
        return ["10:00"]
    if lowered.endswith("ends"):
        return ["12:00"]
    if lowered.endswith("exceptions"):
        return []
    if type_ == "number" or any(w in lowered for w in ("capacity", "hours", "weeks", "distance")):
        return ["2"]
    if "minutes" in lowered:
        return ["30"]
    if type_ == "textarea" or any(w in lowered for w in ("description", "reason")):
        return [LONG_ENOUGH]
    return ["Fuzz tekst"]


# --- ids, slugs and tokens in paths --------------------------------------------------------

ID_TABLES = {"task_id": "tasks", "slot_id": "slots", "signup_id": "signups", "org_id": "organisations",
             "membership_id": "memberships", "invitation_id": "invitations", "user_id": "users",
             "message_id": "outbox_messages", "entry": "hours_entries", "slot": "slots",
             # Companies and the frivilligbørs (issue 10).
             "deal_id": "deals", "offer_id": "offers", "wish_id": "wishes", "link_id": "employee_links",
             # The citizens' voice (issue 11).
             "idea_id": "ideas", "comment_id": "idea_comments", "report_id": "reports", "call_id": "calls",
             "answer_id": "call_answers", "request_id": "help_requests", "help_offer_id": "help_offers",
             # Celebration (issue 12).
             "nomination_id": "nominations", "category_id": "award_categories", "member_id": "jury_members",
             "story_id": "stories", "item_id": "event_items", "donor_id": "donors", "donation_id": "donations",
             "payout_id": "payouts",
             # The coordinator's workbench (issue 13).
             "agreement_id": "agreements", "newsletter_id": "newsletters", "review_id": "displacement_reviews",
             "duty_id": "excluded_duties"}
# Path arguments filled with real values of a column (not ids): arg -> (table, column).
VALUE_ARGS = {"year": ("award_years", "year"), "code": ("certificates", "code")}
# Path arguments with a fixed set of real values: arg -> values.
NAMED_ARGS = {"name": ["summary", "months", "categories", "organisations", "companies", "ideas", "winners",
                       "payouts"]}
ODD_IDS = ["0", "-1", "1.5", "abc", "2147483647", "2147483648", "4294967296", "9223372036854775807",
           "9223372036854775808", "99999999999999999999", "1" + "0" * 30, "\x00", "1\x00", "%00", "٣", "0x1"]
ODD_SEGMENTS = ["\x00", "a\x00b", "x" * 300, "ø", "..", ".", "a/b", "%", "%00", " ", "\r\n", "' OR 1=1 --",
                "<script>", "😀", "-", "0", "9223372036854775808"]


def quote_segment(value: str) -> str:
    return quote(str(value), safe="")


def snapshot(engine) -> dict:
    """Every row of every table, keyed by primary key: the fingerprint compared before and
    after a request, and what a changed table is put back to."""
    result = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            keys = list(table.primary_key.columns) or list(table.columns)
            names = [c.name for c in keys]
            rows = {}
            for row in conn.execute(select(table)).mappings():
                rows[tuple(row[n] for n in names)] = dict(row)
            result[table.name] = rows
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def restore(engine, baseline: dict, current: dict) -> None:
    """Puts the changed tables back row by row: new rows out (children first), then lost and
    altered rows back (parents first). Row by row, so no cascade touches an unchanged table."""
    tables = {t.name: t for t in db.metadata.sorted_tables}
    order = [t.name for t in db.metadata.sorted_tables]
    changed = [n for n in order if baseline.get(n) != current.get(n)]
    with engine.begin() as conn:
        for name in reversed(changed):
            table = tables[name]
            keys = list(table.primary_key.columns) or list(table.columns)
            for pk in set(current[name]) - set(baseline[name]):
                conn.execute(table.delete().where(*[k == v for k, v in zip(keys, pk)]))
        for name in changed:
            table = tables[name]
            keys = list(table.primary_key.columns) or list(table.columns)
            for pk, row in baseline[name].items():
                now = current[name].get(pk)
                if now is None:
                    conn.execute(table.insert().values(**row))
                elif now != row:
                    conn.execute(table.update().where(*[k == v for k, v in zip(keys, pk)]).values(**row))


# One value of each kind, put in each place in turn by the sweep: every place gets the
# universal ones, and a place that looks like a number, date, time or choice gets those too.
SWEEP = {
    "ids": ["0", "-1", "abc", "2147483648", "9223372036854775808", "99999999999999999999", "\x00"],
    "segments": ["\x00", "a\x00b", "x" * 300, "\r\n", "9223372036854775808", "😀"],
    "universal": ["a\x00b", "line\r\nBcc: x@example.dk", "x" * 5000, "9223372036854775808", "NaN"],
    "number": ["2147483648", "99999999999999999999", "-1", "sNaN", "Infinity", "1e309"],
    "date": ["0001-01-01", "9999-12-31", "123456789012", "0"],
    "time": ["25:00", "-1:00"],
    "choice": ["999999", "__proto__"],
}

# The path sweep as the other roles: an id past int4, one past int8, a NUL, a long segment.
SWEEP_OTHER_ROLES = {"ids": ["2147483648", "9223372036854775808", "\x00"], "segments": ["\x00", "x" * 300]}


def sweep_values(name: str, spec: dict | None) -> list[str]:
    spec = spec or {"kind": "input", "type": "", "values": [], "options": []}
    type_, lowered = spec.get("type", ""), name.lower()
    values = list(SWEEP["universal"])
    if type_ == "number" or any(w in lowered for w in ("capacity", "hours", "minutes", "distance", "age", "entry",
                                                       "slot", "weeks", "id", "max_", "deadline", "page", "within")):
        values += SWEEP["number"]
    if type_ == "date" or lowered.endswith(("-day", "-month", "-year")) or any(
            w in lowered for w in ("date", "from", "to", "until", "first", "last", "_on", "week", "month")):
        values += SWEEP["date"]
    if type_ == "time" or lowered.endswith(("starts", "ends")):
        values += SWEEP["time"]
    if spec.get("options") or spec["kind"] in ("select", "radio", "checkbox", "button"):
        values += SWEEP["choice"]
    return list(dict.fromkeys(values))


# --- what a successful answer may have stored -------------------------------------------------

_BREAKS = ("\r", "\n", "\x00", "\u2028", "\u2029")
FIRST_YEAR, LAST_YEAR = 1900, 2200


def new_or_changed(baseline: dict, after: dict):
    """(table, primary key, row, the row before or None) for every row a request wrote."""
    for name in changed_tables(baseline, after):
        for pk, row in after.get(name, {}).items():
            old = baseline.get(name, {}).get(pk)
            if old != row:
                yield name, pk, row, old


def stored_problems(baseline: dict, after: dict, now) -> list[str]:
    """Input that should have been refused but was stored: a line break or NUL in a one-line
    column, NaN or infinity, a date outside 1900-2200, a time added or moved into the past."""
    import math
    from datetime import datetime
    from decimal import Decimal

    from sqlalchemy import Date, DateTime, String, Text

    tables = {t.name: t for t in db.metadata.sorted_tables}
    problems = []
    for name, pk, row, old in new_or_changed(baseline, after):
        table = tables[name]
        for column in table.columns:
            value = row.get(column.name)
            if old is not None and old.get(column.name) == value:
                continue  # only what this request wrote
            type_ = column.type
            impl = getattr(type_, "impl", type_)
            where = f"{name}.{column.name} (id {pk[0] if len(pk) == 1 else pk})"
            if isinstance(value, str) and isinstance(impl, String) and not isinstance(impl, Text):
                if any(b in value for b in _BREAKS):
                    problems.append(f"line break or NUL stored in one-line column {where}: {value[:60]!r}")
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(f"{value} stored in {where}")
            if isinstance(value, Decimal) and not value.is_finite():
                problems.append(f"{value} stored in {where}")
            if isinstance(value, (date, datetime)) and isinstance(impl, (Date, DateTime)) and \
                    not FIRST_YEAR <= value.year <= LAST_YEAR:
                problems.append(f"date {value.isoformat()} stored in {where}")
        if name == "slots" and (old is None or old.get("starts_at") != row.get("starts_at")):
            starts = row.get("starts_at")
            if starts is not None and starts.tzinfo is None:
                from datetime import timezone
                starts = starts.replace(tzinfo=timezone.utc)
            if starts is not None and starts < now:
                problems.append(f"a time in the past was {'added' if old is None else 'moved there'}: "
                                f"slots.starts_at (id {pk[0]}) = {starts.isoformat()}")
    return problems


def csv_formula_cells(text: str) -> list[str]:
    """Cells of a semicolon CSV export that a spreadsheet would run as a formula."""
    import csv
    import io
    cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for c in row]
    return [c[:60] for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
