"""The events feature's user-facing errors, in one catalogue."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError


class EventError(DomainError):
    pass


error_messages = {
    "end_before_start": _l("The end must be after the start."),
    "item_outside": _l("The programme line must start during the event, between its start and its end."),
    "unknown_award_year": _l("Choose an award year from the list."),
    "unknown_item": _l("That line is no longer in the programme."),
    "not_an_event": _l("Choose one of the coming events from the list."),
}


def error(key: str, field: str | None = None) -> EventError:
    return EventError(error_messages[key], field=field)
