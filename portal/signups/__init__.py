from flask import Blueprint

bp = Blueprint("signups", __name__)

from portal.signups import routes  # noqa: E402,F401
