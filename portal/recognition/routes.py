from portal.recognition import bp  # noqa: F401
