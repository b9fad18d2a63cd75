"""Routes of portal/stories that tests/web/test_permissions.py treats as public or keyed by a token."""

PUBLIC: set[str] = {"stories.index", "stories.show", "stories.picture", "organisations.picture"}
TOKEN_PROTECTED: set[str] = set()
