from portal.charter import bp  # noqa: F401
