"""Responses compressed by the app (Flask-Compress): HTML, CSS, JavaScript, JSON, calendars and
CSV, when the browser accepts brotli or gzip and the body is worth it (COMPRESS_MIN_SIZE bytes).
When a server in front compresses instead, set COMPRESS_ENABLED=0.

ETags: a compressed body is not byte-for-byte the body the view tagged, so a strong ETag becomes
weak (W/"…"), as nginx does. Flask-Compress's own way (a ":gzip" suffix on the tag) would make
the tag the browser sends back differ from the one the view computes, and a view that answers
304 before building its body (the calendar feeds) would build it every time. With weak tags a
view that compares weakly (GET always may, RFC 9110 13.1.2) still answers 304 at once."""

from flask import current_app, request
from flask_compress import Compress

MIMETYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/calendar", "text/javascript",
    "application/javascript", "application/json", "application/ld+json", "application/xml",
    "image/svg+xml",
]


def _compress(response):
    if not current_app.config["COMPRESS_ENABLED"]:
        return response
    etag, weak = response.get_etag()
    already_encoded = "Content-Encoding" in response.headers
    response = current_app.extensions["compress"].after_request(response)
    if etag and not weak:
        if "Content-Encoding" in response.headers and not already_encoded:
            response.set_etag(etag, weak=True)  # replaces Flask-Compress's "<tag>:gzip"
            if request.method in ("GET", "HEAD"):
                response.make_conditional(request)
        elif response.status_code == 304 and f'W/"{etag}"' in request.headers.get("If-None-Match", ""):
            # The browser holds the compressed copy under the weak tag: confirm that tag.
            response.set_etag(etag, weak=True)
    return response


def init_app(app) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Static files are sent as streams; Flask-Compress leaves gzip out for streams by default, but
    # some clients only speak gzip.
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # We register the hook ourselves (to fix the ETag first) and evaluate conditions afterwards.
    app.config["COMPRESS_REGISTER"] = False
    app.config["COMPRESS_EVALUATE_CONDITIONAL_REQUEST"] = False
    compress = Compress()
    compress.init_app(app)
    app.extensions["compress"] = compress
    app.after_request(_compress)
