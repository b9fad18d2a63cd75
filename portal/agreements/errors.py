"""What the coordinator (or a person answering an evaluation) can meet, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidToken


class AgreementError(DomainError):
    pass


def party_b_required() -> AgreementError:
    return AgreementError(_l("Choose the association, school or institution the agreement is with."), field="party_b")


def party_not_approved(field: str) -> AgreementError:
    return AgreementError(_l("Choose one of the approved organisations on the portal."), field=field)


def same_parties() -> AgreementError:
    return AgreementError(_l("An agreement needs two different parties. Choose another organisation on one side."),
                          field="party_b")


def review_before_start() -> AgreementError:
    return AgreementError(_l("The review date cannot be before the agreement starts."), field="review_on")


def end_before_start() -> AgreementError:
    return AgreementError(_l("The end date cannot be before the agreement starts."), field="ends_on")


def foreign_task() -> AgreementError:
    return AgreementError(_l("Choose only tasks that belong to one of the two parties."), field="tasks")


def evaluation_link_invalid() -> InvalidToken:
    return InvalidToken(_l("This evaluation link is not valid. Check that you copied the whole link from the e-mail."))


def evaluation_link_expired() -> InvalidToken:
    return InvalidToken(_l("This evaluation link has expired. Write to the volunteer coordinator if you would still "
                           "like to share your experience."))


class AlreadyAnswered(DomainError):
    message = _l("Thank you, this evaluation has already been answered.")
