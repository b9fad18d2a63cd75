"""Newsletter review (newsletterrev): what a mail client really reads in the sent bytes."""

import email
import email.policy
from email.generator import BytesGenerator
from io import BytesIO

from portal.mail import build_email
from portal.models import OutboxMessage


def _wire_bytes(mail) -> bytes:
    """The bytes smtplib.send_message puts on the wire (BytesGenerator with the message's policy)."""
    out = BytesIO()
    BytesGenerator(out, policy=mail.policy.clone(linesep="\r\n")).flatten(mail)
    return out.getvalue()


def test_list_unsubscribe_header_reaches_the_mail_client_as_a_plain_url_not_an_encoded_word(ctx):
    url = "https://frivillig.dragoer.dk/newsletter/unsubscribe/" + "Ab1_" * 11   # a real token's length
    message = OutboxMessage(to_email="karen@example.dk", subject="Julehjælp på Enggården", body_text="Hej\n",
                            from_name="Dragør Frivillig", list_unsubscribe=url)
    raw = _wire_bytes(build_email(message, "frivillig@dragoer.dk"))
    headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    # Gmail and Apple Mail read the URL between < and > literally; an RFC 2047 "=?utf-8?q?=3Chttps..."
    # word hides it and the one-click unsubscribe button never shows.
    assert f"List-Unsubscribe: <{url}>\r\n" in headers
    assert "=?utf-8?q?=3C" not in headers
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in headers
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == f"<{url}>"
    assert parsed["To"] == "karen@example.dk"
