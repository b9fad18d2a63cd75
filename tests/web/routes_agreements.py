"""Routes of portal/agreements that tests/web/test_permissions.py treats as public or keyed by a token."""

# Everything else is the coordinator's or an organisation member's; the evaluation survey is opened
# from the link in the e-mail, without logging in.
PUBLIC: set[str] = set()
TOKEN_PROTECTED: set[str] = {"agreements.evaluate"}
