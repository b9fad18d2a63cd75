"""`flask tick` is safe to run twice at once: nothing is sent twice, no seat is freed twice."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from portal.cli import run_time_based_work
from portal.database import write_transaction
from portal.extensions import db
from portal.models import OutboxMessage, Signup, SignupState, Slot, utcnow
from tests.factories import make_organisation, make_slot, make_task, make_user


def test_two_ticks_at_once_remind_once_and_pass_an_offer_on_once(app):
    from portal.signups.services import cancel, join_waitlist, sign_up
    now = utcnow()
    with app.app_context(), write_transaction():
        org = make_organisation(admin=make_user())
        soon = make_slot(make_task(org), starts_at=now + timedelta(hours=20), capacity=3)
        for n in range(3):
            sign_up(make_user(email=f"r{n}@example.dk"), soon, now=now)
        far = make_slot(make_task(org), starts_at=now + timedelta(days=5), capacity=1)
        leaving = sign_up(make_user(), far, now=now)
        first = join_waitlist(make_user(email="first@example.dk"), far, now=now)
        join_waitlist(make_user(email="second@example.dk"), far, now=now + timedelta(seconds=1))
        cancel(leaving, now=now)
        first.offer_expires_at = now - timedelta(minutes=1)
        db.session.commit()
        far_id = far.id
    barrier, errors = threading.Barrier(2), []

    def tick():
        with app.app_context():
            barrier.wait()
            try:
                run_time_based_work(now=now)
            except Exception as exc:
                errors.append(exc)
            db.session.remove()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with app.app_context():
        reminders = db.session.scalars(select(OutboxMessage.to_email).where(
            OutboxMessage.subject.like("%Påmindelse%") | OutboxMessage.subject.like("%Reminder%"))).all()
        assert sorted(reminders) == ["r0@example.dk", "r1@example.dk", "r2@example.dk"]
        states = dict(db.session.execute(select(Signup.user_id, Signup.state).where(Signup.slot_id == far_id)).all())
        assert sorted(s.value for s in states.values()) == ["cancelled", "cancelled", "offered"]
        held = db.session.scalar(select(func.count(Signup.id)).where(
            Signup.slot_id == far_id, Signup.state.in_([SignupState.confirmed, SignupState.offered])))
        assert db.session.get(Slot, far_id).taken == held == 1
