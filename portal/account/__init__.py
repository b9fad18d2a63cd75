from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/me")

from portal.account import routes  # noqa: E402,F401
