from flask import Blueprint

from portal import jobs

bp = Blueprint("signups", __name__)

from portal.signups import routes  # noqa: E402,F401

jobs.register("expired", "portal.signups.services:expire_offers", order=20)
jobs.register("reminders", "portal.signups.services:send_reminders", order=30)
