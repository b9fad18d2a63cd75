from flask import Blueprint

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")

from portal.coordinator import routes  # noqa: E402,F401
