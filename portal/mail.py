"""The outside world of e-mail: senders that deliver an OutboxMessage.

`MAIL_URL` picks one: `console://` (development: printed), `memory://` (tests),
`smtp://user:pass@host:port` or `smtps://…`, with `?starttls=1` for STARTTLS."""

import re
import email.policy
import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from portal.core.safetext import one_line, text_block


# One plain address, nothing that could name a second recipient, a group or a header.
_ONE_ADDRESS = re.compile(r"[^\s,;:<>()\[\]\"\\@]+@[^\s,;:<>()\[\]\"\\@]+")
_MIME_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")


def single_address(value: str) -> str:
    """The recipient as one bare address. Anything else is refused (ValueError): the message
    stays in the outbox with the error rather than reaching someone else."""
    address = one_line(value)
    if not _ONE_ADDRESS.fullmatch(address):
        raise ValueError(f"not a single e-mail address: {address!r}")
    return address


def attachment_content_type(value) -> str:
    """The stored type if it is a plain MIME type, else application/octet-stream."""
    kind = one_line(value).lower()
    return kind if _MIME_TYPE.fullmatch(kind) else "application/octet-stream"


def attachment_filename(value) -> str:
    return one_line(value) or "attachment"


# Headers set raw (List-Unsubscribe) are written as they are; all others are folded as usual.
_POLICY = email.policy.default.clone(refold_source="none")


def build_email(message, sender_address: str) -> EmailMessage:
    """The message as it leaves: whatever was stored, no header value carries a line break
    (which would start a header of its own) or another control character."""
    mail = EmailMessage(policy=_POLICY)
    from_name = one_line(getattr(message, "from_name", None) or "")
    if from_name:
        # MAIL_FROM may carry a display name of its own ("Dragør Frivillig <frivillig@…>"): keep its address.
        user, _, domain = single_address(parseaddr(sender_address)[1] or sender_address).partition("@")
        # The header registry quotes and encodes the display name; a name cannot add an address.
        mail["From"] = Address(display_name=from_name, username=user, domain=domain)
    else:
        mail["From"] = sender_address
    mail["To"] = single_address(message.to_email)
    if getattr(message, "reply_to", None):
        mail["Reply-To"] = single_address(message.reply_to)
    if getattr(message, "list_unsubscribe", None):
        url = one_line(message.list_unsubscribe)
        if (url.startswith(("https://", "http://")) and url.isascii() and len(url) < 900
                and not any(c in url for c in "<>, ")):
            # Raw, so the long URL is not folded into an RFC 2047 word ("=?utf-8?q?=3Chttps…")
            # that mail clients cannot read: no one-click unsubscribe button would show.
            mail.set_raw("List-Unsubscribe", f"<{url}>")
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail["Subject"] = one_line(message.subject)
    mail["Message-ID"] = make_msgid(domain="frivillig.dragoer.dk")
    mail.set_content(text_block(message.body_text))
    if message.attachment is not None:
        maintype, _, subtype = attachment_content_type(message.attachment_type).partition("/")
        mail.add_attachment(message.attachment, maintype=maintype, subtype=subtype,
                            filename=attachment_filename(message.attachment_name))
    return mail


class ConsoleSender:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, mail: EmailMessage) -> None:
        print("----- e-mail -----", file=self.stream)
        print(f"To: {mail['To']}\nSubject: {mail['Subject']}\n", file=self.stream)
        body = mail.get_body(preferencelist=("plain",))
        print(body.get_content() if body else "", file=self.stream)
        print("------------------", file=self.stream, flush=True)


class MemorySender:
    """Keeps what it would have sent; used by tests in place of an SMTP server."""

    def __init__(self):
        self.sent: list[EmailMessage] = []
        self.fail_with: Exception | None = None

    def send(self, mail: EmailMessage) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(mail)


class SMTPSender:
    def __init__(self, host, port, *, username=None, password=None, use_ssl=False,
                 starttls=False, timeout=10):
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.use_ssl, self.starttls, self.timeout = use_ssl, starttls, timeout

    def send(self, mail: EmailMessage) -> None:
        if self.use_ssl:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.starttls:
                client.starttls(context=ssl.create_default_context())
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(mail)


def sender_from_url(url: str):
    parts = urlsplit(url)
    if parts.scheme == "console":
        return ConsoleSender()
    if parts.scheme == "memory":
        return MemorySender()
    if parts.scheme in ("smtp", "smtps"):
        query = parse_qs(parts.query)
        return SMTPSender(
            parts.hostname or "localhost",
            parts.port or (465 if parts.scheme == "smtps" else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_ssl=parts.scheme == "smtps",
            starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
        )
    raise ValueError(f"Unknown MAIL_URL scheme: {parts.scheme!r}")
