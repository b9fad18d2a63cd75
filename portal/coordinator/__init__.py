from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web import nav

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")

from portal.coordinator import annual, routes  # noqa: E402,F401

nav.register_menu_item("coordinator.index", _l("Coordinator"), section="coordinator", order=50,
                       visible=nav.coordinator)
