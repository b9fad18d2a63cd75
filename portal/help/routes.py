from flask import render_template

from portal.help import bp


@bp.get("/help")
def index():
    return render_template("help/index.html")
