"""Routes of portal/events that tests/web/test_permissions.py treats as public or keyed by a token."""

PUBLIC: set[str] = {"events.index", "events.show", "tasks.picture"}
TOKEN_PROTECTED: set[str] = set()
