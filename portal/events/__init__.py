"""Events on the portal: the annual volunteer day (Frivillig Fredag) and the annual welfare meeting,
each a page with its programme; sign-up is through ordinary tasks with times that belong to the
event, including "prøv en opgave" taster times for first-time volunteers."""

from flask import Blueprint

bp = Blueprint("events", __name__)

from portal.events import routes  # noqa: E402,F401
