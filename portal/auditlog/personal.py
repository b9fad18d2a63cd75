"""The workbench's part of a person's data export (portal/account/services.py calls `export_for`)."""


def export_for(user) -> dict:
    return {}
