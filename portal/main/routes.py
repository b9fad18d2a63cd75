from flask import jsonify, render_template
from flask_babel import format_date, format_time, get_locale
from flask_login import current_user
from sqlalchemy import text

from portal import pagecache
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.main import bp
from portal.main.queries import NEED_DAYS, front_page
from portal.matching.suggestions import suggestions_for
from portal.models import utcnow


# The weekday and date without the year ("torsdag 3. december", "Thursday 3 December"), in full words:
# an 85-year-old should not have to decode "tor. 3. dec.".
_DAY = {"da": "EEEE d. MMMM", "en": "EEEE d MMMM"}
_DATE = {"da": "d. MMMM", "en": "d MMMM"}


def short_when(start, end=None) -> str:
    """ "torsdag 3. december, 10.00–12.00" in Danish time."""
    pattern = _DAY.get(str(get_locale()), _DAY["da"])
    day = format_date(to_local(start).date(), pattern)
    text = f"{day}, {format_time(start, 'short')}"
    if end and to_local(end).date() != to_local(start).date():
        # Past midnight: "fredag 24. september, 20.00 – lørdag 25. september, 01.00", not "20.00–01.00".
        return f"{text}\u2060 –\u00a0{format_date(to_local(end).date(), pattern)}, {format_time(end, 'short')}"
    # Word joiners keep "10.00–12.00" on one line on a narrow phone.
    return f"{text}\u2060–\u2060{format_time(end, 'short')}" if end else text


def short_date(moment) -> str:
    return format_date(to_local(moment).date(), _DATE.get(str(get_locale()), _DATE["da"]))


@bp.get("/")
@pagecache.cacheable()
def index():
    now = utcnow()
    suggestions = None
    if current_user.is_authenticated:
        suggestions = suggestions_for(current_user, now=now, limit=5)
    return render_template("main/index.html", suggestions=suggestions, front=front_page(now), now=now,
                           need_days=NEED_DAYS, short_when=short_when, short_date=short_date)


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
