"""The user-facing errors of staff's side of the ideas box, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState, NotAllowed


class IdeaStaffError(DomainError):
    pass


def answer_required() -> IdeaStaffError:
    return IdeaStaffError(_l("Write the answer: the author and the supporters deserve to know why."), field="answer")


def link_required() -> IdeaStaffError:
    return IdeaStaffError(_l("Give the link to what already exists."), field="link")


def link_invalid() -> IdeaStaffError:
    return IdeaStaffError(_l("Give a page on this site (for example /ideas/12 or /tasks/40) or an address "
                             "that begins with https://."), field="link")


def link_no_idea() -> IdeaStaffError:
    return IdeaStaffError(_l("There is no published idea with that number."), field="link")


def link_same_idea() -> IdeaStaffError:
    return IdeaStaffError(_l("Link to another idea, not to this one."), field="link")


def no_draft() -> IdeaStaffError:
    return IdeaStaffError(_l("Choose what the answer is before you publish it."), field="state")


def not_published() -> InvalidState:
    return InvalidState(_l("This idea is waiting for its writer to confirm the e-mail address. Answer it once it is published."))


def answered_meanwhile() -> InvalidState:
    return InvalidState(_l("Someone published an answer to this idea a moment ago. See it below before you publish again."))


def not_accepted() -> InvalidState:
    return InvalidState(_l("Only an accepted idea can be taken on."))


def already_taken() -> InvalidState:
    return InvalidState(_l("Another organisation has just taken this idea on."))


def not_your_organisation() -> NotAllowed:
    return NotAllowed(_l("Choose one of your own organisations."))


def already_hidden() -> InvalidState:
    return InvalidState(_l("This is already hidden."))


def report_resolved() -> InvalidState:
    return InvalidState(_l("Someone has already decided on this report."))
