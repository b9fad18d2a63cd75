"""No overbooking by teams (issue 10): 20 teams of 3 colleagues at once for a time with 10
places. Each team runs in its own thread with its own app context and session, starts at a
Barrier and ends with a commit or a rollback, as a request would (the harness of
tests/services/test_race.py). Runs on SQLite and on PostgreSQL, whichever the suite runs on.

The negative control swaps the one conditional UPDATE for a naive read-then-write of the
counter in the same harness and shows that it does overbook, so the positive test is racing."""

import threading
import time
from collections import Counter
from contextlib import nullcontext
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from portal.companies import team_services as teams
from portal.database import write_transaction
from portal.extensions import db
from portal.models import Company, Signup, SignupState, Slot, User
from tests.factories import link_employee, make_company, make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
FIRST_DAY = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
TEAMS = 20
TEAM = 3
PLACES = 10
ROUNDS = 5
NAIVE_WINDOW = 0.005


@pytest.fixture
def arena(app):
    """ROUNDS times of PLACES places (a day apart), and TEAMS companies with TEAM colleagues
    each, committed so that every thread sees them."""
    with app.app_context():
        task = make_task(make_organisation(admin=make_user()), title="Havedag på Enggården")
        task.team_size = TEAM
        slot_ids = [make_slot(task, starts_at=FIRST_DAY + timedelta(days=n), hours=3, capacity=PLACES).id
                    for n in range(ROUNDS)]
        squads = []
        for _ in range(TEAMS):
            boss = make_user()
            company = make_company(admin=boss, supports=("team_days",))
            people = [make_user() for _ in range(TEAM)]
            for person in people:
                link_employee(person, company)
            squads.append((company.id, boss.id, [p.id for p in people]))
        db.session.commit()
        db.session.remove()
    return slot_ids, squads


def race(app, slot_id, squads, *, immediate=True):
    barrier = threading.Barrier(len(squads), timeout=60)
    outcomes, errors = Counter(), []
    lock = threading.Lock()

    def attempt(company_id, boss_id, people_ids):
        with app.test_request_context():
            try:
                with write_transaction() if immediate else nullcontext():
                    barrier.wait()
                    company, slot = db.session.get(Company, company_id), db.session.get(Slot, slot_id)
                    people = [db.session.get(User, i) for i in people_ids]
                    try:
                        teams.sign_up_team(company, slot, people, booked_by=db.session.get(User, boss_id), now=NOW)
                    except teams.NotEnoughSeats:
                        db.session.rollback()
                        outcome = "full"
                    else:
                        db.session.commit()
                        outcome = "team"
                with lock:
                    outcomes[outcome] += 1
            except Exception as exc:  # anything but NotEnoughSeats fails the test
                db.session.rollback()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=squad) for squad in squads]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a team sign-up thread hung"
    return outcomes, errors


def seats(app, slot_id):
    with app.app_context():
        confirmed = db.session.scalar(select(func.count(Signup.id)).where(
            Signup.slot_id == slot_id, Signup.state == SignupState.confirmed))
        taken = db.session.scalar(select(Slot.taken).where(Slot.id == slot_id))
        db.session.remove()
    return confirmed, taken


def test_twenty_teams_of_three_for_ten_places_take_nine_seats_and_the_counter_matches(app, arena):
    """Pins "never overbooked" for teams: three teams of three fit in ten places, the other 17
    are told the time is full, and the 9 seats taken are exactly the 9 confirmed signups, in
    every round. No team is half-booked (the tenth place stays free)."""
    slot_ids, squads = arena
    for round_no, slot_id in enumerate(slot_ids, 1):
        outcomes, errors = race(app, slot_id, squads)
        assert errors == [], f"round {round_no}: {Counter(errors)}"
        assert outcomes == {"team": PLACES // TEAM, "full": TEAMS - PLACES // TEAM}, f"round {round_no}"
        assert seats(app, slot_id) == (PLACES // TEAM * TEAM,) * 2, f"round {round_no}"


# --- the negative control: read the counter, then write it back -----------------------------------

def naive_sign_up_team(company, slot, people, *, booked_by, now):
    """What the conditional UPDATE replaces: read the counter (here in a transaction of its own,
    as a page that checks on GET and writes on POST does), and if the team fits, insert its
    signups and store what was read plus the team."""
    seen, capacity, slot_id, ids = slot.taken, slot.capacity, slot.id, [p.id for p in people]
    db.session.commit()  # the write below starts a fresh (deferred) transaction
    if seen + len(ids) > capacity:
        raise teams.NotEnoughSeats(capacity - seen, len(ids))
    time.sleep(NAIVE_WINDOW)
    db.session.add_all([Signup(slot_id=slot_id, user_id=i, state=SignupState.confirmed, created_at=now)
                        for i in ids])
    db.session.flush()
    db.session.execute(update(Slot).where(Slot.id == slot_id).values(taken=seen + len(ids))
                       .execution_options(synchronize_session=False))


def test_negative_control_naive_check_then_insert_overbooks(app, arena, monkeypatch):
    """Pins that the harness races: with the naive check-then-insert, at least one round of up
    to ROUNDS confirms more people than there are places. The positive test never does."""
    slot_ids, squads = arena
    monkeypatch.setattr(teams, "sign_up_team", naive_sign_up_team)
    report = []
    for slot_id in slot_ids:
        race(app, slot_id, squads, immediate=False)
        report.append(seats(app, slot_id))
        if report[-1][0] > PLACES:
            break
    print(f"\nnaive team sign-up: {report} (confirmed, taken) for {PLACES} places")
    assert report[-1][0] > PLACES, report
