"""Names and titles stored with line breaks or control characters (before the forms refused
them, by a command or straight into the database) must neither keep a mail in the outbox
forever nor add a header: the applicant's and the coordinator's mails go out, through the
in-memory sender and through real SMTP, with one-line subjects and no injected Bcc."""

from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mail import SMTPSender, build_email
from portal.models import OutboxMessage, utcnow
from portal.organisations.services import apply_for_organisation, invite
from portal.outbox import deliver_due, queue_email
from tests.factories import make_organisation, make_task, make_user
from tests.services.test_outbox import smtp  # noqa: F401  (the SMTP fixture)

INJECTED = "Foo\r\nBcc: evil@example.com"
ORG_FIELDS = dict(description="Vi går ture.", address="Kongevejen 1", postcode="2791", city="Dragør",
                  website="", contact_name="Ida", contact_email="ida@example.dk", contact_phone="")


def _apply_with_nasty_names(org_name=INJECTED, person_name="Ida\r\nBcc: evil2@example.com"):
    applicant = make_user(email="ida@example.dk", name=person_name)
    make_user(email="koordinator@example.dk", name="Kim\nKoordinator", coordinator=True)
    apply_for_organisation(applicant, kind="association", now=utcnow(), name=org_name, **ORG_FIELDS)
    db.session.commit()


def _assert_clean(mail, *, to):
    """One recipient, no header that the stored text could have added, a one-line subject."""
    raw = mail.as_bytes()
    parsed = message_from_bytes(raw, policy=default_policy)
    assert parsed["To"] == to
    assert parsed.get_all("Bcc") is None and parsed.get_all("Cc") is None
    headers = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    assert not any(line.lower().startswith(b"bcc:") for line in headers.split(b"\n"))
    assert "\r" not in parsed["Subject"] and "\n" not in parsed["Subject"]
    return parsed


def test_the_applicants_and_coordinators_mails_are_delivered_despite_line_breaks_in_names(ctx, app):
    _apply_with_nasty_names()
    sender = app.extensions["mail_sender"]
    assert deliver_due(sender, now=utcnow()) == {"sent": 2, "failed": 0}
    by_recipient = {m["To"]: m for m in sender.sent}
    received = _assert_clean(by_recipient["ida@example.dk"], to="ida@example.dk")
    assert received["Subject"] == "Vi har modtaget din ansøgning om at oprette Foo Bcc: evil@example.com"
    review = _assert_clean(by_recipient["koordinator@example.dk"], to="koordinator@example.dk")
    assert review["Subject"] == "Ny organisation venter på godkendelse: Foo Bcc: evil@example.com"
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))) is None


def test_they_are_delivered_over_real_smtp_to_exactly_the_one_recipient(ctx, smtp):  # noqa: F811
    controller, inbox, port = smtp
    _apply_with_nasty_names()
    assert deliver_due(SMTPSender("127.0.0.1", port), now=utcnow()) == {"sent": 2, "failed": 0}
    assert sorted(e.rcpt_tos for e in inbox.messages) == [["ida@example.dk"], ["koordinator@example.dk"]]
    for envelope in inbox.messages:
        content = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        parsed = message_from_bytes(content, policy=default_policy)
        assert parsed.get_all("Bcc") is None
        assert "Foo Bcc: evil@example.com" in parsed["Subject"]


@pytest.mark.parametrize("subject", ["Gåtur\r\nmed kaffe", "Gåtur\nmed kaffe", "Gåtur\rmed kaffe",
                                     "Gåtur\x00med\x07kaffe", "Gåtur med kaffe\r\nBcc: evil@example.com"])
def test_a_message_already_in_the_outbox_with_a_broken_subject_still_goes_out(ctx, app, smtp, subject):  # noqa: F811
    """Rows written before the fix: the sender itself makes the header safe."""
    controller, inbox, port = smtp
    for sender in (app.extensions["mail_sender"], SMTPSender("127.0.0.1", port)):
        db.session.add(OutboxMessage(to_email="ida@example.dk", subject=subject.replace("\x00", "\x01")
                                     if db.engine.dialect.name == "postgresql" else subject,
                                     body_text="Hej Ida\r\nmed\x07 kaffe\n"))
        db.session.commit()
        assert deliver_due(sender, now=utcnow()) == {"sent": 1, "failed": 0}
    [sent] = app.extensions["mail_sender"].sent
    parsed = _assert_clean(sent, to="ida@example.dk")
    assert parsed["Subject"].split()[:3] == ["Gåtur", "med", "kaffe"]
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["ida@example.dk"]
    assert b"\nBcc:" not in envelope.original_content.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]


def test_a_recipient_with_a_line_break_reaches_nobody_else_and_waits_with_the_error(ctx, app):
    db.session.add(OutboxMessage(to_email="ida@example.dk\r\nBcc: evil@example.com", subject="Hej", body_text="x"))
    db.session.add(OutboxMessage(to_email="ida@example.dk, evil@example.com", subject="Hej", body_text="x"))
    db.session.commit()
    assert deliver_due(app.extensions["mail_sender"], now=utcnow()) == {"sent": 0, "failed": 2}
    assert app.extensions["mail_sender"].sent == []
    assert all("not a single e-mail address" in m.last_error for m in db.session.scalars(select(OutboxMessage)))


def test_a_trailing_line_break_after_the_address_is_only_trimmed(ctx):
    message = OutboxMessage(to_email="ida@example.dk\r\n", subject="Hej", body_text="x",
                            attachment_name="invitation\r\n.ics", attachment_type="text/calendar\r\nX: y",
                            attachment=b"BEGIN:VCALENDAR\r\n")
    mail = build_email(message, "frivillig@dragoer.dk")
    assert mail["To"] == "ida@example.dk"
    [part] = list(mail.iter_attachments())
    assert part.get_filename() == "invitation .ics" and part.get_content_type() == "application/octet-stream"
    assert b"\nX: y" not in mail.as_bytes()


def test_two_long_names_make_a_subject_that_still_fits_the_outbox(ctx):
    """An invitation names the inviter and the organisation (120 characters each): on
    PostgreSQL a subject longer than its column would fail the whole invitation."""
    admin = make_user(name="A" * 119 + "\n")
    org = make_organisation(admin=admin, name="Ø" * 119 + "\r")
    invite(org, admin, email="ny@example.dk", role="member", now=utcnow())
    task = make_task(org, title="T" * 140)
    queue_email("frivillig@example.dk", "task_invitation", user=admin, task=task, slot=None)
    db.session.commit()
    subjects = db.session.scalars(select(OutboxMessage.subject)).all()
    assert len(subjects) == 2
    assert all(len(s) <= 200 and s.endswith("…") and "\n" not in s and "\r" not in s for s in subjects)
