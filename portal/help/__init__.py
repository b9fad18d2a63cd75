"""Asking for help ("Få hjælp", /help): the help volunteer organisations offer citizens, and private
requests for help that the coordinator passes to a fitting organisation. Requests are never public
and are deleted after a stated period."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import jobs
from portal.web import nav

bp = Blueprint("help", __name__)

from portal.help import routes  # noqa: E402,F401

nav.register_menu_item("help.index", _l("Get help"), section="help", order=45)
jobs.register("help_requests_deleted", "portal.help.services:delete_expired_requests", order=90)
