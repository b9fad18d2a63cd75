"""The tasks feature's domain errors and their user-facing texts, in one catalogue
(pretix's `error_messages` beside `OrderError`)."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState

error_messages = {
    "category_exists": _l("That category already exists."),
    "organisation_not_approved": _l("The organisation must be approved before it can post tasks."),
    "end_before_start": _l("The end must be after the start."),
    "time_passed": _l("This time has already passed. Choose a date and time in the future."),
    "last_date_passed": _l("The last date has already passed. Choose a last date from today on."),
    "rule_times": _l("Check the times and dates: the end must be after the start."),
    "slot_cancelled": _l("This time is cancelled and cannot be changed."),
    "status_not_allowed": _l("The task cannot be given that status from the one it has now."),
    "not_an_event": _l("Choose one of the coming events from the list."),
    "needs_displacement_check": _l("Before a municipal institution's task is published, answer the four short "
                                   "questions about paid staff. Press “Publish” to answer them."),
    # CapacityBelowTaken: "%(num)d people are already signed up, so there must be at least
    # %(num)d places." (a plural, built where the number is known)
}


class CapacityBelowTaken(DomainError):
    field = "capacity"


class NeedsDisplacementCheck(InvalidState):
    """A municipal institution's task without an approved displacement review (issue 13)."""
