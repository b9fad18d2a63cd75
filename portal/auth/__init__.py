from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web import nav

bp = Blueprint("auth", __name__)

from portal.auth import routes  # noqa: E402,F401

nav.register_menu_item("auth.register", _l("Become a volunteer"), order=60, visible=nav.signed_out)
nav.register_menu_item("auth.login", _l("Log in"), order=70, visible=nav.signed_out)
