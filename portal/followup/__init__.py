"""The organiser's follow-up of a task: who is coming (roster and its CSV), who came
(attendance), børneattest records and approving logged hours."""

from flask import Blueprint

bp = Blueprint("followup", __name__)

from portal.followup import routes  # noqa: E402,F401
