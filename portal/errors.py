"""Domain errors. Services raise them; routes show `message` to the user.

Messages are lazy translations so they render in the reader's language."""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    message = _l("Something went wrong.")
    field: str | None = None

    def __init__(self, message=None, *, field=None):
        if message is not None:
            self.message = message
        if field is not None:
            self.field = field
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    message = _l("You are not allowed to do that.")


class EmailTaken(DomainError):
    message = _l("Another profile already uses this e-mail address.")
    field = "email"


class InvalidToken(DomainError):
    message = _l("The link is invalid or has expired. Ask for a new one.")


class InvalidCredentials(DomainError):
    message = _l("The e-mail address or password is wrong.")


class EmailNotConfirmed(DomainError):
    message = _l("Confirm your e-mail address first. We have sent you a new link.")


class TooYoung(DomainError):
    field = "birth_date"


class InvalidState(DomainError):
    message = _l("That is not possible at the moment.")


class AlreadyMember(DomainError):
    message = _l("That person is already a member of the organisation.")
    field = "email"
