from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web import nav

bp = Blueprint("organisations", __name__)

from portal.organisations import routes  # noqa: E402,F401

nav.register_menu_item("organisations.index", _l("Organisations"), section="organisations", order=30)
