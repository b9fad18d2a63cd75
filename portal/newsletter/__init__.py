"""The coordinator's newsletter to volunteers who opted in (issue 13)."""

from flask import Blueprint

bp = Blueprint("newsletter", __name__)

from portal.newsletter import routes  # noqa: E402,F401
