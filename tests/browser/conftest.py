"""Browser tests: Playwright drives the system Chromium against a live server.

The live server is a real app in a daemon thread with its own database (SQLite file, or a
fresh PostgreSQL database when TEST_DB=postgresql). These tests never use the `app` fixture
from tests/conftest.py; they create their data through the live app and use unique e-mail
addresses, so tests do not see each other's people.

Without /usr/bin/chromium, Python Playwright or axe-core the tests are skipped with the reason."""

import json
import os
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser.helpers import (AXE_JS, AXE_REPORT, BOOM_PATH, CHROMIUM, DESKTOP, LAUNCH_ARGS,
                                   axe_log, unique_email)
from tests.conftest import create_postgres_database, drop_postgres_database, make_test_config


# ---------------------------------------------------------------- live server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # keep the test output readable
        pass


class LiveServer:
    def __init__(self, app, url):
        self.app, self.url = app, url

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from portal import create_app
    from portal.extensions import db

    postgres = os.environ.get("TEST_DB") == "postgresql"
    if postgres:
        if not os.environ.get("TEST_DATABASE_URL"):
            pytest.skip("TEST_DB=postgresql needs TEST_DATABASE_URL for the browser tests' live server")
        database_url = create_postgres_database()
    else:
        database_url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'live.db'}"

    # Bind first (port 0 = any free port), so BASE_URL can name the real port before the
    # app exists; the server calls the app through `holder`.
    holder = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: holder["app"](environ, start),
                         threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    # PROPAGATE_EXCEPTIONS off: TESTING turns it on, and then a crash would show Werkzeug's
    # bare page instead of ours.
    app = create_app(make_test_config(database_url, RATELIMIT_ENABLED=False, DEV_MAIL_PAGE=True,
                                      BASE_URL=url, PROPAGATE_EXCEPTIONS=False))

    @app.get(BOOM_PATH)
    def _boom():  # test-only: proves the 500 page is ours and accessible
        raise RuntimeError("deliberate failure for the browser tests")

    with app.app_context():
        db.create_all()
    holder["app"] = app
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(app, url)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.session.remove()
        if not postgres:
            db.drop_all()
        db.engine.dispose()
    if postgres:
        drop_postgres_database(database_url)


@pytest.fixture
def make_person(live_server):
    """Creates a confirmed user in the live app's database; returns their e-mail address."""
    from portal.extensions import db
    from tests.factories import make_user

    def make(prefix="person", *, name=None, coordinator=False):
        email = unique_email(prefix)
        with live_server.app.app_context():
            make_user(email=email, name=name or f"{prefix.title()} {email[-20:-10]}",
                      coordinator=coordinator)
            db.session.commit()
            db.session.remove()
        return email

    return make


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_available():
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing (run npm ci); browser accessibility tests skipped")


@pytest.fixture
def new_page(browser, axe_available, live_server):
    """Opens a fresh browser (own cookies) for one person; several per test are allowed."""
    contexts = []

    def open_page(**options):
        settings = {"viewport": DESKTOP, "locale": "da-DK", "base_url": live_server.url}
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.problems = []  # CSP violations and uncaught script errors; check_a11y asserts none
        page.on("pageerror", lambda error: page.problems.append(f"uncaught error: {error}"))
        page.on("console", lambda msg: page.problems.append(f"console: {msg.text}")
                if "Content Security Policy" in msg.text else None)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def pytest_sessionfinish(session, exitstatus):
    if axe_log:
        AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
        AXE_REPORT.write_text(json.dumps(axe_log, indent=2, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def make_organisation_for(live_server):
    """Creates an approved organisation in the live app's database with the given person
    (an e-mail address from make_person) as its administrator, and makes sure the task
    categories exist (the migrations seed them; create_all() does not). Returns the slug."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import User
    from portal.tasks.services import ensure_categories
    from tests.factories import make_organisation

    def make(admin_email, name):
        with live_server.app.app_context():
            ensure_categories()
            admin = db.session.scalar(select(User).where(User.email == admin_email))
            slug = make_organisation(admin=admin, name=name).slug
            db.session.commit()
            db.session.remove()
        return slug

    return make
