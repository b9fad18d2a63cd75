"""The volunteer charter (code of conduct), what volunteers do not do, and institutions' contact persons (issue 13)."""

from flask import Blueprint

bp = Blueprint("charter", __name__)

from portal.charter import routes  # noqa: E402,F401
