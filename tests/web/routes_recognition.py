"""Routes of portal/recognition that tests/web/test_permissions.py treats as public or keyed by a token."""

# The code in the address is the key: whoever holds the certificate may check it and print it again.
PUBLIC: set[str] = {"recognition.verify", "recognition.certificate_pdf"}
# The signed link in each milestone mail switches that person's milestone mails off (and nothing else).
TOKEN_PROTECTED: set[str] = {"recognition.milestone_mails_off"}
