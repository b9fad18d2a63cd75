"""The ideas box (idébrønd, /ideas): anyone reads, people write ideas, support them and pledge
help; the coordinator answers in public and moderates after publication; an accepted idea becomes
a task for an organisation that takes it on, and those who pledged help are invited first."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import jobs
from portal.web import nav

bp = Blueprint("ideas", __name__)

# Two parts, each worked on alone: what citizens do (routes: the list, an idea, writing,
# supporting, pledging, comments, reports) and what staff do (staff: answers, moderation,
# the threshold, ideas from paper, idea to task).
from portal.ideas import routes, staff  # noqa: E402,F401

nav.register_menu_item("ideas.index", _l("Ideas"), section="ideas", order=40)
jobs.register("idea_thresholds", "portal.ideas.answers:mark_thresholds", order=70)
jobs.register("idea_helpers_invited", "portal.ideas.answers:invite_pledged_helpers", order=71)
jobs.register("ideas_unconfirmed_deleted", "portal.ideas.services:delete_unconfirmed", order=73)
