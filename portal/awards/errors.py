"""What people meet when a nomination cannot go ahead, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError, InvalidState, InvalidToken, NotAllowed


class AwardError(DomainError):
    pass


def not_nominating() -> InvalidState:
    return InvalidState(_l("Nominations are not open for this year."))


def unknown_category() -> AwardError:
    return AwardError(_l("Choose one of the categories."), field="category")


def wrong_kind() -> AwardError:
    return AwardError(_l("Choose who you nominate the way this category asks."), field="nominee_kind")


def needs_email() -> AwardError:
    return AwardError(_l("Enter the e-mail address where we can ask them."), field="nominee_email")


def needs_name() -> AwardError:
    return AwardError(_l("Enter the name of the one you nominate."), field="nominee_name")


def unknown_organisation() -> AwardError:
    return AwardError(_l("Choose one of the associations on the list."), field="organisation")


def unknown_company() -> AwardError:
    return AwardError(_l("Choose one of the companies on the list."), field="company")


def self_nomination() -> AwardError:
    return AwardError(_l("You cannot nominate yourself. Ask someone who knows your work to do it."),
                      field="nominee_email")


def too_old_to_accept(max_age: int) -> InvalidState:
    return InvalidState(_l("This category is for people aged %(age)d or younger, and your profile says you are "
                           "older, so the nomination cannot be shown. You can answer no thanks.", age=max_age))


def bad_confirm_link() -> InvalidToken:
    return InvalidToken(_l("The link is invalid or has expired. Send the nomination again, and open the link "
                           "within %(days)d days.", days=7))


def bad_consent_link() -> InvalidToken:
    return InvalidToken(_l("The link is invalid, has expired or has been used already. If you have a profile, "
                           "you can answer under “My nominations”."))


def not_nominee() -> NotAllowed:
    return NotAllowed(_l("Only the person nominated can answer."))


def already_answered() -> InvalidState:
    return InvalidState(_l("You have answered already."))


def not_public() -> InvalidState:
    return InvalidState(_l("Hearts can only be given to nominations shown on the page."))


def has_nominations() -> InvalidState:
    return InvalidState(_l("The category has nominations, so it cannot be deleted. Change its name instead."))


def year_taken() -> AwardError:
    return AwardError(_l("That year already exists."), field="year")


def dates_out_of_order(field: str) -> AwardError:
    messages = {
        "close_day": _l("Nominations must close after they open."),
        "jury_day": _l("The jury cannot start before nominations close."),
        "announce_day": _l("The announcement must come after the jury starts."),
    }
    return AwardError(messages[field], field=field)


def dates_after_announcement() -> InvalidState:
    return InvalidState(_l("The winners have been announced, so the dates can no longer change. You can still "
                           "change the text."))


def category_name_taken() -> AwardError:
    return AwardError(_l("The year already has a category with that name."), field="name_da")
