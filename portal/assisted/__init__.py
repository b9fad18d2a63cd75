"""Assisted profiles for citizens without e-mail, and the coordinator's call list (issue 13)."""

from flask import Blueprint

bp = Blueprint("assisted", __name__)

from portal.assisted import routes  # noqa: E402,F401
