def delete_expired_requests(*, now) -> int:
    return 0
