"""The stories' user-facing errors, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState, NotAllowed


class StoryError(DomainError):
    pass


def not_member() -> NotAllowed:
    return NotAllowed(_l("Only the organisation's members can write and change its stories."))


def unknown_task() -> StoryError:
    return StoryError(_l("Choose one of the organisation's own published tasks, or none."), field="task")


def already_hidden() -> InvalidState:
    return InvalidState(_l("The story is already hidden."))


def not_hidden() -> InvalidState:
    return InvalidState(_l("The story is not hidden."))


def hidden_cannot_publish() -> InvalidState:
    return InvalidState(_l("The volunteer coordinator has hidden the story, so it cannot be published until "
                           "the coordinator shows it again."))


def needs_reason() -> StoryError:
    return StoryError(_l("Write why the story is hidden. The author gets the reason by e-mail."), field="reason")
