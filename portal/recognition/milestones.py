from datetime import datetime


def send_milestone_mails(*, now: datetime) -> int:
    """Thank-you mails at the first task and at 10, 50 and 100 hours, once each, unless switched off."""
    return 0
