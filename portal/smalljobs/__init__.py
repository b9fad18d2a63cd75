"""Small jobs (småjob) and a volunteer's private monthly hours counter (issue 13)."""

from flask import Blueprint

bp = Blueprint("smalljobs", __name__)

from portal.smalljobs import routes  # noqa: E402,F401
