"""What the sign-up routes call when the charter gate stops a sign-up: the way to the accept page.
(Web-only: services raise CharterRequired; routes turn it into a redirect here.)"""

from flask import flash, redirect, url_for

from portal.charter.services import CharterRequired


def accept_redirect(error, back: str):
    """A redirect to /charter/accept?next=<back> when `error` is the charter gate (its message flashed
    as information, not as an error), else None."""
    if isinstance(error, CharterRequired):
        flash(str(error.message), "info")
        return redirect(url_for("charter.accept", next=back))
    return None
