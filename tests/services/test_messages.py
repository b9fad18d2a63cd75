"""Who an organiser's message reaches, and how each mail looks when it leaves: one person per mail,
the organisation as sender, the reply to its volunteer contact, each in their own language; a person
without e-mail on the call list; the log and the audit event."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.errors import DomainError
from portal.extensions import db
from portal.mail import build_email
from portal.messages import services
from portal.models import (AuditEvent, AuditSubject, CallListItem, Message, MessageRecipient, OutboxMessage, Slot,
                           Task, User, utcnow)
from tests.messages_world import build


@pytest.fixture
def world(ctx):
    return build()


def names(users):
    return sorted(user.name for user in users)


def send(world, *, slot=None, waitlist=False, subject="Husk varmt tøj", body="Vi mødes ved p-pladsen.", now=None):
    task = db.session.get(Task, world.task)
    sender = db.session.get(User, world.organiser)
    message = services.send_message(sender, task=task, slot=db.session.get(Slot, slot) if slot else None,
                                    subject=subject, body=body, include_waitlist=waitlist, now=now or utcnow())
    db.session.commit()
    return message


def test_a_time_reaches_those_with_a_place_and_the_waitlist_only_when_asked(world):
    task, slot = db.session.get(Task, world.task), db.session.get(Slot, world.slot_a)
    people = services.audience(task, slot=slot, now=utcnow())
    assert names(people.signed_up) == ["Anna Dansk", "Ben English", "Karen Uden Mail"]
    assert names(people.waiting) == ["Carl Venter"]                      # Dora cancelled: not there
    assert names(people.recipients(False)) == ["Anna Dansk", "Ben English", "Karen Uden Mail"]
    assert "Carl Venter" in names(people.recipients(True))
    assert people.without_email == 1


def test_a_task_reaches_each_person_on_any_upcoming_time_once(world):
    people = services.audience(db.session.get(Task, world.task), now=utcnow())
    # Ben is on two times and counted once; Frida's time is past, the cancelled time's people are gone;
    # Olga's offered seat counts as waiting.
    assert names(people.signed_up) == ["Anna Dansk", "Ben English", "Eva Senere", "Karen Uden Mail"]
    assert names(people.waiting) == ["Carl Venter", "Olga Tilbud"]


def test_each_mail_goes_to_one_person_from_the_organisation_in_their_language(world, app):
    message = send(world, slot=world.slot_a, waitlist=True)
    assert message.recipient_count == 4
    mails = {m.to_email: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mails) == {"anna@example.dk", "ben@example.com", "carl@example.dk"}   # Karen has no e-mail
    for stored in mails.values():
        mail = build_email(stored, "noreply@frivillig.dragoer.dk")
        assert mail["To"] == stored.to_email and "," not in mail["To"] and mail["Cc"] is None
        assert mail["From"].addresses[0].display_name == "Dragør Strandlaug"
        assert mail["Reply-To"] == "frivillig@strandlaug.dk"
        assert mail["Subject"] == "Husk varmt tøj"
        body = mail.get_body().get_content()
        assert "Vi mødes ved p-pladsen." in body                             # the organiser's own words
        assert "Strandrydning ved Kalkbrænderiet" in body
        for other in ("anna@", "ben@", "carl@"):                          # nobody sees the others
            assert other not in body
    # Each in their own language: the frame around the organiser's words is translated.
    assert mails["ben@example.com"].body_text.startswith("Hello Ben English,")
    assert "Dragør Strandlaug writes to everyone signed up for this time" in mails["ben@example.com"].body_text
    assert mails["anna@example.dk"].body_text.startswith("Hej Anna Dansk\n")
    assert "Hvor:" in mails["anna@example.dk"].body_text and "Where:" in mails["ben@example.com"].body_text
    assert "on the waitlist" in mails["carl@example.dk"].body_text or "venteliste" in mails["carl@example.dk"].body_text


def test_a_person_without_e_mail_becomes_a_line_on_the_call_list(world):
    send(world, slot=world.slot_a)
    item = db.session.scalar(select(CallListItem))
    assert item.user_id == world.ids["karen"] and item.subject == "Husk varmt tøj"
    assert "Vi mødes ved p-pladsen." in item.body and item.reason == "message_from_organiser"


def test_the_message_is_logged_with_its_recipients_and_an_audit_event(world):
    message = send(world)
    recipients = set(db.session.scalars(select(MessageRecipient.user_id).where(
        MessageRecipient.message_id == message.id)))
    assert recipients == {world.ids[n] for n in ("anna", "ben", "eva", "karen")}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "message_sent"))
    assert event.actor_id == world.organiser and event.organisation_id == world.org
    assert event.object_type == "Message" and event.object_id == message.id
    assert set(db.session.scalars(select(AuditSubject.user_id).where(AuditSubject.event_id == event.id))) == recipients
    lines = services.message_log(message.organisation)
    assert [line.message.subject for line in lines] == ["Husk varmt tøj"]
    assert lines[0].sender_name == "Mette Organisator" and lines[0].message.recipient_count == 4


def test_a_double_click_sends_once_but_new_words_send_again(world):
    first = send(world)
    assert send(world).id == first.id
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 3
    send(world, body="Og tag handsker med.")
    assert db.session.scalar(select(db.func.count(Message.id))) == 2


def test_a_cancelled_time_and_an_empty_time_are_refused_politely(world):
    from flask_babel import force_locale

    with force_locale("en"), pytest.raises(DomainError, match="cancelled"):
        send(world, slot=world.cancelled)
    db.session.rollback()
    empty = Slot(task_id=world.task, starts_at=utcnow() + timedelta(days=20),
                 ends_at=utcnow() + timedelta(days=20, hours=1), capacity=2)
    db.session.add(empty)
    db.session.commit()
    with force_locale("en"), pytest.raises(DomainError, match="Nobody would receive"):
        send(world, slot=empty.id)
    assert db.session.scalar(select(db.func.count(Message.id))) == 0


def test_a_time_of_another_task_is_refused(world):
    with pytest.raises(DomainError) as caught:
        send(world, slot=world.other_org_slot)
    assert caught.value.field == "slot"


def test_a_line_break_in_the_subject_cannot_add_a_mail_header(world):
    send(world, slot=world.slot_a, subject="Husk\r\nBcc: alle@example.dk\nvarmt tøj")
    stored = db.session.scalars(select(OutboxMessage)).first()
    mail = build_email(stored, "noreply@frivillig.dragoer.dk")
    assert mail["Bcc"] is None
    assert mail["Subject"] == "Husk Bcc: alle@example.dk varmt tøj"
    assert b"\nBcc:" not in mail.as_bytes()


def test_the_reply_goes_to_the_organiser_when_the_organisation_has_no_volunteer_contact(world):
    from portal.models import Organisation
    org = db.session.get(Organisation, world.org)
    org.volunteer_contact_email = None
    assert services.reply_address(org, db.session.get(User, world.organiser)) == "mette@strand.dk"
    org.volunteer_contact_email = "two@a.dk, three@b.dk"                  # not one address: skipped
    assert services.reply_address(org, db.session.get(User, world.organiser)) == "mette@strand.dk"


def test_counts_by_time_list_the_upcoming_open_times(world):
    rows = services.counts_by_time(db.session.get(Task, world.task), now=utcnow())
    assert [(r.slot.id, r.signed_up, r.waiting) for r in rows] == [(world.slot_a, 3, 1), (world.slot_b, 2, 1)]


def test_delivered_mails_carry_the_organisation_as_sender_with_the_portals_own_address(world, app, outbox):
    """MAIL_FROM has a display name of its own ("Dragør Frivillig <…>"); the organisation's name
    takes its place and the address stays, so the mail leaves instead of failing in the outbox."""
    send(world, slot=world.slot_a)
    db.session.remove()
    sent = outbox()
    assert sorted(mail["To"] for mail in sent) == ["anna@example.dk", "ben@example.com"]
    for mail in sent:
        assert str(mail["From"]) == "Dragør Strandlaug <frivillig@dragoer.dk>"
        assert mail["Reply-To"] == "frivillig@strandlaug.dk"
    assert db.session.scalar(select(db.func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) == 0
