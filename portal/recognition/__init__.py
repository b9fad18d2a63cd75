"""Recognition all year: a volunteer's hours by year and organisation, certificates (of volunteering,
of a nomination, of an award) as PDF with a QR code to a public verification page, and thank-you
mails at milestones the volunteer can switch off."""

from flask import Blueprint

from portal import jobs

bp = Blueprint("recognition", __name__)

from portal.recognition import routes  # noqa: E402,F401

jobs.register("milestone_mails", "portal.recognition.milestones:send_milestone_mails", order=76)
