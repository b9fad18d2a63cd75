"""Rate limits are per deployment, not per worker: against a real gunicorn with 4 worker
processes counting in Redis, one network gets exactly the configured number of logins and
registrations, and one address exactly the configured number of reset mails, however the
requests are spread over the workers. A negative control shows why: with memory:// the same
server lets more logins through than the limit.

Everything runs at the production defaults (portal/config.py) except the password hash (cheap)
and the Redis key prefix (unique per run, so parallel runs never share counts). Without Redis on
127.0.0.1:6379 the Redis tests are skipped, unless REQUIRE_REDIS=1 (CI), where they fail."""

import os
import socket
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bench.client import Browser
from portal.config import Defaults
from portal.extensions import db
from portal.models import OutboxMessage
from tests.conftest import FAST_HASH
from tests.factories import make_user
from tests.web.live_server import gunicorn

WSGI_MODULE = '''\
"""The portal with its production rate limits, configured from the environment."""
import os

from portal import create_app

app = create_app({"MAIL_URL": "memory://", "PASSWORD_HASH_METHOD": os.environ["LIMITS_PASSWORD_HASH"]})
'''


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def limit_of(setting: str) -> int:
    """The first (tightest-window) number in a production limit like "10 per minute;50 per hour"."""
    return int(getattr(Defaults, setting).split(";")[0].split()[0])


@pytest.fixture(scope="module")
def server_env(app, database_url):
    return dict(DATABASE_URL=database_url, SECRET_KEY="limits-secret", LIMITS_PASSWORD_HASH=FAST_HASH)


@pytest.fixture(scope="module")
def redis_server(server_env, tmp_path_factory):
    if not redis_reachable():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but nothing answers on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379: the limits across workers need it (CI has it)")
    env = dict(server_env, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
               RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    with gunicorn(tmp_path_factory.mktemp("limits_redis"), WSGI_MODULE, env) as port:
        yield port


def burst(port, path, forms):
    """Every form POSTed at the same moment from its own browser (own session, own connection,
    so gunicorn spreads them over its workers); the statuses counted."""
    browsers = [Browser(port) for _ in forms]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda b: b.fetch_csrf(path), browsers))
    go = threading.Event()

    def post(pair):
        browser, form = pair
        go.wait(60)
        return browser.request("POST", path, {"csrf_token": browser.csrf, **form})[0]

    with ThreadPoolExecutor(len(forms)) as pool:
        futures = [pool.submit(post, pair) for pair in zip(browsers, forms, strict=True)]
        go.set()
        return Counter(f.result(120) for f in futures)


def wrong_logins(n):
    return [{"email": f"nobody{i}@example.dk", "password": "not the password"} for i in range(n)]


def test_logins_from_one_network_stop_at_the_limit_across_4_workers(redis_server):
    allowed = limit_of("LOGIN_RATE_LIMIT")
    statuses = burst(redis_server, "/login", wrong_logins(3 * allowed))
    assert statuses == {200: allowed, 429: 2 * allowed}, statuses


def test_registrations_from_one_network_stop_at_the_limit_across_4_workers(app, redis_server):
    allowed = limit_of("REGISTER_RATE_LIMIT")
    forms = [{"name": f"Elev {i}", "email": f"elev{i}@skolen.dk", "password": "en lang nok adgangskode",
              "postcode": "2791", "accept_terms": "y",
              "birth_date-day": "1", "birth_date-month": "3", "birth_date-year": "2011"}
             for i in range(allowed + 20)]
    statuses = burst(redis_server, "/register", forms)
    assert statuses == {302: allowed, 429: 20}, statuses


def test_reset_mails_to_one_address_stop_at_the_limit_across_4_workers(app, redis_server):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
        db.session.remove()
    allowed = limit_of("ACCOUNT_MAIL_RATE_LIMIT")
    statuses = burst(redis_server, "/forgot-password", [{"email": "ida@example.dk"}] * 15)
    assert statuses == {302: 15}, statuses  # every answer the same: the cap is never revealed
    with app.app_context():
        mails = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_email == "ida@example.dk"))
        db.session.remove()
    assert mails == allowed


def test_negative_control_memory_storage_lets_each_worker_count_for_itself(server_env, tmp_path_factory):
    """Why Redis: the same burst against 4 single-threaded workers counting in memory gets more
    logins through than the limit (each process allows the limit on its own)."""
    allowed = limit_of("LOGIN_RATE_LIMIT")
    env = dict(server_env, RATELIMIT_STORAGE_URI="memory://")
    with gunicorn(tmp_path_factory.mktemp("limits_memory"), WSGI_MODULE, env, threads=1) as port:
        statuses = burst(port, "/login", wrong_logins(3 * allowed))
    assert statuses[200] > allowed, statuses
    assert set(statuses) <= {200, 429}, statuses
