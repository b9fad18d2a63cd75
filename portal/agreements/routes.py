from portal.agreements import bp  # noqa: F401
