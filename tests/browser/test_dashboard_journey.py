"""Journey (issue 13), the dashboard: the coordinator opens it from the coordinator's page, sees a
time that needs people, changes the period to the last 12 months, types a period that ends before
it starts (the message is next to the field, what was typed is kept), and downloads the table of
times needing people as a CSV (the file holds the task). An organisation's admin opens the
organisation's own dashboard. axe runs in Danish and English; no page scrolls sideways on a phone."""

from datetime import timedelta

from portal.extensions import db
from portal.models import Attendance, Signup, SignupState, utcnow
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, path_of, shoot,
                                   unique_email)
from tests.factories import make_organisation, make_slot, make_task, make_user


def _world(live_server):
    email, admin_email = unique_email("koordinator"), unique_email("anna")
    tag = email[12:18]
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        now = utcnow()
        make_user(email=email, name="Mette Koordinator", coordinator=True)
        admin = make_user(email=admin_email, name="Anna Havn")
        org = make_organisation(admin=admin, name=f"Havnens Venner {tag}")
        task = make_task(org, title=f"Strandrensning {tag}")
        make_slot(task, starts_at=now + timedelta(hours=20), capacity=6)
        past = make_slot(task, starts_at=now - timedelta(days=2), hours=3, capacity=6)
        volunteer = make_user()
        db.session.add(Signup(slot_id=past.id, user_id=volunteer.id, state=SignupState.confirmed,
                              attendance=Attendance.attended))
        past.taken = 1
        db.session.commit()
        world = {"email": email, "admin": admin_email, "task": task.title, "task_id": task.id, "slug": org.slug}
        db.session.remove()
    return world


def test_the_coordinator_reads_the_dashboard_changes_the_period_and_downloads_a_csv(new_page, live_server):
    w = _world(live_server)
    page = new_page()
    log_in(page, w["email"])
    page.goto("/coordinator")
    with page.expect_navigation():
        page.click("main a[href='/coordinator/dashboard']")
    assert path_of(page) == "/coordinator/dashboard"
    assert page.locator(f"main a[href='/tasks/{w['task_id']}']").count() >= 1
    assert page.locator("main svg.chart").count() >= 3
    check_a11y(page, "dashboard (da)")
    shoot(page, "dashboard-coordinator")

    # The last 12 months, chosen with the radio buttons of the GET form.
    page.check("#period-1")
    with page.expect_navigation():
        page.click("form.dashboard-picker button[type=submit]")
    assert "period=12m" in page.url
    assert page.locator("#period-1").is_checked()
    months = page.locator("#dash-hours-months table tbody tr")
    assert months.count() == 12
    check_a11y(page, "dashboard 12 months (da)")

    # A period that ends before it starts: the message is next to the field, the days stay typed.
    page.check("#period-3")
    page.fill("#start", "2026-05-02")
    page.fill("#end", "2026-05-01")
    with page.expect_navigation():
        page.click("form.dashboard-picker button[type=submit]")
    assert_error_next_to(page, "end")
    assert page.input_value("#start") == "2026-05-02" and page.input_value("#end") == "2026-05-01"
    check_a11y(page, "dashboard with an error (da)")

    # Back to this month, then the CSV of the times needing people.
    page.goto("/coordinator/dashboard?period=month")
    with page.expect_download() as info:
        page.click("main a[href*='csv=urgent']")
    download = info.value
    assert download.suggested_filename.startswith("dashboard-urgent-")
    body = open(download.path(), encoding="utf-8-sig").read()
    assert w["task"] in body and body.splitlines()[0].startswith('"')

    check_in_english(page, "/coordinator/dashboard?period=12m", "dashboard")
    page.goto("/coordinator/dashboard?period=12m&lang=en")
    text = page.inner_text("main")
    assert "vs. previous period" in text or "nothing to compare with" in text
    page.goto("/coordinator/dashboard?lang=da")


def test_an_organisation_reads_its_own_dashboard(new_page, live_server):
    w = _world(live_server)
    page = new_page()
    log_in(page, w["admin"])
    page.goto(f"/organisations/{w['slug']}")
    with page.expect_navigation():
        page.click(f"main a[href='/organisations/{w['slug']}/dashboard']")
    assert page.locator(f"main a[href='/tasks/{w['task_id']}']").count() >= 1
    check_a11y(page, "organisation dashboard (da)")
    check_in_english(page, f"/organisations/{w['slug']}/dashboard", "organisation dashboard")
    shoot(page, "dashboard-organisation")
