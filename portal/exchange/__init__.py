"""The frivilligbørs all year round: companies post offers, organisations post wishes, either
side proposes a deal; an accepted deal is a partnership agreement with a follow-up date.
No money changes hands."""

from flask import Blueprint

bp = Blueprint("exchange", __name__)

from portal.exchange import routes  # noqa: E402,F401
