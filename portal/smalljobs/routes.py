from portal.smalljobs import bp  # noqa: F401
