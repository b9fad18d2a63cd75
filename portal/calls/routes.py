from portal.calls import bp  # noqa: F401
