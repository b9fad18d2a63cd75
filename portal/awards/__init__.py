"""The annual awards (/awards): Årets frivillige and the other categories, nominations with the
nominee's consent first, a jury that declares conflicts and scores in private, winners recorded by
the coordinator with a public motivation, published at the announcement time, and a hall of fame."""

from flask import Blueprint

from portal import jobs

bp = Blueprint("awards", __name__)

# Two parts, each worked on alone: nominations (routes: the public pages, nominating, consent,
# hearts, the coordinator's year and categories) and the jury (jury: appointments, conflicts,
# scores, the tally, winners, the announcement and its thank-you mails).
from portal.awards import jury, routes  # noqa: E402,F401

# Not in the main menu (ten items already); the front page shows the nomination call or the winners
# by phase, and the footer links here.
jobs.register("nominations_unconfirmed_deleted", "portal.awards.services:delete_unconfirmed", order=74)
jobs.register("award_thanks", "portal.awards.winners:thank_nominees", order=75)
jobs.register("nominees_asked", "portal.awards.services:ask_waiting_nominees", order=77)
