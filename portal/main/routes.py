from flask import jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from portal import pagecache
from portal.extensions import db
from portal.main import bp
from portal.matching.suggestions import suggestions_for
from portal.models import utcnow


@bp.get("/")
@pagecache.cacheable()
def index():
    suggestions = None
    if current_user.is_authenticated:
        suggestions = suggestions_for(current_user, now=utcnow(), limit=5)
    return render_template("main/index.html", suggestions=suggestions)


@bp.get("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.get("/terms")
def terms():
    return render_template("main/terms.html")


@bp.get("/contact")
def contact():
    return render_template("main/contact.html")


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
