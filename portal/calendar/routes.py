from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.calendar import bp, services
from portal.core.text import slugify
from portal.models import Slot, utcnow
from portal.web import loaders
from portal.web.actions import attempt


def _ics(body: bytes, filename: str, *, private=False):
    tag = services.etag(body)
    # GET compares ETags weakly (RFC 9110): a proxy that compresses the feed turns our tag into
    # W/"...", and the client's copy is still current.
    if request.if_none_match.contains_weak(tag):
        response = make_response("", 304)
    else:
        response = make_response(body)
        response.mimetype = "text/calendar"
        response.charset = "utf-8"
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    return response


@bp.get("/calendar.ics")
def public_feed():
    return _ics(services.public_feed(now=utcnow()), "dragoer-frivillig.ics")


@bp.get("/organisations/<slug>/calendar.ics")
def organisation_feed(slug):
    org = loaders.public_organisation(slug)
    # slugify: a slug stored with a line break or a quote must not break the header.
    return _ics(services.organisation_feed(org, now=utcnow()), f"{slugify(org.slug)}.ics")


@bp.get("/tasks/<int:task_id>/calendar.ics")
def task_feed(task_id):
    task = loaders.public_task(task_id)
    return _ics(services.task_feed(task, now=utcnow()), f"opgave-{task.id}.ics")


@bp.get("/slots/<int:slot_id>.ics")
def slot_download(slot_id):
    slot = loaders.get_or_404(Slot, slot_id)
    loaders.public_task(slot.task_id)
    response = _ics(services.slot_ics(slot), f"frivillig-{slot.id}.ics")
    response.headers["Content-Disposition"] = f'attachment; filename="frivillig-{slot.id}.ics"'
    return response


@bp.get("/me/calendar/<token>.ics")
def personal_feed(token):
    """Private: the token in the address is the key, so calendar apps can subscribe."""
    user = services.user_by_feed_token(token)
    if user is None:
        abort(404)
    return _ics(services.personal_feed(user, now=utcnow()), "mine-opgaver.ics", private=True)


@bp.post("/me/calendar/regenerate")
@login_required
def regenerate_token():
    had_one = services.personal_feed_url(current_user) is not None
    attempt(lambda: services.regenerate_token(current_user))
    if had_one:
        flash(_("Your calendar has a new address. Add it to your calendar app; the old one no longer works."), "success")
    else:
        flash(_("Your calendar address is ready. Add it to your calendar app."), "success")
    return redirect(url_for("account.me"))
