"""Calls for input ("Spørg borgerne", /calls): the municipality or an institution asks citizens a
question with a deadline; after the deadline the owner closes the call with a published "what came
of it" note, and is reminded until they do."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import jobs
from portal.web import nav

bp = Blueprint("calls", __name__)

from portal.calls import routes  # noqa: E402,F401

nav.register_menu_item("calls.index", _l("Ask the citizens"), section="calls", order=42)
jobs.register("call_closing_reminders", "portal.calls.services:remind_overdue_owners", order=72)
