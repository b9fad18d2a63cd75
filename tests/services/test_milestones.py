"""Milestone thank-you mails: first task, 10, 50, 100 hours from the ledger; once each; one mail for
the highest when several are passed at once; none when switched off; two ticks at once send once."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from portal.database import write_transaction
from portal.extensions import db
from portal.models import (Attendance, HoursEntry, HoursStatus, MilestoneMail, OutboxMessage, Signup, SignupState,
                           User, utcnow)
from portal.recognition.milestones import reached, send_milestone_mails
from tests.factories import make_organisation, make_slot, make_task, make_user


def attend(user, *, hours, days_ago=3):
    org = make_organisation()
    slot = make_slot(make_task(org), starts_at=utcnow() - timedelta(days=days_ago), hours=hours)
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed,
                          attendance=Attendance.attended))
    db.session.flush()
    return org


def mails_to(user):
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == user.email)
                                   .order_by(OutboxMessage.id)))


def test_the_milestones_a_total_reaches():
    assert reached(0, has_worked=False) == []
    assert reached(0.5, has_worked=True) == ["first_task"]
    assert reached(10, has_worked=True) == ["first_task", "hours_10"]
    assert reached(120, has_worked=True) == ["first_task", "hours_10", "hours_50", "hours_100"]


def test_first_task_then_ten_hours_each_once(ctx):
    now = utcnow()
    karen = make_user(name="Karen", locale="en")
    attend(karen, hours=2)
    assert send_milestone_mails(now=now) == 1
    assert send_milestone_mails(now=now) == 0
    [first] = mails_to(karen)
    assert first.subject == "Thank you for your first task as a volunteer"
    assert "/me/hours" in first.body_text and "/milestone-mails/off/" in first.body_text

    attend(karen, hours=8.5)
    assert send_milestone_mails(now=now) == 1
    second = mails_to(karen)[-1]
    assert second.subject == "Thank you for 10 hours as a volunteer" and "10.5 hours" in second.body_text
    assert send_milestone_mails(now=now) == 0


def test_someone_with_120_hours_gets_one_mail_for_100_not_four(ctx):
    veteran = make_user(locale="da")
    attend(veteran, hours=60, days_ago=400)
    task = make_task(make_organisation())
    for day in range(5):
        db.session.add(HoursEntry(task_id=task.id, user_id=veteran.id, worked_on=utcnow().date() - timedelta(days=30 + day),
                                  minutes=12 * 60, status=HoursStatus.approved))
    db.session.flush()
    assert send_milestone_mails(now=utcnow()) == 1
    [mail] = mails_to(veteran)
    assert "100" in mail.subject and "120" in mail.body_text
    assert db.session.scalar(select(func.count()).select_from(MilestoneMail)
                             .where(MilestoneMail.user_id == veteran.id)) == 4
    assert send_milestone_mails(now=utcnow()) == 0


def test_pending_hours_and_no_shows_do_not_count(ctx):
    person = make_user()
    task = make_task(make_organisation())
    db.session.add(HoursEntry(task_id=task.id, user_id=person.id, worked_on=utcnow().date(), minutes=900,
                              status=HoursStatus.pending))
    slot = make_slot(task, starts_at=utcnow() - timedelta(days=2), hours=3)
    db.session.add(Signup(user_id=person.id, slot_id=slot.id, state=SignupState.confirmed,
                          attendance=Attendance.no_show))
    db.session.flush()
    assert send_milestone_mails(now=utcnow()) == 0
    assert mails_to(person) == []


def test_switched_off_means_no_mail(ctx):
    quiet = make_user()
    quiet.milestone_mails = False
    attend(quiet, hours=12)
    assert send_milestone_mails(now=utcnow()) == 0
    assert mails_to(quiet) == []


def test_two_ticks_at_the_same_moment_send_each_mail_once(app):
    with app.app_context():
        people = [make_user() for _ in range(3)]
        for person in people:
            attend(person, hours=11)
        db.session.commit()
        emails = [p.email for p in people]
        db.session.remove()
    barrier = threading.Barrier(2, timeout=30)
    results, lock = [], threading.Lock()

    def tick():
        with app.test_request_context(), write_transaction():
            try:
                barrier.wait()
                result = send_milestone_mails(now=utcnow())
                db.session.commit()
            except Exception as exc:  # any error is the failure this test looks for
                db.session.rollback()
                result = f"{type(exc).__name__}: {exc}".splitlines()[0]
            db.session.remove()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results, key=str) == [0, 3]
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))
                                 .where(OutboxMessage.to_email.in_(emails))) == 3
        assert db.session.scalar(select(func.count(MilestoneMail.id))) == 6
        db.session.remove()


def test_the_tick_runs_the_step(app):
    from portal import jobs
    assert "milestone_mails" in {step.name for step in jobs.steps()}
    with app.app_context():
        person = make_user()
        attend(person, hours=1)
        db.session.commit()
        assert jobs.run_all(now=utcnow())["milestone_mails"] == 1
        assert db.session.scalar(select(User.milestone_mails).where(User.id == person.id)) is True
        db.session.remove()


def test_only_people_whose_ledger_moved_lately_are_looked_at(ctx):
    """A volunteer who last helped long ago is not read every tick; the next time they help, they get
    one mail for the highest milestone they have reached."""
    old_hand = make_user()
    attend(old_hand, hours=11, days_ago=400)
    signup = db.session.scalar(select(Signup).where(Signup.user_id == old_hand.id))
    signup.updated_at = utcnow() - timedelta(days=399)
    db.session.flush()
    assert send_milestone_mails(now=utcnow()) == 0
    attend(old_hand, hours=1)
    assert send_milestone_mails(now=utcnow()) == 1
    assert "10" in mails_to(old_hand)[0].subject


def test_the_tick_reads_only_the_candidates_earlier_mails(app, ctx):
    """Everyone thanked before stays in milestone_mails for ever; a tick reads the rows of the people
    whose ledger moved, not the whole table."""
    from sqlalchemy import event

    for _ in range(3):
        attend(make_user(), hours=2, days_ago=200)
    veterans = db.session.scalars(select(User.id)).all()
    db.session.add_all([MilestoneMail(user_id=uid, milestone="first_task", sent_at=utcnow()) for uid in veterans])
    newcomer = make_user()
    attend(newcomer, hours=1)
    db.session.flush()
    reads = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "milestone_mails" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert send_milestone_mails(now=utcnow()) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert reads and all("WHERE" in statement.upper() for statement in reads), reads


def test_many_people_due_at_once_are_claimed_in_slices_and_each_thanked_once(app, ctx, monkeypatch):
    """The day the mails are switched on, thousands are due at once: the claim goes in slices, so no
    statement has more parameters than PostgreSQL takes (65,535), and everyone still gets one mail."""
    from sqlalchemy import event

    from portal.recognition import milestones
    monkeypatch.setattr(milestones, "SLICE", 2, raising=False)
    people = [make_user() for _ in range(5)]
    for person in people:
        attend(person, hours=11)
    inserts = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO MILESTONE_MAILS"):
            inserts.append(len(parameters) if isinstance(parameters, (list, tuple, dict)) else 0)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert send_milestone_mails(now=utcnow()) == 5
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(inserts) == 3                                  # 2 + 2 + 1 people
    assert send_milestone_mails(now=utcnow()) == 0
    assert all(len(mails_to(person)) == 1 for person in people)
