"""The calls' user-facing errors, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState, NotAllowed


class CallError(DomainError):
    pass


def deadline_past() -> CallError:
    return CallError(_l("Choose a deadline in the future."), field="closes_on")


def deadline_far() -> CallError:
    return CallError(_l("Choose a deadline within one year."), field="closes_on")


def place_unknown() -> CallError:
    return CallError(_l("We could not find that place. Write a postcode in or near Dragør, for example 2791, "
                        "or a town such as Store Magleby."), field="postcode")


def place_missing() -> CallError:
    return CallError(_l("Write the place or postcode the call is for."), field="postcode")


def radius_missing() -> CallError:
    return CallError(_l("Write how many kilometres around the place, for example 2."), field="radius_km")


def meeting_not_ours() -> CallError:
    return CallError(_l("Choose one of the published tasks in the list."), field="meeting_task")


def not_poster() -> NotAllowed:
    return NotAllowed(_l("Only the volunteer coordinator or a contact person of the organisation can ask "
                         "the citizens on its behalf."))


def organisation_not_approved() -> InvalidState:
    return InvalidState(_l("Your organisation can ask the citizens once the volunteer coordinator has approved it."))


def not_editable() -> InvalidState:
    return InvalidState(_l("The deadline has passed, so the call can no longer be changed. Close it with a note "
                           "about what came of it."))


def answers_closed() -> InvalidState:
    return InvalidState(_l("The deadline has passed, so the call no longer takes answers."))


def already_answered() -> InvalidState:
    return InvalidState(_l("Your answer was already saved. You can change it below."))


def too_early_to_close() -> InvalidState:
    return InvalidState(_l("The call can be closed once its deadline has passed."))


def already_closed() -> InvalidState:
    return InvalidState(_l("The call has already been closed."))


def cannot_go_public() -> CallError:
    return CallError(_l("People have already answered in the belief that only you would read their answers, so "
                        "the answers cannot be made public now."), field="answers_public")


def question_locked() -> CallError:
    return CallError(_l("People have already answered this question, so it can no longer be changed: their answers "
                        "would seem to answer another question. Add what you want to say to the background."),
                     field="question")
