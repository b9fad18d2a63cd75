"""A feature adds itself (design.md, house rule 9): its menu item (portal/web/nav.py) and its
tick steps (portal/jobs.py) are registered from its own package, without editing header.html or cli.py."""

from datetime import datetime, timezone

from portal import jobs
from portal.web import nav
from tests.conftest import login
from tests.factories import make_user
from portal.extensions import db


def test_the_menu_lists_what_features_registered_in_order_for_each_role(app, client, monkeypatch):
    monkeypatch.setitem(nav._items, "main.contact",
                        nav.MenuItem("main.contact", "Kontakt", None, 35, nav.signed_in))
    html = client.get("/").get_data(as_text=True)
    menu = html[html.index('class="site-nav__list'):html.index("</nav>")]
    assert "Kontakt" not in menu  # only for those signed in
    assert menu.index('href="/"') < menu.index('href="/tasks"') < menu.index('href="/organisations"') \
        < menu.index('href="/register"') < menu.index('href="/login"')

    with app.app_context():
        make_user(email="karen@example.dk")
        db.session.commit()
    login(client, "karen@example.dk")
    menu = client.get("/contact").get_data(as_text=True)
    menu = menu[menu.index('class="site-nav__list'):menu.index("</nav>")]
    assert '<a href="/contact" aria-current="page">Kontakt</a>' in menu
    assert menu.index('href="/organisations"') < menu.index('href="/contact"') < menu.index('href="/me"')
    assert 'href="/login"' not in menu and 'href="/coordinator"' not in menu


def test_tick_runs_the_registered_steps_in_order_each_committed_on_its_own(app, monkeypatch):
    from portal.cli import run_time_based_work

    assert [step.name for step in jobs.steps()][:4] == ["slots", "expired", "reminders", "digests"]
    calls = []
    monkeypatch.setattr("tests.web.test_registries.recorded", lambda *, now: calls.append(now) or 7, raising=False)
    monkeypatch.setitem(jobs._steps, "recorded", jobs.Step("recorded", "tests.web.test_registries:recorded", 99))
    now = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
    with app.app_context():
        done = run_time_based_work(now=now)
    assert done["recorded"] == 7 and calls == [now]
    assert list(done)[:4] == ["slots", "expired", "reminders", "digests"]
