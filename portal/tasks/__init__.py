from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import jobs
from portal.web import nav

bp = Blueprint("tasks", __name__)

from portal.tasks import routes  # noqa: E402,F401

nav.register_menu_item("tasks.index", _l("Find a task"), section="tasks", order=20)

jobs.register("slots", "portal.tasks.services:materialise_all", order=10)
