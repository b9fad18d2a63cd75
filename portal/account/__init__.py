from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web import nav

bp = Blueprint("account", __name__, url_prefix="/me")

from portal.account import routes  # noqa: E402,F401

nav.register_menu_item("account.me", _l("My page"), section="me", order=40, visible=nav.signed_in)
