from flask import Blueprint

bp = Blueprint("calendar", __name__)

from portal.calendar import routes  # noqa: E402,F401
