"""The matching feature's user-facing errors, in one catalogue beside the error class
(pretix's `error_messages` next to `OrderError`)."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError

error_messages = {
    "invitation_limit": _l("This volunteer has already had two invitations this week. Try again in a few days."),
    "not_opted_in": _l("This volunteer does not want to be invited."),
    "invitation_link_invalid": _l("This invitation link is not valid."),
    "optout_link_invalid": _l("This link is not valid."),
    "invited_someone_else": _l("This invitation was sent to someone else. Log in with your own profile."),
}


class MatchingError(DomainError):
    pass


class InvitationLimit(MatchingError):
    message = error_messages["invitation_limit"]


class NotOptedIn(MatchingError):
    message = error_messages["not_opted_in"]
