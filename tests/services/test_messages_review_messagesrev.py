"""Review of the organisers' messages (issue 13): the headers of the mail as it leaves, read back
from its bytes the way a mail server reads them, with hostile organisation names and subjects."""

from email import message_from_bytes, policy
from email.utils import getaddresses

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mail import build_email
from portal.messages import services
from portal.models import Organisation, OutboxMessage, Slot, Task, User, utcnow
from tests.messages_world import build


@pytest.fixture
def world(ctx):
    return build()


@pytest.mark.parametrize("org_name", [
    'Dragør "Strand", <laug@evil.example>',
    "Røde Kors\r\nBcc: alle@evil.example",
    "=?utf-8?q?evil?= <e@evil.example>",
    "Foreningen til Bevarelse af Dragør Gamle Havn og Søvejens Æbletræer, afdeling Nord-Øst (Kastrup) " * 2,
    "نادي المتطوعين \u202eevil",
])
@pytest.mark.parametrize("subject", ["Husk \"varmt\" tøj, <b>i morgen</b>\r\nCc: x@evil.example",
                                     "Æ" * 140])
def test_each_mail_leaves_with_one_sender_address_one_recipient_and_no_extra_header(world, org_name, subject):
    org = db.session.get(Organisation, world.org)
    org.name = org_name[:120]
    services.send_message(db.session.get(User, world.organiser), task=db.session.get(Task, world.task),
                          slot=db.session.get(Slot, world.slot_a), subject=subject, body="Vi ses.",
                          include_waitlist=True, now=utcnow())
    db.session.commit()
    stored = list(db.session.scalars(select(OutboxMessage)))
    assert len(stored) == 3
    for row in stored:
        raw = build_email(row, "Dragør Frivillig <frivillig@dragoer.dk>").as_bytes(policy=policy.SMTP)
        read = message_from_bytes(raw, policy=policy.default)
        assert [address for _, address in getaddresses(read.get_all("From"))] == ["frivillig@dragoer.dk"]
        assert [address for _, address in getaddresses(read.get_all("To"))] == [row.to_email]
        assert read.get_all("Cc") is None and read.get_all("Bcc") is None
        assert [address for _, address in getaddresses(read.get_all("Reply-To"))] == ["frivillig@strandlaug.dk"]
        assert "\n" not in str(read["Subject"]) and str(read["Subject"]).startswith(("Husk", "Æ"))
