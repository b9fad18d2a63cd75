"""The sign-up feature's domain errors and their user-facing texts, in one catalogue
(pretix's `error_messages` beside `OrderError`). Services raise these; routes show them."""

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.core.eligibility import Decision, Reason
from portal.errors import DomainError, InvalidState, InvalidToken

# Why a person cannot (or should think twice before they) sign up for a time.
REASON_TEXT = {
    Reason.not_open: _l("This time is not open for sign-up."),
    Reason.started: _l("This time has already started."),
    Reason.too_young: _l("You must be at least %(min_age)s years old on the day."),
    Reason.needs_clearance: _l("This task needs a child protection certificate (børneattest). "
                               "Contact the organisation, which records it for you."),
    Reason.over_monthly_cap: _l("This would take you over the %(cap)s hours a month you have chosen. "
                                "You can change the limit in your profile."),
    Reason.full: _l("All places are taken. You can join the waitlist."),
    Reason.overlap: _l("You are already signed up for something at the same time."),
}

error_messages = {
    "slot_full": _l("Sorry, the last place was just taken. You can join the waitlist."),
    "already_signed_up": _l("You are already signed up for this time."),
    "too_late_to_cancel": _l("It is too late to cancel here (the deadline was %(when)s). "
                             "Please call the contact person instead."),
    "link_invalid": _l("This link is no longer valid."),
    "offer_expired": _l("Sorry, the offer has expired and the place has passed to the next in line."),
    "taken_first": _l("Sorry, someone else took the place first. You are still on the waitlist."),
    "no_longer_signed_up": _l("You are no longer signed up for this time."),
    "hours_only_ongoing": _l("You can only log hours for ongoing roles. Hours for other tasks are counted "
                             "automatically."),
    "hours_in_future": _l("You cannot log hours in the future."),
}


def reason_texts(reasons, extra) -> list[str]:
    values = {k: _num(v) for k, v in extra.items()}
    texts = []
    for reason in reasons:
        text = str(REASON_TEXT[reason])
        texts.append(text % values if "%(" in text else text)
    return texts


def _num(value):
    return int(value) if float(value).is_integer() else round(value, 1)


class NotEligible(DomainError):
    def __init__(self, decision: Decision):
        self.decision = decision
        super().__init__(reason_texts(decision.blockers, decision.extra)[0])


class SlotFull(DomainError):
    message = error_messages["slot_full"]


class AlreadySignedUp(DomainError):
    message = error_messages["already_signed_up"]


class TooLateToCancel(DomainError):
    def __init__(self, when: str):
        super().__init__(LazyString(lambda: str(error_messages["too_late_to_cancel"]) % {"when": when}))


def link_invalid() -> InvalidToken:
    return InvalidToken(error_messages["link_invalid"])


def offer_expired() -> InvalidState:
    return InvalidState(error_messages["offer_expired"])


def no_longer_signed_up() -> InvalidState:
    return InvalidState(error_messages["no_longer_signed_up"])
