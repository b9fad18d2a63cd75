"""Demo rows for the dashboards (issue 13): a year and a bit of history behind the demo tasks, so every
chart has something real to show in `make run`. Sixteen neighbours who joined over the last fourteen
months (of every age, one without a birth date), the Thursday cycling trips and the homework café
every other week back in time with people who came (and a few who did not), last December's Christmas
market, offers of a freed place that went unanswered, invitations sent and accepted, and two
børneattest checks at Dragør Skole that are older than two years. All fictional. Idempotent: nothing
is added when the first neighbour is there already."""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (Attendance, Clearance, ClearanceStatus, Organisation, Signup, SignupState, Slot,
                           SlotStatus, Task, TaskInvitation, User)

MARKER = "historie-lis@demo.dragoer.dk"

# name, e-mail (before @demo.dragoer.dk), birth date, months ago they joined
NEIGHBOURS = [
    ("Lis Andersen", "historie-lis", date(1948, 3, 14), 14),
    ("Bent Kristensen", "bent", date(1952, 7, 2), 13),
    ("Sofie Lauridsen", "sofie", date(2009, 9, 21), 12),
    ("Mads Winther", "mads", date(1997, 1, 30), 11),
    ("Hanne Dahl", "hanne", date(1963, 5, 5), 10),
    ("Ahmad Karimi", "ahmad", date(1988, 12, 12), 9),
    ("Grethe Vestergaard", "grethe", date(1944, 10, 9), 8),
    ("Jakob Friis", "jakob", date(2001, 4, 17), 7),
    ("Camilla Holt", "camilla", date(1979, 2, 26), 6),
    ("Niels Brandt", "niels", date(1958, 8, 8), 5),
    ("Maja Toft", "maja", date(2008, 11, 3), 4),
    ("Per Skov", "per", None, 3),
    ("Ida Mortensen", "ida", date(1993, 6, 19), 2),
    ("Kurt Jessen", "kurt", date(1950, 12, 24), 1),
    ("Yasmin Ali", "yasmin", date(1999, 3, 8), 1),
    ("Erik Dam", "erik", date(1961, 9, 15), 0),
]


def _task(slug: str, title: str) -> Task | None:
    return db.session.scalar(select(Task).join(Organisation, Task.organisation_id == Organisation.id)
                             .where(Organisation.slug == slug, Task.title.like(f"{title}%")).order_by(Task.id).limit(1))


def _past_slot(task: Task, day: date, start: time, end: time, capacity: int, *, recurring: bool) -> Slot:
    slot = Slot(task_id=task.id, starts_at=to_utc(day, start), ends_at=to_utc(day, end), capacity=capacity,
                taken=0, status=SlotStatus.open, occurrence_date=day if recurring else None,
                created_at=to_utc(day - timedelta(days=30), time(9)), updated_at=to_utc(day, end))
    db.session.add(slot)
    db.session.flush()
    return slot


def load(now: datetime) -> int:
    """Adds the history; returns the number of past times made (0 when it was there already)."""
    if db.session.scalar(select(User.id).where(User.email == MARKER)) is not None:
        return 0
    cycling = _task("enggaarden", "Cykeltur med beboerne")
    reading = _task("dragoer-skole", "Lektiecafé")
    market = _task("wiedergaarden", "Julemarked")
    if cycling is None or reading is None:
        return 0
    rng = random.Random(2791)
    today = to_local(now).date()
    people = []
    for name, local, birth, months in NEIGHBOURS:
        joined = now - timedelta(days=months * 30 + rng.randint(0, 20))
        user = User(email=f"{local}@demo.dragoer.dk", name=name, birth_date=birth, postcode="2791", locale="da",
                    password_hash=None, email_confirmed_at=joined, created_at=joined, updated_at=joined)
        db.session.add(user)
        people.append((user, joined))
    known = list(db.session.scalars(select(User).where(User.email.in_(
        ["frivillig@demo.dragoer.dk", "ole@demo.dragoer.dk", "fatima@demo.dragoer.dk"]))))
    db.session.flush()

    made = 0
    plans = [(cycling, 3, time(13), time(14), 6, True), (reading, 1, time(14), time(15, 30), 4, True)]
    for task, weekday, start, end, capacity, recurring in plans:
        day = today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        while day > today - timedelta(days=420):
            slot = _past_slot(task, day, start, end, capacity, recurring=recurring)
            made += 1
            moment = slot.starts_at
            # People who had joined by then; the newest come less often.
            around = [u for u, joined in people if joined < moment - timedelta(days=3)] + known
            for user in rng.sample(around, min(len(around), rng.randint(1, capacity))):
                attended = rng.random() < 0.88
                db.session.add(Signup(slot_id=slot.id, user_id=user.id, state=SignupState.confirmed,
                                      attendance=Attendance.attended if attended else Attendance.no_show,
                                      created_at=moment - timedelta(days=rng.randint(2, 12)), updated_at=moment))
                slot.taken += 1
            spare = [u for u in around if slot.taken < capacity and rng.random() < 0.05]
            for user in spare[:1]:
                # A freed place offered from the waiting list, and nobody answered in time.
                offered = moment - timedelta(days=2)
                db.session.add(Signup(slot_id=slot.id, user_id=user.id, state=SignupState.cancelled,
                                      created_at=offered - timedelta(days=5), offered_at=offered,
                                      offer_expires_at=offered + timedelta(hours=24),
                                      cancelled_at=offered + timedelta(hours=24), cancel_reason="offer_expired",
                                      updated_at=offered + timedelta(hours=24)))
            db.session.flush()
            day -= timedelta(days=14)

    if market is not None:
        december = date(today.year - 1, 12, 12)
        for start, end, capacity in ((time(9), time(12), 4), (time(12), time(16), 6)):
            slot = _past_slot(market, december, start, end, capacity, recurring=False)
            made += 1
            for user, _ in rng.sample(people[:8], capacity - 1):
                db.session.add(Signup(slot_id=slot.id, user_id=user.id, state=SignupState.confirmed,
                                      attendance=Attendance.attended, created_at=slot.starts_at - timedelta(days=9),
                                      updated_at=slot.starts_at))
                slot.taken += 1
        db.session.flush()

    # Invitations the organisations sent from "find volunteers"; about half said yes.
    for i, (user, joined) in enumerate(people[:10]):
        sent = max(joined, now - timedelta(days=300)) + timedelta(days=rng.randint(3, 40))
        if sent >= now:
            continue
        db.session.add(TaskInvitation(task_id=(cycling if i % 2 else reading).id, user_id=user.id,
                                      token_hash=f"demo-dashboard-invitation-{i:02d}".ljust(64, "0"),
                                      sent_at=sent, accepted_at=sent + timedelta(days=1) if i % 2 == 0 else None))

    # Two checks at the school from before the last two years: time to see a new børneattest.
    for user, _ in people[:2]:
        db.session.add(Clearance(user_id=user.id, organisation_id=reading.organisation_id,
                                 status=ClearanceStatus.approved, checked_on=today - timedelta(days=365 * 2 + 60)))
    db.session.flush()
    return made
