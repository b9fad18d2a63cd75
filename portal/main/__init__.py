from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import jobs
from portal.web import nav

bp = Blueprint("main", __name__)

from portal.main import routes  # noqa: E402,F401

nav.register_menu_item("main.index", _l("Front page"), order=10)
# The outbox is plumbing, not a feature; its clean-up runs with the site's own steps.
jobs.register("outbox_forgotten", "portal.outbox:forget_sent", order=95)
