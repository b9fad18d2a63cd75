"""The frivilligbørs all year round: companies post offers, organisations post wishes, either
side proposes a deal; an accepted deal is a partnership agreement with a follow-up date.
No money changes hands."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import jobs
from portal.web import nav

bp = Blueprint("exchange", __name__)

from portal.exchange import routes  # noqa: E402,F401

nav.register_menu_item("exchange.index", _l("The frivilligbørs"), section="exchange", order=37)
jobs.register("deal_follow_ups", "portal.exchange.services:send_follow_up_reminders", order=50)
