"""Nominations: the public award pages, nominating, the nominee's consent, hearts, and the
coordinator's award year and categories."""

from portal.awards import bp  # noqa: F401
