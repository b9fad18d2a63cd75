"""Routes of portal/displacement that tests/web/test_permissions.py treats as public or keyed by a token."""

# The list of what volunteers do not do is public; the check is the institution's, the rest the coordinator's.
PUBLIC: set[str] = {"displacement.limits"}
TOKEN_PROTECTED: set[str] = set()
