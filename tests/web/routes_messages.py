"""Routes of portal/messages that tests/web/test_permissions.py treats as public or keyed by a token."""

# Posters are for notice boards: a published task's poster and the portal's are for anyone
# (a draft task's poster is 404 for everyone but its organisation and the coordinator).
PUBLIC: set[str] = {"messages.task_poster", "messages.portal_poster"}
TOKEN_PROTECTED: set[str] = set()
