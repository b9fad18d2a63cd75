"""Forms every feature shares."""

from portal.forms import PortalForm


class ConfirmForm(PortalForm):
    """A button that changes something: only the CSRF token."""
