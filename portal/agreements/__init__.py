"""Cooperation agreements as data, with their evaluation at the review date (issue 13)."""

from flask import Blueprint

from portal import jobs

bp = Blueprint("agreements", __name__)

jobs.register("agreement_evaluations", "portal.agreements.services:send_evaluations", order=82)

from portal.agreements import routes  # noqa: E402,F401
