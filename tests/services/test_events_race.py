"""Two coordinators (or a double click) saving the same event at the same moment: each gets its own
slug, nobody gets an error page. Each save runs in its own thread with its own app context and
session, starts at a Barrier and ends with a commit, as a request would. SQLite and PostgreSQL."""

import threading
from datetime import date, time

from sqlalchemy import func, select

from portal.database import write_transaction
from portal.events import services
from portal.extensions import db
from portal.models import Event, User, utcnow
from tests.factories import make_user

SAVES = 6


def test_the_same_event_saved_at_once_gets_distinct_slugs_and_no_error(app):
    with app.app_context():
        coordinator_id = make_user(coordinator=True).id
        db.session.commit()
        db.session.remove()
    barrier = threading.Barrier(SAVES, timeout=60)
    slugs, errors = [], []
    lock = threading.Lock()

    def save():
        with app.test_request_context():
            try:
                with write_transaction():
                    barrier.wait()
                    event = services.create_event(
                        db.session.get(User, coordinator_id), kind="volunteer_day", title="Frivillig Fredag",
                        summary="", day=date(2027, 9, 24), starts=time(13), ends=time(19),
                        place_name="Wiedergården", address="", award_year_id=None, now=utcnow())
                    db.session.commit()
                    with lock:
                        slugs.append(event.slug)
            except Exception as exc:  # noqa: BLE001 - any error fails the test
                db.session.rollback()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save) for _ in range(SAVES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert len(slugs) == len(set(slugs)) == SAVES
    assert all(slug.startswith("frivillig-fredag-2027-09-24") for slug in slugs)
    with app.app_context():
        assert db.session.scalar(select(func.count(Event.id))) == SAVES
        db.session.remove()
