"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
TEST_DB=postgresql and TEST_DATABASE_URL is set (make test does both in CI)."""

import os
import re
import uuid
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db as _db
from portal.mail import MemorySender

# A cheap hash keeps the suite fast; the production setting is pinned in test_security.
FAST_HASH = "scrypt:1024:8:1"


def _postgres_wanted() -> bool:
    return os.environ.get("TEST_DB") == "postgresql"


def create_postgres_database() -> str:
    """A fresh database per test run, so runs never see each other's data."""
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"frivillig_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database=make_url(os.environ["TEST_DATABASE_URL"]).database),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if _postgres_wanted():
        if not os.environ.get("TEST_DATABASE_URL"):
            pytest.exit("TEST_DB=postgresql needs TEST_DATABASE_URL", returncode=2)
        url = create_postgres_database()
        yield url
        drop_postgres_database(url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def make_test_config(database_url, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "MAIL_URL": "memory://",
        "RATELIMIT_ENABLED": False,
        "DEV_MAIL_PAGE": True,
        "BASE_URL": "http://localhost",
    }
    config.update(overrides)
    return config


def seed_reference_data():
    """What the migrations seed (the task categories), for databases made by create_all()."""
    from portal.tasks.services import ensure_categories
    ensure_categories()
    _db.session.commit()
    _db.session.remove()


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(make_test_config(database_url))
    app.extensions["mail_sender"] = MemorySender()
    with app.app_context():
        _db.create_all()
        seed_reference_data()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Every test starts with empty tables (cheaper than recreating them)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())
        seed_reference_data()
        # The rows went behind the session's back: no cached page or feed of the last test may
        # survive into the next.
        from portal import dataversion
        from portal.extensions import cache
        dataversion.bump()
        cache.clear()
    app.extensions["mail_sender"].sent.clear()
    app.extensions["mail_sender"].fail_with = None


@pytest.fixture
def ctx(app):
    """An application and request context, for service tests. Do not combine with `client`:
    requests would share this context's `g` and database session."""
    with app.test_request_context():
        yield
        _db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    """Sends what is due with the in-memory sender and returns the sent messages."""
    from portal.models import utcnow
    from portal.outbox import deliver_due

    sender = app.extensions["mail_sender"]

    def deliver():
        with app.app_context():
            deliver_due(sender, now=utcnow())
            _db.session.remove()
        return sender.sent

    return deliver


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url="/login") -> str:
    response = client.get(url)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def submit(client, url, data=None, *, form_url=None, follow_redirects=False):
    """Posts a form the way a browser does: with the CSRF token from the page."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, form_url or url)
    return client.post(url, data=payload, follow_redirects=follow_redirects)


def birth_fields(d: date, name="birth_date") -> dict:
    return {f"{name}-day": str(d.day), f"{name}-month": str(d.month), f"{name}-year": str(d.year)}


def login(client, email, password="correct horse battery"):
    response = submit(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


@contextmanager
def counting_queries(app):
    """Collects the SQL statements run inside the block (transaction control left out), to
    pin how many queries a page needs."""
    from sqlalchemy import event
    statements = []
    with app.app_context():
        engine = _db.engine

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_or_skip(url: str = REDIS_URL) -> str:
    """The local Redis, or a skip; with REQUIRE_REDIS=1 (CI) a missing Redis fails instead."""
    import redis
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but nothing answers at {url}")
        pytest.skip(f"no Redis at {url} (CI has it)")
    return url
