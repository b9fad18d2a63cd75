"""Routes of portal/assisted that tests/web/test_permissions.py treats as public or keyed by a token."""

PUBLIC: set[str] = set()
# The citizen opens the link from the take-over mail before they have a password.
TOKEN_PROTECTED: set[str] = {"assisted.takeover"}
