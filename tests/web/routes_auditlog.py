"""Routes of portal/auditlog that tests/web/test_permissions.py treats as public or keyed by a token."""

PUBLIC: set[str] = set()
TOKEN_PROTECTED: set[str] = set()
