"""The ideas box's user-facing errors (what citizens meet), in one place."""

from flask_babel import lazy_gettext as _l

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


def picture_needs_alt() -> IdeaError:
    return IdeaError(_l("Describe the picture for people who cannot see it."), field="picture_alt")


def picture_too_big() -> IdeaError:
    return IdeaError(_l("The picture is too large. Choose a file under 5 MB."), field="picture")


def picture_not_image() -> IdeaError:
    return IdeaError(_l("We could not read the picture. Choose a PNG, JPEG or WebP file."), field="picture")


def picture_too_many_pixels() -> IdeaError:
    return IdeaError(_l("The picture has too many pixels. Choose a smaller one."), field="picture")


def unknown_category() -> IdeaError:
    return IdeaError(_l("Choose one of the categories."), field="category")


def bad_link() -> InvalidToken:
    return InvalidToken(_l("The link is invalid or has expired. Send the idea again, and open the link "
                           "within %(days)d days.", days=7))
