from portal.fund import bp  # noqa: F401
