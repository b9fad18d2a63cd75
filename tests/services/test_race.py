"""No overbooking, ever (design.md section 5): many threads sign up for the same slot at once.

Each attempt runs in its own thread with its own app context and session, starts together
with the others at a Barrier, and ends with a commit or a rollback, as a request would. The
same tests run on SQLite and on PostgreSQL (whichever database the suite runs on).

The negative controls patch a naive check-then-insert into the same harness and show that it
does overbook; if they ever stop overbooking, the harness has stopped racing and the positive
tests prove nothing."""

import os
import threading
import time
from collections import Counter
from contextlib import nullcontext
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from portal.database import write_transaction
from portal.extensions import db
from portal.models import Signup, SignupState, Slot, User
from portal.signups import services
from tests.factories import make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
FIRST_DAY = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
THREADS = 50
PLACES = 5
ROUNDS = 20
NAIVE_WINDOW = 0.005  # seconds between the naive read and its write, to widen the race window

ON_POSTGRES = os.environ.get("TEST_DB") == "postgresql"


@pytest.fixture
def arena(app):
    """An organisation, a task, ROUNDS slots of PLACES places (a day apart, so one person's
    seats never overlap) and THREADS volunteers, committed so that every thread sees them."""
    with app.app_context():
        org = make_organisation(admin=make_user())
        task = make_task(org, title="Julemarked på Kongevejen")
        slot_ids = [make_slot(task, starts_at=FIRST_DAY + timedelta(days=n), capacity=PLACES).id
                    for n in range(ROUNDS)]
        user_ids = [make_user().id for _ in range(THREADS)]
        db.session.commit()
        db.session.remove()
    return slot_ids, user_ids


def race(app, slot_id, user_ids, *, immediate=True):
    """Every user tries services.sign_up for the slot at the same moment, one thread each.
    Returns the outcomes ("confirmed", "full") and the unexpected errors."""
    barrier = threading.Barrier(len(user_ids), timeout=60)
    outcomes, errors = Counter(), []
    lock = threading.Lock()

    def attempt(user_id):
        # A request context of its own (which includes an app context): the domain errors
        # translate their message when raised, and the locale is looked up in the session.
        with app.test_request_context():
            try:
                # Without write_transaction() SQLite starts the transaction with a plain (deferred) BEGIN.
                with write_transaction() if immediate else nullcontext():
                    barrier.wait()
                    user, slot = db.session.get(User, user_id), db.session.get(Slot, slot_id)
                    try:
                        services.sign_up(user, slot, now=NOW)
                    except services.SlotFull:
                        db.session.rollback()
                        outcome = "full"
                    else:
                        db.session.commit()
                        outcome = "confirmed"
                with lock:
                    outcomes[outcome] += 1
            except Exception as exc:  # anything but SlotFull (e.g. "database is locked") fails the test
                db.session.rollback()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a sign-up thread hung"
    return outcomes, errors


def seats(app, slot_id):
    """(confirmed signup rows, the slot's counter) as the database has them after the race."""
    with app.app_context():
        confirmed = db.session.scalar(select(func.count(Signup.id)).where(
            Signup.slot_id == slot_id, Signup.state == SignupState.confirmed))
        taken = db.session.scalar(select(Slot.taken).where(Slot.id == slot_id))
        db.session.remove()
    return confirmed, taken


# --- the real thing -------------------------------------------------------------------------------

def test_fifty_concurrent_signups_for_five_places_confirm_exactly_five_and_the_counter_matches(app, arena):
    """Pins "no overbooking": 50 threads at once, 5 places, 20 rounds. Exactly 5 confirmed rows,
    slot.taken equals them, the other 45 get SlotFull, and nothing else goes wrong (on SQLite a
    "database is locked" would show up here as an error)."""
    slot_ids, user_ids = arena
    for round_no, slot_id in enumerate(slot_ids, 1):
        outcomes, errors = race(app, slot_id, user_ids)
        assert errors == [], f"round {round_no}: {Counter(errors)}"
        assert outcomes == {"confirmed": PLACES, "full": THREADS - PLACES}, f"round {round_no}"
        assert seats(app, slot_id) == (PLACES, PLACES), f"round {round_no}"


def double_click(app, user_id, slot_id):
    """The same person's sign-up, twice at the same moment; returns both outcomes."""
    barrier = threading.Barrier(2, timeout=60)
    results, lock = [], threading.Lock()

    def click():
        with app.test_request_context(), write_transaction():
            try:
                barrier.wait()
                services.sign_up(db.session.get(User, user_id), db.session.get(Slot, slot_id), now=NOW)
            except services.AlreadySignedUp:
                db.session.rollback()
                result = "already"
            except Exception as exc:
                db.session.rollback()
                result = f"{type(exc).__name__}: {exc}".splitlines()[0]
            else:
                db.session.commit()
                result = "confirmed"
            db.session.remove()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return sorted(results)


def test_a_double_click_in_two_threads_makes_one_signup_and_takes_one_seat(app, arena):
    """Pins the double click: the same person signing up twice at the same moment gets one
    confirmed signup (the other attempt is AlreadySignedUp) and the counter moves by one.
    Ten people, each on a slot of their own, to give the two attempts several chances to overlap."""
    slot_ids, user_ids = arena
    for round_no, (slot_id, user_id) in enumerate(zip(slot_ids[:10], user_ids[:10], strict=True), 1):
        assert double_click(app, user_id, slot_id) == ["already", "confirmed"], f"round {round_no}"
        assert seats(app, slot_id) == (1, 1), f"round {round_no}"


# --- negative controls: the naive check-then-insert ------------------------------------------------

def naive_sign_up(user, slot, *, now, send_mail=True):
    """What the conditional UPDATE replaces: read the counter, and if there is room, insert a
    signup and write back what was read plus one through the ORM (UPDATE ... SET taken = <n>)."""
    if slot.taken >= slot.capacity:
        raise services.SlotFull()
    time.sleep(NAIVE_WINDOW)
    db.session.add(Signup(slot_id=slot.id, user_id=user.id, state=SignupState.confirmed, created_at=now))
    slot.taken = slot.taken + 1
    db.session.flush()


def naive_sign_up_checked_before_the_write(user, slot, *, now, send_mail=True):
    """The same check-then-insert, but the check runs in a transaction of its own and the write
    in the next one. This is what Python's sqlite3 module does by default (a SELECT runs outside
    any transaction; BEGIN is sent just before the first INSERT/UPDATE), and what a page that
    checks on GET and writes on POST does. The write transaction reads nothing: it inserts the
    signup and stores what was read plus one."""
    seen, capacity, slot_id, user_id = slot.taken, slot.capacity, slot.id, user.id
    db.session.commit()  # end the read transaction; the write below starts a fresh, deferred one
    if seen >= capacity:
        raise services.SlotFull()
    time.sleep(NAIVE_WINDOW)
    db.session.add(Signup(slot_id=slot_id, user_id=user_id, state=SignupState.confirmed, created_at=now))
    db.session.flush()
    db.session.execute(update(Slot).where(Slot.id == slot_id).values(taken=seen + 1)
                       .execution_options(synchronize_session=False))


def rounds_until(app, arena, monkeypatch, naive, *, sign):
    """Races the naive version round after round (deferred transactions: no write_transaction)
    until a round shows `sign`, at most ROUNDS rounds. Returns what each round gave."""
    slot_ids, user_ids = arena
    monkeypatch.setattr(services, "sign_up", naive)
    report = []
    for slot_id in slot_ids:
        outcomes, errors = race(app, slot_id, user_ids, immediate=False)
        confirmed, taken = seats(app, slot_id)
        report.append({"confirmed": confirmed, "taken": taken, "errors": Counter(errors)})
        if sign(report[-1]):
            break
    return report


def overbooked(result):
    return result["confirmed"] > PLACES


def locked(result):
    return any("database is locked" in e for e in result["errors"])


@pytest.mark.skipif(not ON_POSTGRES, reason="on SQLite one deferred transaction cannot overbook; "
                    "see the two SQLite negative controls below")
def test_negative_control_naive_check_then_insert_overbooks_on_postgresql(app, arena, monkeypatch):
    """Pins that the race harness can fail: with the naive check-then-insert in one READ
    COMMITTED transaction, PostgreSQL confirms more people than there are places in at least
    one of up to 20 rounds (everyone reads the same counter before anyone writes).

    On SQLite the same code in one deferred transaction cannot overbook: SQLite transactions
    are serializable, and a transaction that read an old snapshot is refused the write with
    "database is locked" (SQLITE_BUSY_SNAPSHOT). The SQLite controls below show both halves."""
    report = rounds_until(app, arena, monkeypatch, naive_sign_up, sign=overbooked)
    print(f"\nnaive check-then-insert on PostgreSQL: round {len(report)} confirmed "
          f"{report[-1]['confirmed']} for {PLACES} places (taken={report[-1]['taken']}, "
          f"errors: {dict(report[-1]['errors'])})")
    assert overbooked(report[-1]), report


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's deferred transactions only")
def test_negative_control_naive_check_then_insert_in_deferred_sqlite_transactions_hits_database_is_locked(
        app, arena, monkeypatch):
    """Pins why every SQLite write transaction starts with BEGIN IMMEDIATE (write_transaction):
    without it, the naive check-then-insert reads, and its write is then refused at once with
    "database is locked" because someone else wrote in between; the busy timeout does not help.
    The positive test above would count those as failures. SQLite stays serializable, so these
    rounds do not overbook; the next control shows the overbooking."""
    report = rounds_until(app, arena, monkeypatch, naive_sign_up, sign=locked)
    print(f"\nnaive check-then-insert in deferred SQLite transactions: round {len(report)} had "
          f"{report[-1]['errors']}")
    assert locked(report[-1]), report
    assert not any(overbooked(r) for r in report), report


def test_negative_control_naive_check_before_the_write_transaction_overbooks(app, arena, monkeypatch):
    """Pins that the race harness can fail on either database: when the naive check reads the
    counter outside the transaction that writes (deferred transactions on SQLite, no BEGIN
    IMMEDIATE; the sqlite3 module's default behaviour), more people are confirmed than there
    are places in at least one of up to 20 rounds."""
    report = rounds_until(app, arena, monkeypatch, naive_sign_up_checked_before_the_write, sign=overbooked)
    print(f"\nnaive check before the write transaction: round {len(report)} confirmed "
          f"{report[-1]['confirmed']} for {PLACES} places (taken={report[-1]['taken']}, "
          f"errors: {dict(report[-1]['errors'])})")
    assert overbooked(report[-1]), report
