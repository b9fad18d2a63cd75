"""Organisers' messages to a time's or a task's volunteers, and printable posters (issue 13)."""

from flask import Blueprint

bp = Blueprint("messages", __name__)

from portal.messages import routes  # noqa: E402,F401
