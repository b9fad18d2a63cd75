"""Asking for help and calls for input against a real gunicorn with 4 worker processes that count
in Redis and cache pages in Redis (issue 11 review): the limits on requests for help hold for the
deployment, not per worker, and an answer given through one worker is on the call's page at the
next anonymous visit, whichever worker serves it from the shared page cache.

Skipped without Redis on 127.0.0.1:6379, unless REQUIRE_REDIS=1 (CI), where it fails."""

import os
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bench.client import Browser
from portal.extensions import db
from portal.models import HelpRequest, OutboxMessage
from tests.conftest import FAST_HASH
from tests.factories import PASSWORD, make_call, make_organisation, make_user
from tests.web.live_server import gunicorn
from tests.web.test_limits_across_workers import WSGI_MODULE, limit_of, redis_reachable

REDIS = "redis://127.0.0.1:6379"


@pytest.fixture(scope="module")
def server(app, database_url, tmp_path_factory):
    if "faketime" in os.environ.get("LD_PRELOAD", ""):
        # scripts/test-dates.sh leaves the multi-process servers out the same way: they test
        # concurrency, not dates, and gunicorn's workers lose the time.sleep() mend there.
        pytest.skip("a multi-process server under libfaketime (scripts/test-dates.sh)")
    if not redis_reachable():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but nothing answers on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379: the limits and the cache across workers need it (CI has it)")
    env = dict(DATABASE_URL=database_url, SECRET_KEY="help-workers-secret", LIMITS_PASSWORD_HASH=FAST_HASH,
               RATELIMIT_STORAGE_URI=REDIS, CACHE_REDIS_URL=REDIS, TRUSTED_PROXIES="1",
               RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    with gunicorn(tmp_path_factory.mktemp("help_workers"), WSGI_MODULE, env) as port:
        yield port


def _ask_form(n, **overrides):
    form = {"kind": "visiting_friend", "name": f"Borger {n}", "area": "Nær Dragør Havn", "postcode": "2791",
            "phone": "22 33 44 55", "email": "", "description": ""}
    form.update(overrides)
    return form


def _burst(port, forms, addresses):
    """Every request for help sent at the same moment from its own browser and connection (so
    gunicorn spreads them over its workers), each from the network the proxy names for it."""
    browsers = [Browser(port) for _ in forms]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda b: b.fetch_csrf("/help/ask"), browsers))
    go = threading.Event()

    def post(n):
        go.wait(60)
        return browsers[n].request("POST", "/help/ask", {"csrf_token": browsers[n].csrf, **forms[n]},
                                   headers={"X-Forwarded-For": addresses[n]})[0]

    with ThreadPoolExecutor(len(forms)) as pool:
        futures = [pool.submit(post, n) for n in range(len(forms))]
        go.set()
        return Counter(f.result(120) for f in futures)


def _count(app, query):
    with app.app_context():
        value = db.session.scalar(query)
        db.session.remove()
    return value


def test_requests_for_help_from_one_network_stop_at_the_limit_across_4_workers(app, server):
    allowed = limit_of("HELP_REQUEST_RATE_LIMIT")
    before = _count(app, select(func.count(HelpRequest.id)))
    statuses = _burst(server, [_ask_form(n) for n in range(allowed + 5)], ["203.0.113.7"] * (allowed + 5))
    assert statuses == {302: allowed, 429: 5}, statuses
    assert _count(app, select(func.count(HelpRequest.id))) == before + allowed


def test_receipts_to_one_address_stop_at_the_cap_across_4_workers_and_many_networks(app, server):
    email = f"modtager-{uuid.uuid4().hex[:8]}@example.dk"
    forms = [_ask_form(n, email=email) for n in range(8)]
    statuses = _burst(server, forms, [f"198.51.100.{n + 1}" for n in range(8)])
    assert statuses == {302: 8}, statuses  # every request is kept
    assert _count(app, select(func.count(OutboxMessage.id)).where(OutboxMessage.to_email == email)) == 3


def test_an_answer_through_one_worker_is_on_the_cached_call_page_at_the_next_visit(app, server):
    with app.app_context():
        owner = make_user()
        call = make_call(organisation=make_organisation(admin=owner), owner=owner, answers_public=True)
        citizen = make_user()
        db.session.commit()
        path, email = f"/calls/{call.id}", citizen.email
        db.session.remove()
    visitor = Browser(server)
    states = [visitor.request("GET", path)[1].get("X-Cache") for _ in range(8)]
    assert "hit" in states, states  # the page is in the shared cache
    answerer = Browser(server)
    answerer.log_in(email, PASSWORD, path)
    status = answerer.request("POST", f"{path}/answer", {"csrf_token": answerer.csrf,
                                                           "body": "Fællessang om torsdagen"})[0]
    assert status == 302
    # Several visits, spread over the workers: not one of them shows the page without the answer.
    for _ in range(8):
        status, headers, body = visitor.request("GET", path)[:3]
        assert status == 200 and "Fællessang om torsdagen" in body, headers.get("X-Cache")
