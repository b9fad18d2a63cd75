"""The ideas box against a real gunicorn with 4 worker processes sharing Redis (rate limits, page
cache and data version), as in production: the short form's per-network limit holds across the
workers, and a support given through one worker shows at once on idea pages that other workers
had cached for anonymous visitors. Skipped without Redis on 127.0.0.1:6379 (as the suite's other
multi-worker tests are), unless REQUIRE_REDIS=1."""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bench.client import Browser
from portal.extensions import db
from portal.ideas.services import LIMITS
from portal.models import Idea, OutboxMessage
from tests.conftest import FAST_HASH
from tests.factories import PASSWORD, make_idea, make_user
from tests.web.live_server import gunicorn
from tests.web.test_limits_across_workers import WSGI_MODULE, burst, redis_reachable

REDIS = "redis://127.0.0.1:6379"


@pytest.fixture(scope="module")
def server(app, database_url, tmp_path_factory):
    if os.environ.get("FAKETIME"):
        # scripts/test-dates.sh: gunicorn's workers get a PYTHONPATH without the faketime mend.
        pytest.skip("concurrency, not dates: not run under libfaketime")
    if not redis_reachable():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but nothing answers on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379: the limits across workers need it (CI has it)")
    env = dict(DATABASE_URL=database_url, SECRET_KEY="ideas-workers-secret", LIMITS_PASSWORD_HASH=FAST_HASH,
               RATELIMIT_STORAGE_URI=REDIS, CACHE_REDIS_URL=REDIS,
               RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    with gunicorn(tmp_path_factory.mktemp("ideas_workers"), WSGI_MODULE, env) as port:
        yield port


def test_the_short_form_from_one_network_stops_at_its_limit_across_4_workers(app, server):
    allowed = int(LIMITS["IDEA_SEND_RATE_LIMIT"].split(";")[0].split()[0])
    forms = [{"name": f"Borger {i}", "email": f"borger{i}@example.dk", "title": f"Idé fra nettet {i}",
              "body": "En bænk mere ved havnen, tak.", "who_it_helps": "Ældre på gåtur"}
             for i in range(allowed + 7)]
    statuses = burst(server, "/ideas/send", forms)
    assert statuses == {200: allowed, 429: 7}, statuses
    with app.app_context():
        ideas = db.session.scalar(select(func.count(Idea.id)).where(Idea.title.like("Idé fra nettet %")))
        mails = db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.to_email.like("borger%@example.dk")))
        db.session.remove()
    assert ideas == mails == allowed


def test_a_support_shows_at_once_on_pages_other_workers_cached(app, server):
    with app.app_context():
        author = make_user(email="forfatter-w@example.dk")
        make_user(email="stoetter-w@example.dk", name="Støtte Person")
        idea = make_idea(author, title="Skak på tværs af processer")
        db.session.commit()
        idea_id = idea.id
        db.session.remove()
    path = f"/ideas/{idea_id}?lang=en"
    anonymous = [Browser(server) for _ in range(16)]

    def look():
        with ThreadPoolExecutor(8) as pool:
            return list(pool.map(lambda b: b.get(path), anonymous))

    before = look() + look()   # twice: every worker has built (and cached) the page at least once
    assert all(status == 200 and "0 supporters" in body for status, _, body, _ in before)
    assert any(headers.get("X-Cache") == "hit" for _, headers, _, _ in before)
    supporter = Browser(server)
    supporter.log_in("stoetter-w@example.dk", PASSWORD, then=f"/ideas/{idea_id}")
    status, _, _, _ = supporter.request("POST", f"/ideas/{idea_id}/support",
                                        {"csrf_token": supporter.csrf, "notify": "y"})
    assert status == 302
    after = look()
    assert all(status == 200 and "1 supporter" in body and "0 supporters" not in body
               for status, _, body, _ in after), [h.get("X-Cache") for _, h, _, _ in after]
