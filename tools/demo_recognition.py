"""Demo rows for recognition: Karen Holm (frivillig@demo.dragoer.dk) has helped at three
organisations over two years, so /me/hours has something to show, and she has one certificate of
volunteering whose verification page the QR code opens. Idempotent: nothing happens when Karen
already has a certificate of volunteering."""

from datetime import time, timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (Attendance, Certificate, CertificateKind, MilestoneMail, Signup, SignupState, Slot,
                           SlotStatus, Task, User)

KAREN = "frivillig@demo.dragoer.dk"

# (task title, days ago, start, hours): what Karen did, last year and this.
PAST = [
    ("Julemarked i Wiedergården", 370, time(9), 3.0),
    ("Julemarked i Wiedergården", 369, time(12), 4.0),
    ("Lektiecafé og læsehjælp", 300, time(14), 1.5),
    ("Lektiecafé og læsehjælp", 293, time(14), 1.5),
    ("Cykeltur med beboerne – sammen med 8. klasse", 120, time(13), 1.0),
    ("Cykeltur med beboerne – sammen med 8. klasse", 113, time(13), 1.0),
    ("Cykeltur med beboerne – sammen med 8. klasse", 106, time(13), 1.0),
    ("Cykeltur med beboerne – sammen med 8. klasse", 99, time(13), 1.0),
    ("Lektiecafé og læsehjælp", 40, time(14), 1.5),
    ("Cykeltur med beboerne – sammen med 8. klasse", 15, time(13), 1.0),
]


def load_demo_recognition(*, now) -> None:
    from portal.recognition.certificates import issue_hours_certificate

    karen = db.session.scalar(select(User).where(User.email == KAREN))
    if karen is None:
        return
    if db.session.scalar(select(Certificate.id).where(Certificate.user_id == karen.id,
                                                     Certificate.kind == CertificateKind.hours).limit(1)):
        return
    tasks = {t.title: t for t in db.session.scalars(select(Task).where(Task.title.in_({p[0] for p in PAST})))}
    today = to_local(now).date()
    for title, days_ago, start, hours in PAST:
        task = tasks.get(title)
        if task is None:
            continue
        starts_at = to_utc(today - timedelta(days=days_ago), start)
        slot = Slot(task_id=task.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), capacity=6,
                    taken=1, status=SlotStatus.open)
        db.session.add(slot)
        db.session.flush()
        db.session.add(Signup(user_id=karen.id, slot_id=slot.id, state=SignupState.confirmed,
                              attendance=Attendance.attended, created_at=starts_at - timedelta(days=5)))
    db.session.flush()
    # She was thanked at her first task and at 10 hours when they happened (no mail now for the past).
    for milestone in ("first_task", "hours_10"):
        if db.session.scalar(select(MilestoneMail.id).where(MilestoneMail.user_id == karen.id,
                                                           MilestoneMail.milestone == milestone)) is None:
            db.session.add(MilestoneMail(user_id=karen.id, milestone=milestone, sent_at=now - timedelta(days=100)))
    issue_hours_certificate(karen, year=None, now=now - timedelta(days=10))
    db.session.flush()
