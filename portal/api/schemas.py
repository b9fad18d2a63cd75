"""What the open data API promises: JSON Schemas of its resources and its parameters.

Plain dicts in the dialect OpenAPI 3.1 uses (JSON Schema 2020-12). They are published as they
are in /api/openapi.json (portal/api/openapi.py), the query strings are read by the same
parameter objects (portal.core.apiquery.read_query), and the tests validate every answer
against them (schemathesis), so a field added to a resource without its schema fails a test.
Every object is closed (additionalProperties: false): nothing leaves the API unannounced."""

from portal.core.apiquery import ID_CURSOR_PATTERN, TIME_CURSOR_PATTERN
from portal.hardening import MAX_ID
from portal.models import IdeaState, LeaveScope, LeaveUnit, PhysicalDemand, Skill, SupportKind, TaskKind
from portal.models.organisations import OrganisationKind

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
NEXT_TIMES = 10          # upcoming times inside a task; all of them at /api/v1/times?task=<id>
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, *, optional=()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": [k for k in properties if k not in optional]}


def _maybe(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


TEXT = {"type": "string"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
URL = {"type": "string", "format": "uri"}
WHEN = {"type": "string", "format": "date-time",
        "description": "Copenhagen local time with its UTC offset, e.g. 2026-12-01T10:00:00+01:00."}
COUNT = {"type": "integer", "minimum": 0}

SCHEMAS = {
    "OrganisationRef": _obj({"slug": TEXT, "name": TEXT, "url": URL, "api_url": URL}),
    "TaskRef": _obj({"id": ID, "title": TEXT, "url": URL, "api_url": URL}),
    "Category": _obj({"slug": TEXT, "name_da": TEXT, "name_en": TEXT}),
    "Place": _obj({"name": _maybe(TEXT), "address": TEXT, "postcode": TEXT, "city": TEXT,
                   "latitude": _maybe({"type": "number"}), "longitude": _maybe({"type": "number"})}),
    "Requirements": _obj({
        "min_age": _maybe({"type": "integer", "minimum": 0}),
        "child_certificate": {"type": "boolean", "description": "A børneattest is needed; the organisation "
                                                                "checks it before the volunteer starts."},
        "physical_demand": {"type": "string", "enum": [d.value for d in PhysicalDemand]},
        "what_to_bring": _maybe(TEXT)}),
    "TaskTime": _obj({
        "id": ID, "url": URL, "starts_at": WHEN, "ends_at": WHEN,
        "capacity": {"type": "integer", "minimum": 1}, "free": COUNT,
        "place_note": _maybe({**TEXT, "description": "Where this time is, when it is not the task's place."})}),
    "Task": _obj({
        "id": ID, "url": {**URL, "description": "The task's page, where volunteers sign up."}, "api_url": URL,
        "title": TEXT, "description": TEXT,
        "kind": {"type": "string", "enum": [k.value for k in TaskKind],
                 "description": "one_off: set times; recurring: times made from a weekly rule; "
                                "ongoing: a role without set times (agree them with the contact)."},
        "category": ref("Category"), "organisation": ref("OrganisationRef"), "place": ref("Place"),
        "requirements": ref("Requirements"),
        "contact_name": {**TEXT, "description": "The organisation's contact for the task (as on the public page)."},
        "cancel_deadline_hours": COUNT,
        "taster": {"type": "boolean", "description": "A “prøv en opgave” taster task: short, no experience needed, "
                                                     "for first-time volunteers."},
        "times_url": URL}),
    "Time": _obj({
        "id": ID, "url": URL, "starts_at": WHEN, "ends_at": WHEN,
        "capacity": {"type": "integer", "minimum": 1},
        "free": {**COUNT, "description": "Places not yet taken. 0: the time is full (a waitlist may be open)."},
        "place_note": _maybe(TEXT), "task": ref("TaskRef"), "organisation": ref("OrganisationRef")}),
    "Organisation": _obj({
        "slug": TEXT, "name": TEXT, "kind": {"type": "string", "enum": [k.value for k in OrganisationKind]},
        "description": TEXT, "url": URL, "api_url": URL, "address": TEXT, "postcode": TEXT, "city": TEXT,
        "website": _maybe(TEXT),
        "contact": _obj({"name": TEXT, "email": TEXT, "phone": TEXT}),
        "tasks_url": URL, "times_url": URL}),
    "LeavePolicy": _obj({
        "hours_per_year": {"type": "number", "minimum": 0,
                           "description": "Paid hours a year each employee may volunteer (one decimal)."},
        "amount": {"type": "number", "minimum": 0, "description": "As the company states it, in `unit`."},
        "unit": {"type": "string", "enum": [u.value for u in LeaveUnit]},
        "hours_per_day": {"type": "number", "minimum": 0,
                          "description": "The working day the company counts a day as, in hours."},
        "scope": {"type": "string", "enum": [k.value for k in LeaveScope],
                  "description": "any_task: any task on the portal; chosen_causes: the causes in `scope_note`; "
                                 "team_days: days the company arranges for teams."},
        "scope_note": _maybe(TEXT), "how_to_ask": TEXT,
        "since": {"type": "string", "format": "date"}}),
    "Company": _obj({
        "slug": TEXT, "name": TEXT, "description": TEXT, "url": URL, "api_url": URL,
        "address": TEXT, "postcode": TEXT, "city": TEXT, "website": _maybe(TEXT),
        "supports": {"type": "array", "items": {"type": "string", "enum": [k.value for k in SupportKind]},
                     "description": "What the company gives: paid leave, team days, skills, lending things "
                                    "(a van, a room), sponsorship of things."},
        "skills": {"type": "array", "items": {"type": "string", "enum": [k.value for k in Skill]}},
        "leave_policy": {"oneOf": [ref("LeavePolicy"), {"type": "null"}],
                         "description": "The published volunteer-leave policy, or null."}}),
    "IdeaAnswer": _obj({
        "state": {"type": "string", "enum": [k.value for k in IdeaState if k is not IdeaState.new]},
        "text": _maybe(TEXT),
        "link": _maybe({**URL, "description": "For `exists`: where it already exists."}),
        "published_at": WHEN}),
    "Idea": _obj({
        "id": ID, "url": {**URL, "description": "The idea's page, where people support it and offer help."},
        "api_url": URL, "title": TEXT, "body": TEXT, "who_it_helps": TEXT,
        "category": {"oneOf": [ref("Category"), {"type": "null"}]},
        "place": _obj({"name": _maybe(TEXT), "postcode": _maybe(TEXT)}),
        "picture_url": _maybe(URL), "picture_alt": _maybe(TEXT),
        "author_name": {**TEXT, "description": "As shown on the page: a first name, the name given, or "
                                               "\"En borger\". Never contact details."},
        "published_at": WHEN,
        "state": {"type": "string", "enum": [k.value for k in IdeaState],
                  "description": "The published state: new until the municipality publishes an answer."},
        "supporters": {**COUNT, "description": "People who support the idea (\"Jeg støtter\")."},
        "helpers": {**COUNT, "description": "People who offered to help (\"Jeg vil gerne hjælpe\"), counted "
                                            "apart from the supporters."},
        "answer": {"oneOf": [ref("IdeaAnswer"), {"type": "null"}],
                   "description": "The municipality's published answer, or null."},
        "answer_due_on": _maybe({"type": "string", "format": "date",
                                 "description": "The day the municipality promised an answer by, after the "
                                                "idea passed the support threshold."})}),
    "Problem": {**_obj({"type": TEXT, "title": TEXT, "status": {"type": "integer"}, "detail": TEXT,
                        "parameter": TEXT}, optional=("parameter",)),
                "description": "An error as RFC 9457 problem details; `parameter` names the query "
                               "parameter at fault. Messages are in English."},
}


def page_of(item: str) -> dict:
    return _obj({
        "items": {"type": "array", "items": ref(item)},
        "next": _maybe({**URL, "description": "The next page, or null on the last page."}),
        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}})


SCHEMAS.update({"TaskDetail": {**SCHEMAS["Task"],
                               "properties": {**SCHEMAS["Task"]["properties"],
                                              "next_times": {"type": "array", "items": ref("TaskTime"),
                                                             "maxItems": NEXT_TIMES}},
                               "required": [*SCHEMAS["Task"]["required"], "next_times"]},
                "TaskPage": page_of("Task"), "TimePage": page_of("Time"), "OrganisationPage": page_of("Organisation"),
                "CompanyPage": page_of("Company"), "IdeaPage": page_of("Idea")})
SCHEMAS["IdeaDetail"] = {
    **SCHEMAS["Idea"],
    "properties": {**SCHEMAS["Idea"]["properties"],
                   "corrections": {"type": "array", "items": _obj({"text": TEXT, "created_at": WHEN}),
                                   "description": "Notes the author added after others supported the idea "
                                                  "(its text is then locked)."},
                   "task": {"oneOf": [ref("TaskRef"), {"type": "null"}],
                            "description": "The public task the idea became, or null."}},
    "required": [*SCHEMAS["Idea"]["required"], "corrections", "task"]}


# --- parameters ------------------------------------------------------------------------------

def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


LIMIT = _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
               f"Items per page, 1 to {MAX_LIMIT}.")


def cursor(pattern: str) -> dict:
    return _query("cursor", {"type": "string", "pattern": pattern, "description": "the cursor from a `next` link"},
                  "Where the page starts: copy it from the `next` link of the previous page. Its content "
                  "is not part of the contract.")


ID_CURSOR = cursor(ID_CURSOR_PATTERN)
TIME_CURSOR = cursor(TIME_CURSOR_PATTERN)
ORGANISATION = _query("organisation", {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 80,
                                       "description": "an organisation's slug"},
                      "Only this organisation's (its slug, as in /api/v1/organisations).")
CATEGORY = _query("category", {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 40,
                               "description": "a category's slug"},
                  "Only tasks of this category (its slug).")
KIND = _query("kind", {"type": "string", "enum": [k.value for k in TaskKind]}, "Only tasks of this kind.")
TASK = _query("task", ID, "Only this task's times.")
SUPPORT = _query("support", {"type": "string", "enum": [k.value for k in SupportKind]},
                 "Only companies that give this kind of support.")
FROM = _query("from", {"type": "string", "format": "date"},
              "Times starting on or after this day (Copenhagen time). Earlier days mean from now on.")
TO = _query("to", {"type": "string", "format": "date"},
            "Times starting on or before this day (Copenhagen time).")
IDEA_STATE = _query("state", {"type": "string", "enum": [k.value for k in IdeaState]},
                    "Only ideas in this published state.")
IDEA_CATEGORY = _query("category", {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 40,
                                    "description": "a category's slug"},
                       "Only ideas of this category (its slug).")
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                 "description": "The ETag of a copy you hold: 304 Not Modified when it is still current."}


def path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID}


PATH_SLUG = {"name": "slug", "in": "path", "required": True,
             "schema": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 80}}
