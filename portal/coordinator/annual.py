"""The annual volunteering account (frivillighedsregnskab) the coordinator downloads for a year."""

from portal.coordinator import bp  # noqa: F401
