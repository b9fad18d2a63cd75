"""Development only: shows the mail the portal has written, so a developer can follow
a confirmation link without a mail server. Registered only when DEV_MAIL_PAGE is on."""

from flask import Blueprint

bp = Blueprint("dev", __name__, url_prefix="/dev")


def enabled(app) -> bool:
    return bool(app.config["DEV_MAIL_PAGE"])


from portal.dev import routes  # noqa: E402,F401
