"""/api/openapi.json, generated from the code: the paths from the URL map (every rule of the api
blueprint under /api/v1/), each operation from the `documented` description on its view, the
schemas from portal/api/schemas.py. apispec assembles and checks the document; a rule without a
description is an error at the first request for the document (and in the tests), so an endpoint
cannot be added undocumented."""

import re

from apispec import APISpec

from portal.api import schemas
from portal.links import base_url

VERSION = "1.0.0"
TITLE = "Dragør Frivillig – open data"
DESCRIPTION = """\
Read-only JSON of what anyone may see on Dragør Frivillig, the volunteer portal of Dragør
Municipality: published tasks of approved organisations, their upcoming times with free places,
and the organisations. Nothing private is here: no volunteer, no draft or private task.

* **Paging**: lists answer one page at a time, oldest or soonest first. Follow `next` in the
  body (or the `Link: <…>; rel="next"` header) until it is null. The cursor in it is opaque;
  `limit` sets the page size (1–100, default 20).
* **Caching**: every answer has an ETag; send it back in `If-None-Match` for a 304 when nothing
  changed (a place taken or freed on a time changes it). Answers may be cached for 60 seconds.
* **Times** are Copenhagen local time with the UTC offset; `from` and `to` are Copenhagen dates.
* **Errors** are problem details (RFC 9457, `application/problem+json`) with a message in
  English; the data itself is in Danish as the organisations wrote it. Unknown query parameters
  are ignored; a known one given twice, or out of range, is 400.
* **CORS**: any origin may read (no credentials). Methods other than GET, HEAD and OPTIONS are 405.
* **Versioning**: fields may be added to /api/v1/; none are removed or change meaning.
  Companies that give volunteer leave are at /api/v1/companies; published ideas from the
  citizens' ideas box, with their supports, helpers and the municipality's answer, are at
  /api/v1/ideas."""


def documented(*, summary: str, response: str, parameters: list, description: str = "",
               paged: bool = False, found: bool = False):
    """Describes a GET view for the OpenAPI document. `parameters` are also what the view reads
    (portal.core.apiquery.read_query); `found`: the view answers 404 for what is not public."""
    def attach(view):
        view.openapi = {"summary": summary, "description": description, "response": response,
                        "parameters": parameters, "paged": paged, "found": found}
        return view
    return attach


def _problem(text: str) -> dict:
    return {"description": text, "content": {"application/problem+json": {"schema": schemas.ref("Problem")}}}


def _operation(endpoint: str, doc: dict) -> dict:
    headers = {
        "ETag": {"description": "The version of this answer, for If-None-Match.", "required": True,
                 "schema": {"type": "string"}},
        "Cache-Control": {"required": True, "schema": {"type": "string"}},
        "Access-Control-Allow-Origin": {"required": True, "schema": {"type": "string", "const": "*"}},
    }
    if doc["paged"]:
        headers["Link"] = {"description": 'The next page, as <…>; rel="next", when there is one.',
                           "schema": {"type": "string"}}
    responses = {
        "200": {"description": doc["summary"], "headers": headers,
                "content": {"application/json": {"schema": schemas.ref(doc["response"])}}},
        "304": {"description": "Not modified: the copy whose ETag was sent is current.",
                "headers": {"ETag": headers["ETag"]}},
        "400": _problem("A query parameter (or the address) cannot be used; `detail` says why."),
    }
    if doc["found"]:
        responses["404"] = _problem("There is no such public resource.")
    return {"operationId": endpoint.split(".", 1)[1], "summary": doc["summary"],
            "description": doc["description"], "parameters": [*doc["parameters"], schemas.IF_NONE_MATCH],
            "responses": responses}


def _path(rule: str) -> str:
    """"/api/v1/tasks/<int:task_id>" → "/api/v1/tasks/{task_id}"."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def document(app) -> dict:
    spec = APISpec(title=TITLE, version=VERSION, openapi_version="3.1.0",
                   info={"description": DESCRIPTION},
                   servers=[{"url": base_url(), "description": "This portal"}])
    for name, schema in schemas.SCHEMAS.items():
        spec.components.schema(name, schema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api.") or not rule.rule.startswith("/api/v1/"):
            continue
        doc = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if doc is None:
            raise LookupError(f"{rule.endpoint} ({rule.rule}) has no @documented description")
        spec.path(path=_path(rule.rule), operations={"get": _operation(rule.endpoint, doc)})
    return spec.to_dict()
