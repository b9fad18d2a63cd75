from portal.auditlog import bp  # noqa: F401
