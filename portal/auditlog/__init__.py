"""The audit log of staff actions on people's data and approvals (issue 13)."""

from flask import Blueprint

from portal import jobs

bp = Blueprint("auditlog", __name__)

# Entries older than AUDIT_KEEP_DAYS (three years) are deleted; idempotent, safe on every node at once.
jobs.register("audit_forget", "portal.audit:forget_old", order=88)

from portal.auditlog import routes  # noqa: E402,F401
