"""Double clicks and two coordinators at once (issue 12): a score sent several times at the same
moment leaves one score, a conflict declared while a score is sent never leaves both, and a winner
recorded from two browsers at once leaves one winner per category. Each click runs in its own
thread with its own session, as a request would; on SQLite and PostgreSQL."""

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from portal.awards import jury_services as jury
from portal.database import write_transaction
from portal.errors import DomainError
from portal.extensions import db
from portal.models import (AwardCategory, AwardWinner, JuryConflict, JuryMember, JuryScore, Nomination, User,
                           utcnow)
from tests.factories import make_award_category, make_award_year, make_jury_member, make_nomination, make_user

CLICKS = 8


@pytest.fixture
def arena(app):
    with app.app_context():
        year = make_award_year(phase="jury")
        category = make_award_category(year)
        nominations = [make_nomination(category, nominee_name=f"Kandidat {n}").id for n in range(CLICKS)]
        member = make_jury_member(year)
        coordinators = [make_user(coordinator=True).id for _ in range(CLICKS)]
        db.session.commit()
        ids = dict(category=category.id, nominations=nominations, member=member.id, coordinators=coordinators)
        db.session.remove()
    return ids


def race(app, actions):
    barrier = threading.Barrier(len(actions), timeout=60)
    outcomes, errors = Counter(), []
    lock = threading.Lock()

    def click(action):
        with app.test_request_context():
            try:
                with write_transaction():
                    barrier.wait()
                    action()
                    db.session.commit()
                with lock:
                    outcomes["ok"] += 1
            except DomainError:
                db.session.rollback()
                with lock:
                    outcomes["refused"] += 1
            except Exception as exc:  # noqa: BLE001 - any other error fails the test
                db.session.rollback()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a click thread hung"
    return outcomes, errors


def test_a_score_sent_many_times_at_once_is_one_score(app, arena):
    nomination_id = arena["nominations"][0]

    def score(value):
        return lambda: jury.score(db.session.get(JuryMember, arena["member"]), db.session.get(Nomination, nomination_id),
                                  score=value, note=f"Klik {value}", now=utcnow())

    outcomes, errors = race(app, [score(1 + n % 10) for n in range(CLICKS)])
    assert not errors and outcomes["ok"] == CLICKS
    with app.app_context():
        assert db.session.scalar(select(func.count(JuryScore.id))) == 1
        db.session.remove()


def test_a_conflict_and_a_score_sent_at_once_never_both_stand(app, arena):
    actions = []
    for nomination_id in arena["nominations"]:
        def load(nid=nomination_id):
            return db.session.get(JuryMember, arena["member"]), db.session.get(Nomination, nid)
        actions.append(lambda load=load: jury.declare_conflict(*load(), note="Nabo", now=utcnow()))
        actions.append(lambda load=load: jury.score(*load(), score=7, note="", now=utcnow()))
    outcomes, errors = race(app, actions)
    assert not errors
    with app.app_context():
        scored = set(db.session.scalars(select(JuryScore.nomination_id)))
        conflicted = set(db.session.scalars(select(JuryConflict.nomination_id)))
        assert conflicted == set(arena["nominations"])      # a conflict always lands (it removes a score)
        assert not scored & conflicted
        db.session.remove()


def test_two_coordinators_recording_a_winner_at_once_leave_one_winner(app, arena):
    def record(n):
        return lambda: jury.record_winner(db.session.get(AwardCategory, arena["category"]),
                                          db.session.get(Nomination, arena["nominations"][n]),
                                          db.session.get(User, arena["coordinators"][n]),
                                          motivation=f"Begrundelse nummer {n}.", now=utcnow())

    outcomes, errors = race(app, [record(n) for n in range(CLICKS)])
    assert not errors and outcomes["ok"] == CLICKS
    with app.app_context():
        [winner] = db.session.scalars(select(AwardWinner)).all()
        n = arena["nominations"].index(winner.nomination_id)
        assert winner.motivation == f"Begrundelse nummer {n}."
        db.session.remove()
