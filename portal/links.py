"""The address the portal is reached on, for links that leave the browser: e-mail and calendars."""

import re

from flask import current_app, has_request_context, request

from portal.config import Defaults

# Only a browser on the developer's own machine; a Host header naming anything else is ignored.
_LOOPBACK_HOST = re.compile(r"(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?")


def base_url() -> str:
    """BASE_URL, without the trailing slash.

    One development convenience: a developer who serves the portal on another port without
    setting BASE_URL (`flask run --port 8000`) would get mail links to port 5000, so while
    BASE_URL is still the built-in default, the development mail page is on and the request
    came to a loopback address, the request's own address is used. A configured BASE_URL always
    wins, and outside development the Host header is never trusted (it can be forged)."""
    configured = current_app.config["BASE_URL"].rstrip("/")
    if (configured == Defaults.BASE_URL.rstrip("/") and current_app.config.get("DEV_MAIL_PAGE")
            and has_request_context() and _LOOPBACK_HOST.fullmatch(request.host)
            and request.scheme in ("http", "https")):
        return f"{request.scheme}://{request.host}"
    return configured
