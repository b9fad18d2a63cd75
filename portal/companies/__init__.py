"""Companies: employers that give staff paid time off to volunteer (/companies), their
administrators, employees' own links, team sign-ups for tasks marked for teams, and the yearly
badge with its live verification page. Companies support and partner; they never post tasks."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import jobs
from portal.web import nav

bp = Blueprint("companies", __name__)

# One module per part, so each can be worked on alone: the company itself (apply, approve,
# admins, policy, employees, the public list and page), teams (tasks for teams, team sign-up)
# and the badge (earning, SVG/PDF/QR, verification).
from portal.companies import badge, routes, teams  # noqa: E402,F401

nav.register_menu_item("companies.index", _l("Companies"), section="companies", order=35)
jobs.register("badges", "portal.companies.badges:award_badges", order=60)
