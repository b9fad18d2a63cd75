from portal.dashboards import bp  # noqa: F401
