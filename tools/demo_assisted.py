"""Demo rows for citizens without e-mail: three assisted profiles with their consent records (Erna Holm,
87, from Strandstræde, consent by phone and signed up for Enggården's sing-along; Poul Jensen, consent on
paper, looked after by Enggården and on the Thursday bike ride; Bodil Nielsen, consent in person), and a
few lines on the coordinator's call list (an open reminder for Erna, a call made this morning to Poul).
All people are fictional. Idempotent: does nothing when Erna's profile is there."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (AssistedProfile, CallListItem, Category, ConsentMethod, Organisation, Slot, SlotStatus,
                           Task, TaskKind, TaskStatus, User)

SING_ALONG = "Fællessang i dagligstuen"

# name, born, phone, address, consent, days ago, note, cared for by Enggården
PEOPLE = [
    ("Erna Holm", date(1939, 5, 14), "32 53 11 42", "Strandstræde 12, 2791 Dragør", ConsentMethod.phone, 20,
     "Ring efter kl. 10. Hører dårligt på venstre øre – tal tydeligt.", False),
    ("Poul Jensen", date(1948, 2, 3), "32 53 27 80", "Kongevejen 41, 2791 Dragør", ConsentMethod.paper, 45,
     "Datteren Lene hjælper gerne, hvis han ikke tager telefonen.", True),
    ("Bodil Nielsen", date(1944, 10, 21), "40 18 62 09", "Fælledvej 7, 2791 Dragør", ConsentMethod.in_person, 8,
     None, False),
]


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _sing_along(org: Organisation, author: User | None, now: datetime) -> Task:
    task = db.session.scalar(select(Task).where(Task.organisation_id == org.id, Task.title == SING_ALONG))
    if task is not None:
        return task
    category = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
    task = Task(organisation_id=org.id, category_id=category, title=SING_ALONG, kind=TaskKind.one_off,
                status=TaskStatus.published, place_name="Enggården, dagligstuen", address=org.address,
                postcode=org.postcode, city=org.city,
                description=("Hver anden torsdag synger vi de gamle sange fra Højskolesangbogen med beboerne. "
                             "Syng med, spil klaver eller hjælp med kaffen. Man behøver ikke kunne synge rent."),
                contact_name=author.name if author else org.contact_name,
                contact_email=author.email if author and author.email else org.contact_email,
                contact_phone=(author.phone if author else None) or org.contact_phone, cancel_deadline_hours=24,
                created_by_id=author.id if author else None, created_at=now)
    db.session.add(task)
    db.session.flush()
    today = to_local(now).date()
    thursday = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    for weeks in (0, 2, 4):
        day = thursday + timedelta(weeks=weeks)
        db.session.add(Slot(task_id=task.id, starts_at=to_utc(day, time(14)), ends_at=to_utc(day, time(15, 30)),
                            capacity=12))
    db.session.flush()
    return task


def _next_slot(task: Task | None, now: datetime) -> Slot | None:
    if task is None:
        return None
    return db.session.scalar(select(Slot).where(Slot.task_id == task.id, Slot.status == SlotStatus.open,
                                                Slot.starts_at > now, Slot.taken < Slot.capacity)
                             .order_by(Slot.starts_at).limit(1))


def load(now: datetime) -> None:
    from portal.charter import services as charter
    from portal.errors import DomainError
    from portal.outbox import queue_email
    from portal.signups.services import sign_up

    if db.session.scalar(select(AssistedProfile.id).join(User, User.id == AssistedProfile.user_id)
                         .where(User.name == "Erna Holm").limit(1)) is not None:
        return
    engg = db.session.scalar(select(Organisation).where(Organisation.slug == "enggaarden"))
    if engg is None:
        return  # the base demo did not run
    coordinator = _user("koordinator@demo.dragoer.dk")
    mette = _user("enggaarden@demo.dragoer.dk")
    today = to_local(now).date()
    citizens = {}
    for name, born, phone, address, method, days_ago, note, by_engg in PEOPLE:
        user = User(email=None, password_hash=None, name=name, birth_date=born, postcode="2791", phone=phone,
                    locale="da", created_at=now - timedelta(days=days_ago))
        db.session.add(user)
        db.session.flush()
        recorder = mette if by_engg else coordinator
        db.session.add(AssistedProfile(user_id=user.id, postal_address=address, consent_method=method,
                                       consent_given_on=today - timedelta(days=days_ago),
                                       recorded_by_id=recorder.id if recorder else None,
                                       organisation_id=engg.id if by_engg else None, note=note,
                                       created_at=now - timedelta(days=days_ago)))
        citizens[name] = user
    db.session.flush()

    sing_along = _sing_along(engg, mette, now)
    cycling = db.session.scalar(select(Task).where(Task.organisation_id == engg.id, Task.title.like("Cykeltur%"))
                                .order_by(Task.id).limit(1))
    booked = {}
    for name, task in (("Erna Holm", sing_along), ("Poul Jensen", cycling), ("Bodil Nielsen", sing_along)):
        slot = _next_slot(task, now)
        if slot is None:
            continue
        recorder = mette if name == "Poul Jensen" else coordinator
        try:
            with db.session.begin_nested():
                # Enggården asks for the volunteer charter: staff read it out and record the yes.
                code = charter.needs_acceptance(citizens[name], slot.task.organisation)
                if code is not None:
                    charter.record_acceptance(citizens[name], code, recorded_by=recorder, now=now)
                booked[name] = sign_up(citizens[name], slot, now=now, send_mail=False)
        except DomainError:
            continue

    # The call list: the reminder Erna would have had by mail, and this morning's call to Poul.
    if "Erna Holm" in booked:
        slot = booked["Erna Holm"].slot
        queue_email(None, "reminder", locale="da", user=citizens["Erna Holm"], slot=slot, task=slot.task)
    if "Poul Jensen" in booked:
        slot = booked["Poul Jensen"].slot
        line = queue_email(None, "signup_confirmed", locale="da", user=citizens["Poul Jensen"], slot=slot,
                           task=slot.task)
        if isinstance(line, CallListItem):
            morning = to_utc(today, time(9, 40))
            line.created_at = min(morning - timedelta(hours=1), now)
            line.done_at = min(morning, now)
            line.done_by_id = mette.id if mette else None
            line.outcome_note = "Talt med datteren Lene. Poul glæder sig til turen."
    db.session.flush()

