"""Calls for input ("Spørg borgerne", /calls): the municipality or an institution asks citizens a
question with a deadline; after the deadline the owner closes the call with a published "what came
of it" note, and is reminded until they do."""

from flask import Blueprint

from portal import jobs

bp = Blueprint("calls", __name__)

from portal.calls import routes  # noqa: E402,F401

# Not in the main menu (already ten items, four rows on a phone): the ideas box and the front
# page lead here, as the other half of the citizens' voice.
jobs.register("call_closing_reminders", "portal.calls.services:remind_overdue_owners", order=72)
