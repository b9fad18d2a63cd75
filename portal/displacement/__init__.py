"""The displacement check (fortrængningstjek): a municipal institution's task that may replace paid staff waits for the coordinator (issue 13)."""

from flask import Blueprint

bp = Blueprint("displacement", __name__)

from portal.displacement import routes  # noqa: E402,F401
