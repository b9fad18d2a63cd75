"""The audit log of staff actions on people's data and approvals (issue 13)."""

from flask import Blueprint

bp = Blueprint("auditlog", __name__)

from portal.auditlog import routes  # noqa: E402,F401
