"""Open data: a read-only JSON API of what anyone may see (/api/v1/…) and its OpenAPI document
(/api/openapi.json). Companies and ideas (issues 10 and 11) add their endpoints here the same
way: a documented view in routes.py, a query in queries.py, a schema in schemas.py."""

from flask import Blueprint
from werkzeug.exceptions import HTTPException

bp = Blueprint("api", __name__)

from portal.api import http, routes  # noqa: E402,F401

# The site's error handlers answer in HTML and by status code; these answer the API's own
# requests in problem+json. Flask looks a handler up by status code before class, so each code
# the site handles is named here too.
for _code in (400, 403, 404, 405, 429):
    bp.register_error_handler(_code, http.http_error)
bp.register_error_handler(HTTPException, http.http_error)
bp.register_error_handler(500, http.server_error)


def init_app(app):
    http.init_app(app)
