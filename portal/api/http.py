"""HTTP manners of the open data API: JSON bodies with ETags, problem details for errors, CORS
for any origin, and no cookies.

Errors: a view's own errors are answered by the blueprint's handlers. A request under /api/ that
matches no view (an unknown path, a method other than GET, an id too large for the id column)
never reaches the blueprint, so the site's HTML error page is made for it; `finish` turns that
answer into problem details too, so every answer under /api/ is JSON."""

import hashlib
import json

from flask import make_response, request, session
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from portal.extensions import db

PREFIX = "/api/"
JSON = "application/json"
PROBLEM = "application/problem+json"
# Public data that changes when someone signs up: worth a short cache, then ask with the ETag.
CACHE_CONTROL = "public, max-age=60"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"

# What each status means for a client of this API when no view said more.
_DETAILS = {
    400: "The request could not be read: the address or a query parameter holds characters that cannot be used.",
    404: "There is no such resource, or it is not public.",
    405: "This API is read-only: use GET.",
    500: "Something went wrong on our side. Nothing was changed; please try again later.",
}


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def json_response(data, *, headers: dict | None = None):
    """200 with the body, or 304 when the client's copy is current. The ETag is the body's hash,
    so anything a client can see changing (a place taken on a time) changes the tag."""
    body = dumps(data)
    tag = hashlib.sha256(body).hexdigest()[:32]
    # GET compares ETags weakly (RFC 9110): a proxy that compresses the body marks it W/.
    if request.if_none_match.contains_weak(tag):
        response = make_response("", 304)
    else:
        response = make_response(body)
        response.mimetype = JSON
    response.set_etag(tag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem(status: int, detail: str | None = None, *, parameter: str | None = None, headers: dict | None = None):
    data = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": detail or _DETAILS.get(status) or HTTP_STATUS_CODES.get(status, "Error")}
    if parameter:
        data["parameter"] = parameter
    response = make_response(dumps(data), status)
    response.mimetype = PROBLEM
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _detail_of(error: HTTPException) -> str | None:
    # portal.hardening refuses a NUL byte with the description "nul" before any view runs.
    if error.code == 400 and error.description == "nul":
        return "The address or a query parameter holds a NUL byte, which cannot be used."
    return None


def http_error(error: HTTPException):
    headers = {"Allow": ALLOWED_METHODS} if isinstance(error, MethodNotAllowed) else None
    return problem(error.code or 500, _detail_of(error), headers=headers)


def server_error(error):
    db.session.rollback()
    return problem(500)


def _is_api_request() -> bool:
    return request.path.startswith(PREFIX) or request.path == PREFIX.rstrip("/")


def finish(response):
    """After every request under /api/: problem details for an HTML error answer, CORS, and
    no session cookie (a `?lang=` on an API address would otherwise start a session)."""
    if not _is_api_request():
        return response
    if response.status_code >= 400 and response.mimetype != PROBLEM:
        headers = None
        if isinstance(request.routing_exception, MethodNotAllowed):
            headers = {"Allow": ", ".join(sorted(request.routing_exception.valid_methods or ()))
                       or ALLOWED_METHODS}
        response = problem(response.status_code, headers=headers)
    # Public data: any site may read it from a browser. No credentials are involved.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Link"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    session.modified = False
    return response


def init_app(app):
    app.after_request(finish)
