"""Routes: see the package docstring."""

from portal.companies import bp  # noqa: F401
