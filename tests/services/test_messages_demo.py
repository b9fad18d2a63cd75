"""The demo's messages: after the base demo, the logs of Enggården and Wiedergården show real
messages with recipients who are signed up; loading twice adds nothing."""

from sqlalchemy import func, select

from portal.database import write_transaction
from portal.extensions import db
from portal.messages.services import message_log
from portal.models import Message, MessageRecipient, Organisation, Signup, SignupState, utcnow


def test_the_demo_fills_two_message_logs_once(ctx):
    from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
    from tools.demo_messages import load

    with write_transaction():
        load_demo_data(now=utcnow())
        load_demo_tasks(now=utcnow())
        load_demo_profiles()
        load(utcnow())
        db.session.commit()
        load(now=utcnow())
        db.session.commit()
    assert db.session.scalar(select(func.count(Message.id))) == 3
    enggaarden = db.session.scalar(select(Organisation).where(Organisation.slug == "enggaarden"))
    subjects = [line.message.subject for line in message_log(enggaarden)]
    assert subjects == ["Husk varmt tøj på torsdag", "Nyt mødested: cykelskuret bag køkkenet"]
    first = message_log(enggaarden)[0]
    assert first.sender_name == "Mette Lund" and first.message.slot_id is not None
    recipients = set(db.session.scalars(select(MessageRecipient.user_id)
                                        .where(MessageRecipient.message_id == first.message.id)))
    signed_up = set(db.session.scalars(select(Signup.user_id).where(Signup.slot_id == first.message.slot_id,
                                                                     Signup.state == SignupState.confirmed)))
    assert len(recipients) == first.message.recipient_count >= 2 and recipients <= signed_up
