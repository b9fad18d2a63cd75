"""Routes of the frivilligbørs."""

from portal.exchange import bp  # noqa: F401
