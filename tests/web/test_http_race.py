"""No overbooking over HTTP: logged-in browsers race for the last places against a real
multi-process server (gunicorn, 4 worker processes with 2 threads each, on 127.0.0.1).

The server uses the suite's database (the SQLite file, or the fresh PostgreSQL database when
TEST_DB=postgresql), so the test writes its data with the app fixture and reads the result back
the same way. The server's app is built from environment variables by a tiny module written to
a temporary folder: rate limits off, the cheap password hash."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bench.client import Browser
from portal.extensions import db
from portal.models import Signup, SignupState, Slot, utcnow

from tests.conftest import FAST_HASH
from tests.factories import PASSWORD, make_organisation, make_slot, make_task, make_user
from tests.web.live_server import gunicorn

CLIENTS = 200
PLACES = 10
POSTING_THREADS = 100

WSGI_MODULE = '''\
"""The portal for the HTTP race test, configured from the environment."""
import os

from portal import create_app

overrides = {"RATELIMIT_ENABLED": False, "MAIL_URL": "memory://"}
if os.environ.get("RACE_CHEAP_HASH") == "1":
    overrides["PASSWORD_HASH_METHOD"] = os.environ["RACE_PASSWORD_HASH"]
app = create_app(overrides)  # DATABASE_URL and SECRET_KEY are read by portal.config
'''


@pytest.fixture(scope="module")
def server(app, database_url, tmp_path_factory):
    """A multi-process gunicorn serving the suite's database; stopped at the end."""
    env = dict(DATABASE_URL=database_url, SECRET_KEY="http-race-secret", RACE_CHEAP_HASH="1",
               RACE_PASSWORD_HASH=FAST_HASH)
    with gunicorn(tmp_path_factory.mktemp("http_race"), WSGI_MODULE, env) as port:
        yield port


def open_slot(app, *, capacity, volunteers, days_ahead=7):
    """A published task with one open slot a week ahead, and `volunteers` confirmed accounts."""
    with app.app_context():
        org = make_organisation(admin=make_user())
        task = make_task(org, title="Havnefest i Dragør")
        slot = make_slot(task, starts_at=utcnow().replace(microsecond=0) + timedelta(days=days_ahead),
                         capacity=capacity)
        emails = [make_user().email for _ in range(volunteers)]
        db.session.commit()
        ids = task.id, slot.id
        db.session.remove()
    return *ids, emails


def database_result(app, slot_id):
    """(confirmed rows, all signup rows, slot.taken) for the slot."""
    with app.app_context():
        confirmed = db.session.scalar(select(func.count(Signup.id)).where(
            Signup.slot_id == slot_id, Signup.state == SignupState.confirmed))
        rows = db.session.scalar(select(func.count(Signup.id)).where(Signup.slot_id == slot_id))
        taken = db.session.scalar(select(Slot.taken).where(Slot.id == slot_id))
        db.session.remove()
    return confirmed, rows, taken


def test_two_hundred_logged_in_browsers_racing_for_ten_places_over_http_confirm_exactly_ten(app, server):
    """Pins "no overbooking" end to end: 200 logged-in volunteers POST the sign-up for a slot with
    10 places at the same moment against 4 gunicorn processes. Exactly 10 are confirmed, the
    counter says 10, no response is a 5xx, and every response is the redirect back to the task."""
    task_id, slot_id, emails = open_slot(app, capacity=PLACES, volunteers=CLIENTS)
    browsers = [Browser(server) for _ in emails]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda pair: pair[0].log_in(pair[1], PASSWORD, f"/tasks/{task_id}"), zip(browsers, emails, strict=True)))

    go = threading.Event()

    def sign_up(browser):
        go.wait(60)
        status, headers, _, _ = browser.request("POST", f"/slots/{slot_id}/signup",
                                             {"csrf_token": browser.csrf, "action": "signup"})
        return status, headers.get("Location", "")

    with ThreadPoolExecutor(POSTING_THREADS) as pool:
        futures = [pool.submit(sign_up, b) for b in browsers]
        time.sleep(0.2)  # let the workers reach the gate
        go.set()
        responses = [f.result(120) for f in futures]

    statuses = Counter(status for status, _ in responses)
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses == {302: CLIENTS}, statuses
    assert all(location.endswith(f"/tasks/{task_id}#slot-{slot_id}") for _, location in responses)
    assert database_result(app, slot_id) == (PLACES, PLACES, PLACES)


def double_click(browser, slot_id):
    """Two POSTs of the same sign-up from one session at the same moment; both statuses."""
    barrier = threading.Barrier(2, timeout=30)

    def click():
        barrier.wait()
        status, _, _, _ = browser.request("POST", f"/slots/{slot_id}/signup",
                                       {"csrf_token": browser.csrf, "action": "signup"})
        return status

    with ThreadPoolExecutor(2) as pool:
        return [f.result(60) for f in [pool.submit(click), pool.submit(click)]]


def test_a_double_click_over_http_makes_one_signup_and_takes_one_seat(app, server):
    """Pins the double click: one logged-in person's two simultaneous POSTs of the same sign-up
    (two threads, one session) give one signup row and take one seat; both answers redirect.
    Repeated on five slots to give the two requests several chances to overlap."""
    for round_no in range(1, 6):
        task_id, slot_id, [email] = open_slot(app, capacity=3, volunteers=1, days_ahead=7 + round_no)
        browser = Browser(server)
        browser.log_in(email, PASSWORD, f"/tasks/{task_id}")
        assert double_click(browser, slot_id) == [302, 302], f"round {round_no}"
        assert database_result(app, slot_id) == (1, 1, 1), f"round {round_no}"
