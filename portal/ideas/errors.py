"""The ideas box's user-facing errors (what citizens meet), in one place."""

from flask_babel import lazy_gettext as _l

from portal import pictures
from portal.errors import DomainError, InvalidState, InvalidToken, NotAllowed

MIN_AGE = 15


class IdeaError(DomainError):
    pass


def too_young() -> NotAllowed:
    return NotAllowed(_l("You can write an idea from the age of %(age)d. Until then you are welcome to "
                         "support ideas and talk with a grown-up about yours.", age=MIN_AGE))


def birth_date_unknown() -> NotAllowed:
    return NotAllowed(_l("We do not know your date of birth, and you must be %(age)d or older to write an idea. "
                         "Add your date of birth on your profile page.", age=MIN_AGE))


def locked() -> InvalidState:
    return InvalidState(_l("Others have supported the idea as it is, so it can no longer be changed. "
                           "Add a correction note instead."))


def not_author() -> NotAllowed:
    return NotAllowed(_l("Only the person who wrote the idea can do that."))


def not_open() -> InvalidState:
    return InvalidState(_l("This idea cannot be supported or commented on at the moment."))


# The picture's messages are the shared ones (portal/pictures.py): one wording everywhere.
picture_needs_alt = pictures.needs_alt
picture_too_big = pictures.too_big
picture_not_image = pictures.not_image
picture_too_many_pixels = pictures.too_many_pixels


def unknown_category() -> IdeaError:
    return IdeaError(_l("Choose one of the categories."), field="category")


def bad_link() -> InvalidToken:
    return InvalidToken(_l("The link is invalid or has expired. Send the idea again, and open the link "
                           "within %(days)d days.", days=7))
