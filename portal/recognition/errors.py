"""Recognition's user-facing errors, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, NotAllowed


class RecognitionError(DomainError):
    pass


def no_hours() -> RecognitionError:
    return RecognitionError(_l("There are no counted hours in that period yet, so there is nothing to put on a "
                               "certificate. Hours count when an organisation marks you as attended."),
                            field="period")


def bad_period() -> RecognitionError:
    return RecognitionError(_l("Choose one of the periods in the list."), field="period")


def not_yours() -> NotAllowed:
    return NotAllowed(_l("This certificate is not yours."))
