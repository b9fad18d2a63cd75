"""What staff do in the ideas box."""

from portal.ideas import bp  # noqa: F401
