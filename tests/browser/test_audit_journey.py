"""Journey (issue 13), the audit log and the private small-jobs counter: an organiser downloads a task's
list of participants; the coordinator opens the audit log from the coordinator's page, searches for the
volunteer by name and sees the download (a bad date gets its message next to the field); the volunteer's
data export says who saw their contact details; the volunteer keeps a private limit for small jobs (a
wrong limit first: the message is next to the field, what was typed stays). axe in Danish and English on
/coordinator/audit and /me/small-jobs; neither scrolls sideways on a phone."""

import json

from portal.core.timeutil import month_bounds, to_local
from portal.extensions import db
from portal.models import Signup, SignupState, utcnow
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, log_out, path_of,
                                   shoot, submit_form, unique_email)
from tests.factories import make_organisation, make_slot, make_task, make_user


def _world(live_server):
    tag = unique_email()[7:13]
    world = {"coordinator": unique_email("anne"), "organiser": unique_email("mette"),
             "volunteer": unique_email("karen"), "name": f"Karen Holm {tag}", "organiser_name": f"Mette Lund {tag}"}
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=world["coordinator"], name="Anne Møller", coordinator=True)
        org = make_organisation(admin=make_user(email=world["organiser"], name=world["organiser_name"]),
                                name=f"Wiedergården {tag}")
        karen = make_user(email=world["volunteer"], name=world["name"])
        task = make_task(org, title=f"Hjælp med havearbejde {tag}")
        task.is_small_job = True
        # A time at the start of this (Copenhagen) month, so its three booked hours are this month's.
        today = to_local(utcnow()).date()
        slot = make_slot(task, starts_at=month_bounds(today.year, today.month)[0], hours=3)
        db.session.add(Signup(slot_id=slot.id, user_id=karen.id, state=SignupState.confirmed))
        slot.taken = 1
        db.session.commit()
        world.update(task=task.id, title=task.title, org=org.name)
        db.session.remove()
    return world


def test_a_roster_download_shows_in_the_audit_log_and_in_the_volunteers_export(new_page, live_server):
    w = _world(live_server)

    # The organiser downloads the task's list of participants.
    page = new_page()
    log_in(page, w["organiser"])
    page.goto(f"/tasks/{w['task']}/times")
    with page.expect_download() as info:
        page.click(f"main a[href='/tasks/{w['task']}/roster.csv']")
    assert w["name"] in open(info.value.path(), encoding="utf-8-sig").read()
    log_out(page)

    # The coordinator finds it by the volunteer's name.
    log_in(page, w["coordinator"])
    page.goto("/coordinator")
    with page.expect_navigation():
        page.click("main a[href='/coordinator/audit']")
    check_a11y(page, "audit log (da)")
    page.fill("#end", "9999-01-01")
    with page.expect_navigation():
        page.click("form.audit-filters button[type=submit]")
    assert_error_next_to(page, "end")
    check_a11y(page, "audit log with an error (da)")
    page.fill("#end", "")
    page.fill("#person", w["name"])
    with page.expect_navigation():
        page.click("form.audit-filters button[type=submit]")
    table = page.locator("main table.audit-table tbody")
    assert table.locator("tr").count() == 1
    row = table.inner_text()
    assert w["organiser_name"] in row and w["title"] in row and w["org"] in row
    check_a11y(page, "audit log filtered (da)")
    shoot(page, "audit-log-filtered")
    check_in_english(page, path_of(page) + "?" + page.url.split("?", 1)[1], "audit log filtered")
    assert "List of participants downloaded" in page.inner_text("main") or \
        "Deltagerliste hentet" in page.inner_text("main")
    with page.expect_download() as info:
        page.click("main a[href^='/coordinator/audit.csv']")
    body = open(info.value.path(), encoding="utf-8-sig").read()
    assert w["organiser_name"] in body and body.splitlines()[0].startswith('"')
    log_out(page)

    # The volunteer sees it in her own data export, and keeps her private small-jobs limit.
    log_in(page, w["volunteer"])
    with page.expect_download() as info:
        page.goto("/me")
        page.click("main a[href='/me/export']")
    export = json.loads(open(info.value.path(), encoding="utf-8").read())
    seen = export["workbench"]["seen_by"]
    assert [(s["who"], s["what"], s["organisation"]) for s in seen] == [(w["organiser_name"], "roster_exported", w["org"])]

    page.goto("/me")
    with page.expect_navigation():
        page.click("main a[href='/me/small-jobs']")
    check_a11y(page, "my small jobs (da)")
    page.fill("#limit", "12,5")
    submit_form(page)
    assert_error_next_to(page, "limit")
    assert page.input_value("#limit") == "12,5"
    check_a11y(page, "my small jobs with an error (da)")
    page.fill("#limit", "3")
    submit_form(page)
    assert page.input_value("#limit") == "3" and page.locator("meter#small-job-meter").count() == 1
    assert page.locator(".small-job-alert.alert-error").count() == 1        # 3 booked hours of 3: at the limit
    check_a11y(page, "my small jobs with a limit (da)")
    shoot(page, "my-small-jobs")
    check_in_english(page, "/me/small-jobs", "my small jobs")

    # The same warning on the small job's own page, for her only.
    page.goto(f"/tasks/{w['task']}")
    assert page.locator(".small-job-alert").count() == 1
    log_out(page)
    page.goto(f"/tasks/{w['task']}")
    assert page.locator(".small-job-alert").count() == 0 and page.locator(".small-job-note").count() == 1
