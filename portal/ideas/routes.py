"""What citizens do in the ideas box."""

from flask import render_template

from portal.ideas import bp


@bp.get("/ideas")
def index():
    return render_template("ideas/index.html")
