"""Stories (/stories): organisations publish short stories with a photo about what they do and what
volunteers did; organisations and tasks get a picture the same way (portal/pictures.py)."""

from flask import Blueprint

bp = Blueprint("stories", __name__)

from portal.stories import routes  # noqa: E402,F401
