from flask import Blueprint

from portal import jobs

bp = Blueprint("matching", __name__)

from portal.matching import routes  # noqa: E402,F401

jobs.register("digests", "portal.matching.digest:send_digests", order=40)
