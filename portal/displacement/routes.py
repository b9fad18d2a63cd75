from portal.displacement import bp  # noqa: F401
