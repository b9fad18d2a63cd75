"""Routes of portal/charter that tests/web/test_permissions.py treats as public or keyed by a token."""

PUBLIC: set[str] = {"charter.show", "charter.versions", "charter.version"}
TOKEN_PROTECTED: set[str] = set()
