"""Routes of portal/fund that tests/web/test_permissions.py treats as public or keyed by a token."""

# The fund's page is public; everything under /fund/manage is the coordinator's.
PUBLIC: set[str] = {"fund.index"}
TOKEN_PROTECTED: set[str] = set()
