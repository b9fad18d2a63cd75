"""The messages' user-facing errors, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError


class MessageError(DomainError):
    pass


def slot_cancelled() -> MessageError:
    return MessageError(_l("This time is cancelled, so nobody is signed up for it any more. Everyone on it was "
                           "told when it was cancelled."))


def nobody() -> MessageError:
    return MessageError(_l("Nobody would receive this message: no one is signed up yet. Tick \"Also write to "
                           "the people on the waitlist\" if you want to write to the people waiting."), field="include_waitlist")


def nobody_at_all() -> MessageError:
    return MessageError(_l("Nobody would receive this message: no one is signed up or waiting yet."))


def not_this_task() -> MessageError:
    return MessageError(_l("Choose one of the task's upcoming times from the list."), field="slot")
