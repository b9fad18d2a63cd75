from flask import Blueprint

from portal import jobs

bp = Blueprint("tasks", __name__)

from portal.tasks import routes  # noqa: E402,F401

jobs.register("slots", "portal.tasks.services:materialise_all", order=10)
