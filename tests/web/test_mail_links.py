"""Links in e-mail and calendar addresses point where the portal is actually served.

`make run PORT=8000` passes BASE_URL along to the server and the tick process; a development
server started by hand on another port uses the address the (loopback) request came to. A
configured BASE_URL always wins, and outside development a forged Host header changes nothing."""

import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from portal import create_app
from portal.config import Defaults
from portal.extensions import db
from portal.mail import MemorySender
from portal.models import utcnow
from portal.outbox import deliver_due
from tests.conftest import birth_fields, csrf_token, make_test_config
from tests.factories import make_organisation, make_slot, make_task, make_user

REPO = Path(__file__).resolve().parents[2]


def make_app(database_url, **overrides):
    app = create_app(make_test_config(database_url, **overrides))
    app.extensions["mail_sender"] = MemorySender()
    return app


def served_on(client, base):
    """The test client talking to the server as `base` (scheme, host and port)."""
    plain_open = client.open

    def open_(*args, **kwargs):
        kwargs.setdefault("base_url", base)
        return plain_open(*args, **kwargs)

    client.open = open_
    return client


def register(client):
    data = {"name": "Ida Holm", "email": "ida@example.dk", "password": "lang nok adgangskode",
            "postcode": "2791", "accept_terms": "y", **birth_fields(date(1950, 12, 24)),
            "csrf_token": csrf_token(client, "/register")}
    assert client.post("/register", data=data).status_code == 302


def mailed_link(app):
    with app.app_context():
        deliver_due(app.extensions["mail_sender"], now=utcnow())
        db.session.remove()
    [mail] = app.extensions["mail_sender"].sent
    return re.search(r"(https?://\S+)(/confirm/\S+)", mail.get_body().get_content()).groups()


def test_a_development_server_on_another_port_mails_links_to_that_port(app, database_url):
    dev = make_app(database_url, BASE_URL=Defaults.BASE_URL, DEV_MAIL_PAGE=True)
    client = served_on(dev.test_client(), "http://127.0.0.1:8000")
    register(client)
    base, path = mailed_link(dev)
    assert base == "http://127.0.0.1:8000"
    assert client.get(path).status_code == 302  # confirming the address works from the mail


@pytest.mark.parametrize("host", ["http://evil.example:8000", "http://127.0.0.1.evil.example", "http://10.0.0.5:8000"])
def test_in_development_a_host_other_than_this_machine_is_ignored(app, database_url, host):
    dev = make_app(database_url, BASE_URL=Defaults.BASE_URL, DEV_MAIL_PAGE=True)
    register(served_on(dev.test_client(), host))
    assert mailed_link(dev)[0] == "http://127.0.0.1:5000"


@pytest.mark.parametrize("dev_mail_page", [False, True])
@pytest.mark.parametrize("host", ["http://127.0.0.1:8000", "http://evil.example"])
def test_a_configured_base_url_always_wins_over_the_host_header(app, database_url, host, dev_mail_page):
    configured = make_app(database_url, BASE_URL="https://frivillig.dragoer.dk/", DEV_MAIL_PAGE=dev_mail_page)
    register(served_on(configured.test_client(), host))
    assert mailed_link(configured)[0] == "https://frivillig.dragoer.dk"


def test_without_development_mode_even_the_default_base_url_ignores_the_host(app, database_url):
    production_like = make_app(database_url, BASE_URL=Defaults.BASE_URL, DEV_MAIL_PAGE=False)
    register(served_on(production_like.test_client(), "http://127.0.0.1:8000"))
    assert mailed_link(production_like)[0] == "http://127.0.0.1:5000"


def test_the_calendar_links_follow_the_development_server_too(app, database_url):
    dev = make_app(database_url, BASE_URL=Defaults.BASE_URL, DEV_MAIL_PAGE=True)
    with dev.app_context():
        org = make_organisation(admin=make_user(email="mette@example.dk"))
        task = make_task(org)
        make_slot(task, starts_at=utcnow() + timedelta(days=5))
        db.session.commit()
        task_id = task.id
    feed = served_on(dev.test_client(), "http://127.0.0.1:8000").get("/calendar.ics").get_data(as_text=True)
    assert f"URL:http://127.0.0.1:8000/tasks/{task_id}" in feed
    assert "127.0.0.1:5000" not in feed


@pytest.mark.parametrize("environment, expected", [({}, "http://127.0.0.1:8000"),
                                                   ({"BASE_URL": "https://frivillig.example"},
                                                    "https://frivillig.example")])
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_its_address_to_the_server_and_the_tick_process(environment, expected):
    env = {k: v for k, v in os.environ.items() if k != "BASE_URL"} | environment
    plan = subprocess.run(["make", "-n", "run", "PORT=8000"], cwd=REPO, env=env, capture_output=True, text=True,
                          check=True).stdout
    commands = [line for line in plan.splitlines() if " tick " in line or (" run " in line and "--port" in line)]
    assert len(commands) == 2, plan
    assert all(f'BASE_URL="{expected}"' in line for line in commands), plan
