"""Cooperation agreements as data, with their evaluation at the review date (issue 13)."""

from flask import Blueprint

bp = Blueprint("agreements", __name__)

from portal.agreements import routes  # noqa: E402,F401
