"""What the audit log page calls each action, each kind of object and each changed field. An action
missing here (a feature added its own without a label) is shown by its raw name."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

ACTION_LABELS = {
    "organisation_approved": _l("Organisation approved"),
    "organisation_rejected": _l("Organisation rejected"),
    "organisation_suspended": _l("Organisation suspended"),
    "organisation_reinstated": _l("Organisation reinstated"),
    "company_approved": _l("Company approved"),
    "company_rejected": _l("Company rejected"),
    "company_suspended": _l("Company suspended"),
    "company_reinstated": _l("Company reinstated"),
    "clearance_recorded": _l("Børneattest status recorded"),
    "attendance_changed": _l("Attendance changed"),
    "hours_decided": _l("Logged hours approved or rejected"),
    "hours_changed": _l("Hours changed"),
    "roster_viewed": _l("List of participants viewed"),
    "roster_exported": _l("List of participants downloaded"),
    "contact_details_viewed": _l("Contact details viewed"),
    "assisted_profile_created": _l("Assisted profile created"),
    "assisted_profile_changed": _l("Assisted profile changed"),
    "assisted_signup": _l("Signed up on behalf of a citizen"),
    "assisted_profile_taken_over": _l("Assisted profile taken over by the citizen"),
    "displacement_decided": _l("Displacement check decided"),
    "membership_changed": _l("Membership changed"),
    "message_sent": _l("Message sent to volunteers"),
    "newsletter_sent": _l("Newsletter sent"),
    "data_exported": _l("Data exported"),
    "help_request_passed": _l("Request for help passed to an organisation"),
    "help_request_closed": _l("Request for help closed"),
    "content_hidden": _l("Idea or comment hidden"),
    "content_shown_again": _l("Idea or comment shown again"),
    "assisted_profile_deleted": _l("Assisted profile deleted"),
    "charter_published": _l("Volunteer charter published"),
    "charter_recorded": _l("Volunteer charter accepted on behalf of a citizen"),
}

OBJECT_LABELS = {
    "Organisation": _l("Organisation"),
    "Company": _l("Company"),
    "Task": _l("Task"),
    "Slot": _l("Time"),
    "Signup": _l("Sign-up"),
    "Clearance": _l("Børneattest"),
    "HoursEntry": _l("Logged hours"),
    "User": _l("Person"),
    "AssistedProfile": _l("Assisted profile"),
    "Message": _l("Message"),
    "Newsletter": _l("Newsletter"),
    "DisplacementReview": _l("Displacement check"),
    "Membership": _l("Membership"),
    "CompanyMembership": _l("Membership"),
    "HelpRequest": _l("Request for help"),
    "Idea": _l("Idea"),
    "IdeaComment": _l("Comment"),
}

FIELD_LABELS = {
    "status": _l("Status"),
    "reason": _l("Reason"),
    "attendance": _l("Attendance"),
    "minutes": _l("Minutes"),
    "checked_on": _l("Checked on"),
    "role": _l("Role"),
    "rule": _l("House rule"),
}

VALUE_LABELS = {
    "pending": _l("Waiting"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "suspended": _l("Suspended"),
    "refused": _l("Not approved"),
    "attended": _l("Attended"),
    "no_show": _l("Did not show"),
    "admin": _l("Administrator"),
    "member": _l("Member"),
    "removed": _l("Removed"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def object_label(object_type: str | None) -> str:
    if not object_type:
        return ""
    label = OBJECT_LABELS.get(object_type)
    return str(label) if label is not None else object_type


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def value_label(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    label = VALUE_LABELS.get(value) if isinstance(value, str) else None
    if label is None and isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:  # a day (e.g. a børneattest's "checked on") as the portal writes dates
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    return str(label) if label is not None else str(value)
