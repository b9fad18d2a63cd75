"""Read-only questions about agreements that other features (the dashboards) ask."""

from datetime import datetime


def tasks_without_agreement(*, now: datetime, organisation_ids=None, limit: int = 50) -> list:
    """Published tasks of municipal institutions with upcoming times and no active agreement behind
    them, as (task, organisation) pairs, oldest first. `organisation_ids` narrows to some organisations."""
    return []


def agreements_past_review(*, now: datetime, organisation_ids=None) -> list:
    """Active agreements whose review date has passed, as Agreement rows, most overdue first."""
    return []
