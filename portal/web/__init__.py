"""Request-wide pieces: error pages, template globals, the CSRF and rate-limit answers."""

from flask import current_app, render_template, request
from flask_babel import format_date, format_decimal, format_time
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.core.timeutil import to_local
from portal.extensions import db


# Which menu item a page belongs to. Task management belongs to the organisation, not to
# "Find a task", so the public task pages are listed by endpoint.
SECTIONS = {"organisations": "organisations", "account": "me", "coordinator": "coordinator", "calls": "ideas",
            "ideas": "ideas", "help": "help"}
# An organisation's own help offers and the requests passed to it are the organisation's pages.
ORGANISATION_HELP_ENDPOINTS = {"help.offers", "help.new_offer", "help.edit_offer", "help.set_offer_active",
                               "help.organisation_requests"}
PUBLIC_TASK_ENDPOINTS = {"tasks.index", "tasks.show", "signups.respond", "signups.log_hours",
                         "signups.sign_up_series"}


def section_of(endpoint: str | None) -> str | None:
    if not endpoint:
        return None
    if endpoint in PUBLIC_TASK_ENDPOINTS:
        return "tasks"
    blueprint = endpoint.split(".")[0]
    if blueprint in ("tasks", "signups", "followup") or endpoint in ORGANISATION_HELP_ENDPOINTS:
        return "organisations"
    return SECTIONS.get(blueprint)


def timespan(slot_or_start, end=None) -> str:
    """ "torsdag 26. november 2026, 13.00–14.00" in the reader's language, Danish time."""
    start = getattr(slot_or_start, "starts_at", slot_or_start)
    end = getattr(slot_or_start, "ends_at", end)
    day = format_date(to_local(start).date(), "full")
    text = f"{day}, {format_time(start, 'short')}"
    # Word joiners keep "13.00–14.00" on one line on a narrow phone.
    return f"{text}\u2060–\u2060{format_time(end, 'short')}" if end else text


def localdate(moment, form="medium") -> str:
    return format_date(to_local(moment).date(), form)


def format_hours(value) -> str:
    return format_decimal(value, format="#,##0.#")


def _error_page(code: int, title: str, text: str):
    return render_template("errors/error.html", code=code, title=title, text=text), code


def init_app(app):
    @app.errorhandler(400)
    def bad_request(error):
        return _error_page(400, _("We could not read what was sent"),
                           _("The address or the form held characters that cannot be used here. "
                             "Go back, check what you typed and try again."))

    @app.errorhandler(413)
    def too_large(error):
        return _error_page(413, _("That was too much to send at once"),
                           _("Pictures must be under 5 MB. Go back and choose a smaller file, or take the "
                             "picture again with a lower resolution."))

    @app.errorhandler(403)
    def forbidden(error):
        return _error_page(403, _("You do not have access to this page"),
                           _("If you think you should have access, contact the volunteer coordinator."))

    @app.errorhandler(404)
    def not_found(error):
        return _error_page(404, _("We could not find the page"),
                           _("The address may be mistyped, or the page may have been moved or removed."))

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return _error_page(400, _("The form had expired"),
                           _("For your security, forms expire after a while. Go back, reload the page and try again."))

    @app.errorhandler(429)
    def too_many(error):
        return _error_page(429, _("Too many attempts"),
                           _("Please wait a few minutes before you try again."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _error_page(500, _("Something went wrong on our side"),
                           _("Nothing you entered was saved. Please try again in a moment. If it keeps happening, contact us."))

    @app.errorhandler(HTTPException)
    def other_http_error(error):
        return _error_page(error.code or 500, error.name, _("Please go back and try again."))

    @app.teardown_request
    def rollback_unfinished(exc):
        # A crash mid-request must not leave half a change behind.
        if exc is not None:
            db.session.rollback()

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["timespan"] = timespan
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.filters["hours"] = format_hours

    @app.context_processor
    def layout_facts():
        user = current_user if getattr(current_user, "is_authenticated", False) else None
        return {
            "current_path": request.path,
            "current_section": section_of(request.endpoint),
            "is_coordinator": bool(user and user.is_coordinator),
            "dev_mail_page": current_app.config["DEV_MAIL_PAGE"],
            "contact_email": current_app.config["CONTACT_EMAIL"],
            "contact_phone": current_app.config["CONTACT_PHONE"],
        }
