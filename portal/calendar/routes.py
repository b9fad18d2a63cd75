from flask import abort, current_app, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.calendar import bp, services
from portal.models import Slot, utcnow
from portal.web import loaders
from portal.web.actions import attempt


def _serve(feed: services.Feed, *, attachment: bool = False):
    """A feed, or 304 when the caller already has it. The ETag names the feed's content before
    any of it is built, so the 304 costs no build and no query beyond finding the feed."""
    # GET compares ETags weakly (RFC 9110): a proxy that compresses the feed turns our tag into
    # W/"...", and the client's copy is still current.
    weak = False
    if feed.etag is not None and request.if_none_match.contains_weak(feed.etag):
        response = make_response("", 304)
        tag = feed.etag
    else:
        # Sent gzipped as the cache holds it, when the app compresses and the client accepts it
        # (the compression layer leaves an encoded answer alone).
        gzipped = (feed.etag is not None and current_app.config["COMPRESS_ENABLED"]
                   and request.accept_encodings["gzip"] > 0)  # quality 0 means "not this"
        body = services.body(feed, gzipped=gzipped)
        tag = feed.etag or services.etag(body)
        if request.if_none_match.contains_weak(tag):
            response = make_response("", 304)
        else:
            response = make_response(body)
            response.mimetype = "text/calendar"
            response.charset = "utf-8"
            disposition = "attachment" if attachment else "inline"
            response.headers["Content-Disposition"] = f'{disposition}; filename="{feed.filename}"'
            response.vary.add("Accept-Encoding")
            if gzipped:
                response.headers["Content-Encoding"] = "gzip"
                weak = True  # other bytes than the plain feed under the same tag: weak (RFC 9110 8.8.1)
    response.set_etag(tag, weak=weak)
    response.headers["Cache-Control"] = "private, max-age=300" if feed.private else "public, max-age=300"
    return response


# Each feed takes the calendar version before it reads anything (services.calendar_version).

@bp.get("/calendar.ics")
def public_feed():
    return _serve(services.public_feed_ref(version=services.calendar_version(), now=utcnow()))


@bp.get("/organisations/<slug>/calendar.ics")
def organisation_feed(slug):
    version = services.calendar_version()
    return _serve(services.organisation_feed_ref(loaders.public_organisation(slug), version=version, now=utcnow()))


@bp.get("/tasks/<int:task_id>/calendar.ics")
def task_feed(task_id):
    version = services.calendar_version()
    return _serve(services.task_feed_ref(loaders.public_task(task_id), version=version, now=utcnow()))


@bp.get("/slots/<int:slot_id>.ics")
def slot_download(slot_id):
    slot = loaders.get_or_404(Slot, slot_id)
    loaders.public_task(slot.task_id)
    # One event, built in a millisecond: named by its bytes, as before.
    return _serve(services.Feed(None, f"frivillig-{slot.id}.ics", lambda: services.slot_ics(slot)), attachment=True)


@bp.get("/me/calendar/<token>.ics")
def personal_feed(token):
    """Private: the token in the address is the key, so calendar apps can subscribe."""
    feed = services.personal_feed_ref(token, version=services.calendar_version(), now=utcnow())
    if feed is None:
        abort(404)
    return _serve(feed)


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
