"""Two web nodes sharing PostgreSQL and Redis, as the README's operating section describes: two
gunicorn servers on different ports, each its own "machine" (own processes, own memory), with the
same DATABASE_URL, RATELIMIT_STORAGE_URI (Redis, which also holds the page cache and the data
versions) and SECRET_KEY, behind a proxy (TRUSTED_PROXIES=1).

Proven here: a sign-up on one node is seen on the other at the next request, even by a page the
other node had cached; the page cache and the rate limits are shared; `flask tick` run on both
nodes at once sends every mail once; and a node killed in the middle of a sign-up leaves nothing
half-saved, while the other node keeps serving and takes the retry.

Needs PostgreSQL (TEST_DB=postgresql; SQLite is one file on one machine) and Redis on
127.0.0.1:6379; skipped without them, unless REQUIRE_REDIS=1 (CI), where no Redis fails."""

import email
import email.policy
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from portal import create_app
from portal.database import write_transaction
from portal.extensions import db
from portal.models import OutboxMessage, Signup, SignupState, Slot, utcnow
from tests.conftest import FAST_HASH, make_test_config
from tests.factories import PASSWORD, make_organisation, make_slot, make_task, make_user
from tests.web.live_server import ROOT, free_port, gunicorn
from tests.web.test_limits_across_workers import limit_of, redis_reachable

REDIS = "redis://127.0.0.1:6379"

# The app each node serves. The hook below is test-only and lives here, not in the portal: a
# request carrying X-Test-Stall stops after its writes reached the database and before its
# commit, says so in a file, and waits (to be killed).
WSGI_MODULE = '''\
import os
import time

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal import create_app

app = create_app({"PASSWORD_HASH_METHOD": os.environ["NODE_PASSWORD_HASH"]})


@event.listens_for(Session, "before_commit")
def stall_when_asked(session):
    if has_request_context() and request.headers.get("X-Test-Stall"):
        session.flush()
        with open(os.environ["NODE_STALL_MARKER"], "w") as marker:
            marker.write(request.path)
        time.sleep(60)
'''


@pytest.fixture(scope="module")
def shared(app, database_url):
    """Skips unless PostgreSQL and Redis are there; the settings both nodes share."""
    if not database_url.startswith("postgresql"):
        pytest.skip("two nodes share PostgreSQL: run with TEST_DB=postgresql")
    if not redis_reachable():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but nothing answers on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379 (CI has it)")
    return dict(DATABASE_URL=database_url, SECRET_KEY="two-nodes-secret", RATELIMIT_STORAGE_URI=REDIS,
                RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex[:12]}", TRUSTED_PROXIES="1",
                MAIL_URL="memory://", NODE_PASSWORD_HASH=FAST_HASH)


@pytest.fixture(scope="module")
def nodes(shared, tmp_path_factory):
    """Node A (which a test may kill) and node B: two gunicorn servers, one worker process with
    4 threads each (the machine running the suite has 2 cores)."""
    folders = [tmp_path_factory.mktemp(f"node_{name}") for name in "ab"]
    killable = []
    with gunicorn(folders[0], WSGI_MODULE, dict(shared, NODE_STALL_MARKER=str(folders[0] / "stalled")),
                  workers=1, threads=4, processes=killable) as a, \
            gunicorn(folders[1], WSGI_MODULE, dict(shared, NODE_STALL_MARKER=str(folders[1] / "stalled")),
                     workers=1, threads=4) as b:
        yield {"a": a, "b": b, "a_process": killable[0], "a_marker": folders[0] / "stalled",
               "folder": folders[1]}


@pytest.fixture(scope="module")
def writer(shared, database_url):
    """An app on the nodes' Redis, so the test's own writes move the version the nodes cache by."""
    node = create_app(make_test_config(database_url, CACHE_REDIS_URL=REDIS,
                                       RATELIMIT_KEY_PREFIX=shared["RATELIMIT_KEY_PREFIX"]))
    yield node
    with node.app_context():
        db.session.remove()
        db.engine.dispose()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Visitor:
    """One browser (its own cookies) behind the load balancer: each request may go to either node."""

    def __init__(self, address=None):
        self.cookies, self.csrf = {}, None
        self.headers = {"X-Forwarded-For": address} if address else {}

    def request(self, port, method, path, form=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
        sent = {"Connection": "close", **self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrf_token": self.csrf, **form})
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, data

    def get(self, port, path):
        status, headers, body = self.request(port, "GET", path)
        assert status == 200, (port, path, status)
        match = _CSRF.search(body)
        if match:
            self.csrf = match.group(1)
        return headers.get("X-Cache"), body

    def post(self, port, path, form=None, headers=None):
        return self.request(port, "POST", path, form or {}, headers)[0]

    def log_in(self, port, email):
        self.get(port, "/login")
        assert self.post(port, "/login", {"email": email, "password": PASSWORD}) == 302


def a_task(writer, *, capacity=3, starts_in=timedelta(days=4), volunteers=1):
    with writer.app_context():
        org = make_organisation(admin=make_user())
        task = make_task(org, title="Havnefest i Dragør")
        slot = make_slot(task, starts_at=utcnow().replace(microsecond=0) + starts_in, capacity=capacity)
        emails = [make_user().email for _ in range(volunteers)]
        db.session.commit()
        return f"/tasks/{task.id}", slot.id, emails


def seats_match_signups(writer):
    """Every slot's seat counter equals its confirmed (and offered) sign-ups: nothing half-saved."""
    with writer.app_context():
        held = dict(db.session.execute(select(Signup.slot_id, func.count(Signup.id)).where(
            Signup.state.in_([SignupState.confirmed, SignupState.offered])).group_by(Signup.slot_id)).all())
        taken = dict(db.session.execute(select(Slot.id, Slot.taken)).all())
        db.session.remove()
    return all(taken[slot] == held.get(slot, 0) for slot in taken)


def test_a_sign_up_on_one_node_is_seen_on_the_other_through_the_shared_page_cache(nodes, writer):
    page, slot, (email,) = a_task(writer)
    anyone = Visitor()
    state, body = anyone.get(nodes["b"], page)
    assert state == "miss" and "3 pladser tilbage" in body
    # Cached by node B, a hit on node A: one cache for the deployment.
    state, body = anyone.get(nodes["a"], page)
    assert state == "hit" and "3 pladser tilbage" in body

    volunteer = Visitor()
    volunteer.log_in(nodes["a"], email)
    volunteer.get(nodes["a"], page)
    assert volunteer.post(nodes["a"], f"/slots/{slot}/signup", {"action": "signup"}) == 302

    state, body = anyone.get(nodes["b"], page)
    assert state == "miss" and "2 pladser tilbage" in body
    assert anyone.get(nodes["a"], page) == ("hit", body)
    # The session made on node A is good on node B (the same SECRET_KEY and database).
    assert "Log ud" in volunteer.get(nodes["b"], "/me")[1]


def test_login_attempts_from_one_network_are_counted_across_both_nodes(nodes):
    """Wrong passwords from one address (named by the proxy in X-Forwarded-For), half to each
    node at the same moment: the limit holds for the deployment, not per node."""
    allowed = limit_of("LOGIN_RATE_LIMIT")
    visitors = [(Visitor("198.51.100.23"), nodes["ab"[i % 2]]) for i in range(2 * allowed)]
    for visitor, port in visitors:
        visitor.get(port, "/login")
    go = threading.Event()

    def wrong_login(pair):
        visitor, port = pair
        go.wait(30)
        return visitor.post(port, "/login", {"email": "nobody@example.dk", "password": "not the password"})

    with ThreadPoolExecutor(len(visitors)) as pool:
        futures = [pool.submit(wrong_login, pair) for pair in visitors]
        go.set()
        statuses = Counter(f.result(60) for f in futures)
    assert statuses == {200: allowed, 429: allowed}, statuses
    # Another network is not held up by it.
    other = Visitor("203.0.113.5")
    other.get(nodes["b"], "/login")
    assert other.post(nodes["b"], "/login", {"email": "nobody@example.dk", "password": "x"}) == 200


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        subject = email.message_from_bytes(envelope.content, policy=email.policy.default)["Subject"]
        self.received += [(rcpt, str(subject)) for rcpt in envelope.rcpt_tos]
        return "250 OK"


def test_tick_on_both_nodes_at_once_sends_every_reminder_and_mail_once(nodes, shared, writer):
    """Both nodes' cron runs `flask tick` at the same moment: the mail that was due goes out once,
    and each reminder is queued once (it goes out with the next tick)."""
    now = utcnow()
    with writer.app_context(), write_transaction():
        from portal.auth.services import start_password_reset
        from portal.signups.services import sign_up
        org = make_organisation(admin=make_user())
        soon = make_slot(make_task(org, title="Loppemarked"), starts_at=now + timedelta(hours=20), capacity=5)
        for n in range(4):
            sign_up(make_user(email=f"paamindelse{n}@example.dk"), soon, now=now)
        for n in range(6):
            start_password_reset(make_user(email=f"nulstil{n}@example.dk").email)
        db.session.commit()
        db.session.remove()
    inbox, port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {**os.environ, **shared, "MAIL_URL": f"smtp://127.0.0.1:{port}",
           "PYTHONPATH": f"{nodes['folder']}{os.pathsep}{ROOT}"}
    try:
        ticks = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "live_wsgi", "tick"], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(2)]
        outputs = [tick.communicate(timeout=60)[0] for tick in ticks]
    finally:
        smtp.stop()
    assert [tick.returncode for tick in ticks] == [0, 0], outputs
    counts = Counter(inbox.received)
    assert all(n == 1 for n in counts.values()), [pair for pair, n in counts.items() if n > 1]
    assert sorted(rcpt for rcpt, _ in counts if rcpt.startswith("nulstil")) == [f"nulstil{n}@example.dk"
                                                                                for n in range(6)]
    # The confirmations of the four sign-ups were due too (and a reminder queued by one tick may
    # already have gone out with the other).
    confirmed = sorted(rcpt for rcpt, subject in counts if subject.startswith("Du er tilmeldt"))
    assert confirmed == [f"paamindelse{n}@example.dk" for n in range(4)]
    with writer.app_context():
        reminders = db.session.scalars(select(OutboxMessage.to_email).where(
            OutboxMessage.subject.like("%Påmindelse%"))).all()
        db.session.remove()
    assert sorted(reminders) == [f"paamindelse{n}@example.dk" for n in range(4)]


def test_a_node_killed_in_the_middle_of_a_sign_up_loses_nothing_and_the_other_node_takes_the_retry(nodes, writer):
    page, slot, (email,) = a_task(writer, capacity=2)
    volunteer, anyone = Visitor(), Visitor()
    volunteer.log_in(nodes["a"], email)
    volunteer.get(nodes["a"], page)
    outcome = []

    def stalled_sign_up():
        try:
            outcome.append(volunteer.post(nodes["a"], f"/slots/{slot}/signup", {"action": "signup"},
                                          headers={"X-Test-Stall": "1"}))
        except (OSError, http.client.HTTPException) as error:  # the node died under the request
            outcome.append(type(error).__name__)

    request = threading.Thread(target=stalled_sign_up)
    request.start()
    deadline = time.monotonic() + 30
    while not nodes["a_marker"].exists():
        assert time.monotonic() < deadline, "the sign-up never reached its commit"
        time.sleep(0.05)
    # The seat is taken and the sign-up written, uncommitted: node B still serves, with the old count.
    state, body = anyone.get(nodes["b"], page)
    assert "2 pladser tilbage" in body
    os.killpg(nodes["a_process"].pid, signal.SIGKILL)
    nodes["a_process"].wait(10)
    request.join(30)
    assert outcome and outcome[0] != 302, outcome  # the volunteer never saw a confirmation

    assert seats_match_signups(writer)
    with writer.app_context():
        assert db.session.get(Slot, slot).taken == 0
        db.session.remove()
    # The retry on node B (the same session cookie: sessions are not tied to a node) succeeds.
    volunteer.get(nodes["b"], page)
    assert volunteer.post(nodes["b"], f"/slots/{slot}/signup", {"action": "signup"}) == 302
    assert "1 plads tilbage" in anyone.get(nodes["b"], page)[1]
    assert seats_match_signups(writer)
    with writer.app_context():
        confirmations = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_email == email))
        assert db.session.get(Slot, slot).taken == 1
        db.session.remove()
    assert confirmations == 1  # the killed attempt queued no mail
