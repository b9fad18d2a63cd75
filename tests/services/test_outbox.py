"""The transactional outbox with a real SMTP server on loopback (aiosmtpd)."""

import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from portal.extensions import db
from portal.mail import SMTPSender, sender_from_url
from portal.models import OutboxMessage, utcnow
from portal.outbox import deliver_due, queue_email
from tests.factories import make_user


def free_port() -> int:
    # aiosmtpd's Controller(port=0) does not work; pick a free port ourselves.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox, port
    try:
        controller.stop()
    except Exception:
        pass


def queue_reset_mail(email="ida@example.dk"):
    user = make_user(email=email)
    from portal.auth.services import start_password_reset
    start_password_reset(user.email)
    db.session.commit()
    return user


def test_a_queued_mail_is_delivered_over_smtp_in_the_users_language(ctx, smtp):
    controller, inbox, port = smtp
    user = make_user(email="ida@example.dk", locale="en")
    queue_email(user.email, "reset_password", locale="en", user=user, token="abc")
    db.session.commit()
    result = deliver_due(SMTPSender("127.0.0.1", port), now=utcnow())
    assert result == {"sent": 1, "failed": 0}
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["ida@example.dk"]
    content = envelope.content.decode()
    assert "Subject: Choose a new password" in content
    assert db.session.scalars(select(OutboxMessage)).one().sent_at is not None


def test_a_failed_send_stays_in_the_outbox_and_goes_out_when_smtp_is_back(ctx, smtp):
    controller, inbox, port = smtp
    queue_reset_mail()
    controller.stop()  # the mail server is down
    now = utcnow()
    assert deliver_due(SMTPSender("127.0.0.1", port, timeout=2), now=now) == {"sent": 0, "failed": 1}
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    assert message.next_attempt_at > now
    # Not due yet: the next tick a second later leaves it alone.
    assert deliver_due(SMTPSender("127.0.0.1", port), now=now + timedelta(seconds=1)) == {"sent": 0, "failed": 0}
    restarted = Controller(inbox, hostname="127.0.0.1", port=port)
    restarted.start()
    try:
        result = deliver_due(SMTPSender("127.0.0.1", port), now=now + timedelta(minutes=5))
    finally:
        restarted.stop()
    assert result == {"sent": 1, "failed": 0}
    assert len(inbox.messages) == 1
    db.session.refresh(message)
    assert message.sent_at is not None and message.attempts == 2 and message.last_error is None


def test_two_ticks_at_once_send_each_mail_exactly_once(app, smtp):
    controller, inbox, port = smtp
    with app.app_context():
        for n in range(12):
            queue_reset_mail(f"p{n}@example.dk")
    barrier = threading.Barrier(2)
    errors = []

    def tick():
        with app.app_context():
            barrier.wait()
            try:
                deliver_due(SMTPSender("127.0.0.1", port), now=utcnow())
            except Exception as exc:  # a crashed tick must fail the test
                errors.append(exc)
            db.session.remove()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    recipients = sorted(rcpt for e in inbox.messages for rcpt in e.rcpt_tos)
    assert recipients == sorted(f"p{n}@example.dk" for n in range(12))


def test_mail_url_picks_the_sender():
    smtp = sender_from_url("smtp://user%40x:secret@mail.example:2525?starttls=1")
    assert (smtp.host, smtp.port, smtp.username, smtp.password, smtp.starttls) == \
        ("mail.example", 2525, "user@x", "secret", True)
    assert sender_from_url("smtps://mail.example").port == 465
    with pytest.raises(ValueError):
        sender_from_url("carrier-pigeon://home")


def test_the_tick_command_sends_due_mail(app, smtp):
    controller, inbox, port = smtp
    with app.app_context():
        queue_reset_mail()
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{port}"
    sender = app.extensions.pop("mail_sender")
    try:
        result = app.test_cli_runner().invoke(args=["tick"])
    finally:
        app.extensions["mail_sender"] = sender
        app.config["MAIL_URL"] = "memory://"
    assert "1 sent" in result.output, result.output
    assert len(inbox.messages) == 1


def test_sent_mail_is_forgotten_after_the_kept_days_and_unsent_mail_stays(ctx):
    from datetime import timedelta

    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import OutboxMessage, utcnow
    from portal.outbox import forget_sent

    now = utcnow()
    old_sent = OutboxMessage(to_email="else@example.dk", subject="Din anmodning", body_text="Hej Else",
                             sent_at=now - timedelta(days=31))
    recent = OutboxMessage(to_email="bo@example.dk", subject="Tak", body_text="Hej", sent_at=now - timedelta(days=2))
    never_sent = OutboxMessage(to_email="ida@example.dk", subject="Prøver igen", body_text="Hej",
                               created_at=now - timedelta(days=60))
    db.session.add_all([old_sent, recent, never_sent])
    db.session.flush()
    assert forget_sent(now=now) == 1
    assert forget_sent(now=now) == 0
    left = set(db.session.scalars(select(OutboxMessage.to_email)))
    assert left == {"bo@example.dk", "ida@example.dk"}
