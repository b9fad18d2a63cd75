from portal.assisted import bp  # noqa: F401
