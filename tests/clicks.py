"""Many people clicking at once: each click in its own thread and write transaction, all released
together by a barrier. Shared by the race tests of counters kept in SQL (supports, pledges, hearts)."""

import threading
from collections import Counter

from portal.database import write_transaction
from portal.extensions import db
from portal.models import User


def race(app, model, target_id, user_ids, action):
    """Runs `action(target, user)` for each user id at once; returns (Counter of what each action
    returned, list of errors as one line each)."""
    barrier = threading.Barrier(len(user_ids), timeout=60)
    outcomes, errors = Counter(), []
    lock = threading.Lock()

    def click(user_id):
        with app.test_request_context():
            try:
                with write_transaction():
                    barrier.wait()
                    target, user = db.session.get(model, target_id), db.session.get(User, user_id)
                    counted = action(target, user)
                    db.session.commit()
                with lock:
                    outcomes[counted] += 1
            except Exception as exc:  # noqa: BLE001 - any error fails the test
                db.session.rollback()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click, args=(u,)) for u in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a click thread hung"
    return outcomes, errors
