"""Routes of portal/newsletter that tests/web/test_permissions.py treats as public or keyed by a token."""

PUBLIC: set[str] = set()
# The unsubscribe link in every newsletter: a page with a button (GET), and the button or a mail
# client's RFC 8058 one-click POST.
TOKEN_PROTECTED: set[str] = {"newsletter.unsubscribe", "newsletter.unsubscribe_post"}
