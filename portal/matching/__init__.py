from flask import Blueprint

bp = Blueprint("matching", __name__)

from portal.matching import routes  # noqa: E402,F401
