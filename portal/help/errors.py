"""Asking for help: the user-facing errors, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState, NotAllowed


class HelpError(DomainError):
    pass


def unreachable() -> HelpError:
    return HelpError(_l("Write a phone number or an e-mail address, so that we can reach you. A phone number "
                        "is enough."), field="phone")


def no_consent() -> HelpError:
    return HelpError(_l("Tick the box to confirm that the person has agreed that you ask on their behalf."),
                     field="consent")


def asker_name() -> HelpError:
    return HelpError(_l("Write your own name when you ask on behalf of someone else."), field="asked_by_name")


def organisation_not_open() -> HelpError:
    return HelpError(_l("Choose an approved organisation."), field="organisation")


def not_now() -> InvalidState:
    return InvalidState(_l("The request has changed in the meantime. See its status below."))


def not_yours() -> NotAllowed:
    return NotAllowed(_l("Only the volunteer coordinator and the organisation the request was passed to can "
                         "do that."))

