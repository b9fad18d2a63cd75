"""Demo rows for the organisers' messages: three messages in the logs of Enggården and Wiedergården
("Husk varmt tøj" before Thursday's cycling trip, a new meeting place for all the trips, who stands
at which stall at the Christmas market), each with its recipients. No mails are queued: the demo
shows the log, not a flood of old mail. Idempotent; runs after the other demo modules."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (Message, MessageRecipient, Organisation, Signup, SignupState, Slot, SlotStatus, Task,
                           User)

# Neighbours from tools/demo.py who have signed up for the times the messages are about.
HELPERS = {
    "Cykeltur med beboerne": ("frivillig@demo.dragoer.dk", "ole@demo.dragoer.dk"),
    "Julemarked": ("ole@demo.dragoer.dk", "fatima@demo.dragoer.dk"),
}

MESSAGES = [
    # organisation slug, task title starts with, sender e-mail, to the next time only?, waitlist?, days ago,
    # subject, body
    ("enggaarden", "Cykeltur med beboerne", "enggaarden@demo.dragoer.dk", True, False, 2,
     "Husk varmt tøj på torsdag",
     "Kære frivillige\n\nDet er blevet koldt ved vandet. Tag varmt tøj, hue og handsker på – vi har tæpper "
     "til beboerne i cyklerne.\n\nVi mødes ved hovedindgangen kl. 12.45, så vi kan nå at hjælpe beboerne "
     "ud i god ro.\n\nVenlig hilsen\nMette Lund, Enggården"),
    ("enggaarden", "Cykeltur med beboerne", "enggaarden@demo.dragoer.dk", False, False, 12,
     "Nyt mødested: cykelskuret bag køkkenet",
     "Hej alle\n\nFra nu af står rickshaw-cyklerne i det nye cykelskur bag køkkenet. Gå ind ad "
     "hovedindgangen og spørg i receptionen, hvis I er i tvivl.\n\nTak for jeres hjælp hver torsdag – "
     "beboerne taler om turene hele ugen.\n\nMette"),
    ("wiedergaarden", "Julemarked", "wiedergaarden@demo.dragoer.dk", False, True, 5,
     "Fordeling af boder til julemarkedet",
     "Kære hjælpere\n\nVi mødes kl. 8.30 i salen og fordeler boderne: kaffe og æbleskiver, lotteri, "
     "keramik og pakkebord. Skriv gerne tilbage, hvis du har et ønske.\n\nEr du på ventelisten, så kom "
     "endelig alligevel til kaffen bagefter – der er altid brug for en hånd til oprydningen.\n\n"
     "Venlig hilsen\nPoul Nielsen, Wiedergården"),
]


def _task(org: Organisation, title: str) -> Task | None:
    return db.session.scalar(select(Task).where(Task.organisation_id == org.id, Task.title.like(f"{title}%"))
                             .order_by(Task.id).limit(1))


def _sign_up_helpers(task: Task, title: str, now: datetime) -> None:
    """Karen and Ole on the next cycling trip, Ole and Fatima at the Christmas market, through the
    sign-up service (so seats and rules hold); someone who may not sign up is simply left out."""
    from portal.errors import DomainError
    from portal.signups.services import sign_up

    slot = db.session.scalar(select(Slot).where(Slot.task_id == task.id, Slot.status == SlotStatus.open,
                                                Slot.starts_at > now).order_by(Slot.starts_at).limit(1))
    if slot is None:
        return
    for email in HELPERS.get(title, ()):
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None or db.session.scalar(select(Signup.id).where(
                Signup.user_id == user.id, Signup.slot_id == slot.id, Signup.state != SignupState.cancelled)):
            continue
        try:
            with db.session.begin_nested():
                sign_up(user, slot, now=now, send_mail=False)
        except DomainError:
            continue


def load(now: datetime) -> None:
    fallback = db.session.scalar(select(User).where(User.email == "frivillig@demo.dragoer.dk"))
    for slug, title, sender_email, one_time, waitlist, days_ago, subject, body in MESSAGES:
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        task = _task(org, title) if org is not None else None
        if task is None:
            continue
        if db.session.scalar(select(Message.id).where(Message.organisation_id == org.id,
                                                      Message.subject == subject)) is not None:
            continue
        _sign_up_helpers(task, title, now)
        sent_at = now - timedelta(days=days_ago)
        slot = None
        if one_time:
            slot = db.session.scalar(select(Slot).where(Slot.task_id == task.id, Slot.status == SlotStatus.open,
                                                        Slot.starts_at > now).order_by(Slot.starts_at).limit(1))
        states = (SignupState.confirmed, SignupState.waitlisted, SignupState.offered) if waitlist \
            else (SignupState.confirmed,)
        where = [Signup.slot_id == slot.id] if slot else [Slot.task_id == task.id]
        people = set(db.session.scalars(select(Signup.user_id).join(Slot, Slot.id == Signup.slot_id)
                                        .where(Signup.state.in_(states), *where)))
        if not people and fallback is not None:
            people = {fallback.id}
        sender = db.session.scalar(select(User).where(User.email == sender_email))
        message = Message(organisation_id=org.id, task_id=task.id, slot_id=slot.id if slot else None,
                          sender_id=sender.id if sender else None, subject=subject, body=body,
                          include_waitlist=waitlist, recipient_count=len(people), created_at=sent_at)
        db.session.add(message)
        db.session.flush()
        db.session.add_all(MessageRecipient(message_id=message.id, user_id=user_id) for user_id in sorted(people))
    db.session.flush()
