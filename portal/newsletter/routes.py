from portal.newsletter import bp  # noqa: F401
