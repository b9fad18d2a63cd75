"""Routes of portal/awards that tests/web/test_permissions.py treats as public or keyed by a token."""

PUBLIC: set[str] = {"awards.index", "awards.year", "awards.send"}
TOKEN_PROTECTED: set[str] = {"awards.confirm_nomination", "awards.consent"}
