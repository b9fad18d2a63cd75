"""Dashboards for the coordinator, an organisation and a company (issue 13)."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

from portal.dashboards import routes  # noqa: E402,F401
