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


def _sent_by_someone_else_meanwhile(newsletter_id):
    """Another coordinator's send commits after this request loaded the draft (PostgreSQL, READ
    COMMITTED): the row says 'sent', the object this request holds still says 'draft'."""
    from sqlalchemy import update

    from portal.extensions import db
    from portal.models import Newsletter, NewsletterStatus, utcnow
    db.session.execute(update(Newsletter).where(Newsletter.id == newsletter_id)
                       .values(status=NewsletterStatus.sent, sent_at=utcnow(), recipient_count=3)
                       .execution_options(synchronize_session=False))


def _draft():
    from portal.models import utcnow
    from portal.newsletter import services
    from tests.factories import make_user
    coordinator = make_user(coordinator=True)
    newsletter = services.save(None, coordinator, subject_da="Julehjælp", subject_en="Christmas help",
                               intro_da="Kære frivillige.", intro_en="Dear volunteers.", category_id=None,
                               postcode=None, now=utcnow())
    return coordinator, newsletter


def test_deleting_a_draft_another_coordinator_just_sent_keeps_the_sent_newsletter(ctx):
    import pytest
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Newsletter
    from portal.newsletter import errors, services
    _coordinator, newsletter = _draft()
    _sent_by_someone_else_meanwhile(newsletter.id)
    with pytest.raises(errors.NewsletterError):
        services.delete_draft(newsletter)
    db.session.expire_all()
    assert db.session.scalar(select(Newsletter.recipient_count).where(Newsletter.id == newsletter.id)) == 3


def test_saving_a_draft_another_coordinator_just_sent_does_not_change_what_was_sent(ctx):
    import pytest
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Newsletter, utcnow
    from portal.newsletter import errors, services
    coordinator, newsletter = _draft()
    _sent_by_someone_else_meanwhile(newsletter.id)
    with pytest.raises(errors.NewsletterError):
        services.save(newsletter, coordinator, subject_da="Noget andet", subject_en="Something else",
                      intro_da="x", intro_en="x", category_id=None, postcode=None, now=utcnow())
    db.session.expire_all()
    assert db.session.scalar(select(Newsletter.subject_da).where(Newsletter.id == newsletter.id)) == "Julehjælp"
