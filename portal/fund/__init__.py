"""The volunteer fund (/fund): its purpose and rules, how to give (outside the portal: the fund's own
account, MobilePay and fundraising permission), what it has paid out and to what, and its donors,
listed only with their consent."""

from flask import Blueprint

bp = Blueprint("fund", __name__)

from portal.fund import routes  # noqa: E402,F401
