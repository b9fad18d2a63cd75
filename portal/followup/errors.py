"""The follow-up's domain errors and their user-facing texts, in one catalogue
(pretix's `error_messages` beside `OrderError`)."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState

error_messages = {
    "not_started": _l("Attendance can be recorded once the time has started."),
    "unknown_volunteer": _l("No volunteer has a profile with this e-mail address."),
}


class NotStarted(InvalidState):
    message = error_messages["not_started"]


class UnknownVolunteer(DomainError):
    message = error_messages["unknown_volunteer"]
    field = "email"
