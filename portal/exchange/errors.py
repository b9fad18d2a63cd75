"""The frivilligbørs' user-facing errors, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState, NotAllowed


class ExchangeError(DomainError):
    pass


def money(field: str) -> ExchangeError:
    return ExchangeError(_l("No money changes hands in the frivilligbørs. Describe time, skills or things "
                            "instead of an amount."), field=field)


def follow_up_past() -> ExchangeError:
    return ExchangeError(_l("Choose a follow-up date after today."), field="follow_up_on")


def follow_up_far() -> ExchangeError:
    return ExchangeError(_l("Choose a follow-up date within two years."), field="follow_up_on")


def not_a_party() -> NotAllowed:
    return NotAllowed(_l("Only the company and the organisation of this agreement can do that."))


def not_now() -> InvalidState:
    return InvalidState(_l("The agreement has changed in the meantime. See its status below."))


def party_not_open() -> InvalidState:
    return InvalidState(_l("Both the company and the organisation must be approved to make an agreement."))


def closed() -> InvalidState:
    return InvalidState(_l("This is closed and can no longer be answered."))
