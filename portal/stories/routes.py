from portal.stories import bp  # noqa: F401
