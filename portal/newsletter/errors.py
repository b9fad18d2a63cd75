"""The newsletter's user-facing errors, in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError


class NewsletterError(DomainError):
    pass


def already_sent() -> NewsletterError:
    return NewsletterError(_l("This newsletter has already been sent. It is never sent twice."))


def not_a_draft() -> NewsletterError:
    return NewsletterError(_l("A sent newsletter cannot be changed. Make a new one instead."))


def no_recipients() -> NewsletterError:
    return NewsletterError(_l("Nobody would get this newsletter: no volunteer who asked for it matches the "
                              "interest and postcode chosen. Change them, or wait until more people sign up."))


def unknown_category() -> NewsletterError:
    return NewsletterError(_l("Choose one of the interests in the list."), field="category")


def too_many(wait: str) -> NewsletterError:
    from portal.ratelimits import TooMany
    return TooMany(_l("You have sent as many newsletters as allowed for now. Try again %(wait)s.", wait=wait))
