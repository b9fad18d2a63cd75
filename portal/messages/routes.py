from portal.messages import bp  # noqa: F401
