def remind_overdue_owners(*, now) -> int:
    return 0
