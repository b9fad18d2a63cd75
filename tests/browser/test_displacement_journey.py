"""Journey (issue 13), the displacement check: a teacher at Dragør Skole posts a task that trips the
check (paid staff did it until last year), first forgets to explain why (the message is next to the
field and the answers are kept), then sends it; the school sees "waiting for the coordinator's review"
with its answers. The coordinator finds it in the queue, approves it with a changed title and a note,
and the school sees the task published under the new title; the public page shows it too. axe runs on
the check page, the queue and the review page in Danish and English."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import OrganisationKind, Task, TaskStatus
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, path_of, shoot,
                                   submit_form, unique_email)
from tests.factories import make_organisation, make_user


def _world(live_server):
    teacher, coordinator = unique_email("jonas"), unique_email("anne")
    tag = teacher[6:12]
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=coordinator, name="Anne Møller", coordinator=True)
        org = make_organisation(admin=make_user(email=teacher, name="Jonas Berg"), name=f"Dragør Skole {tag}",
                                kind=OrganisationKind.school)
        db.session.commit()
        world = {"teacher": teacher, "coordinator": coordinator, "slug": org.slug, "tag": tag}
        db.session.remove()
    return world


def test_a_school_task_is_checked_changed_by_the_coordinator_and_published(new_page, live_server):
    w = _world(live_server)
    title = f"Gårdvagt i frikvarteret {w['tag']}"
    school = new_page()
    log_in(school, w["teacher"])
    school.goto(f"/organisations/{w['slug']}/tasks/new")
    school.fill("#title", title)
    school.fill("#description", "Hold øje med eleverne i skolegården i det store frikvarter.")
    school.select_option("#category", index=1)
    assert school.is_checked("#publish")
    submit_form(school, "main form[method=post]")
    assert path_of(school).endswith("/check"), school.inner_text("main")[:400]
    task_id = int(path_of(school).split("/")[2])
    check_a11y(school, "displacement check (da)")
    check_in_english(school, f"/tasks/{task_id}/check", "displacement check")

    # A "yes" without an explanation: the message is next to the field, the answers are kept.
    school.check("#paid_staff_do_it-0")
    for name in ("regulated_work", "on_excluded_list", "other_concern"):
        school.check(f"#{name}-1")
    submit_form(school, "main form[method=post]")
    assert_error_next_to(school, "explanation")
    assert school.is_checked("#paid_staff_do_it-0") and school.is_checked("#other_concern-1")
    check_a11y(school, "displacement check with an error (da)")
    school.fill("#explanation", "Lærerne havde gårdvagten alene indtil sidste år. Nu vil vi gerne have en ekstra voksen.")
    submit_form(school, "main form[method=post]")
    assert path_of(school) == f"/tasks/{task_id}/times"
    status = school.locator(".displacement-status")
    assert status.is_visible() and "Lærerne havde gårdvagten" in status.inner_text()
    with live_server.app.app_context():
        assert db.session.get(Task, task_id).status is TaskStatus.draft
        db.session.remove()
    check_a11y(school, "task waiting for review (da)")

    # The coordinator approves it with a change.
    anne = new_page()
    log_in(anne, w["coordinator"])
    anne.goto("/coordinator")
    with anne.expect_navigation():
        anne.click("main a[href='/coordinator/reviews']")
    check_a11y(anne, "review queue (da)")
    check_in_english(anne, "/coordinator/reviews", "review queue")
    with anne.expect_navigation():
        anne.click(f"main table a:has-text('{title}')")
    review_path = path_of(anne)
    check_a11y(anne, "review (da)")
    check_in_english(anne, review_path, "review", screenshot="displacement-review")
    assert anne.input_value("#changes-title") == title
    new_title = f"Legeven i frikvarteret {w['tag']}"
    anne.fill("#changes-title", new_title)
    submit_form(anne, f"main form[action='{review_path}/changes']")
    assert_error_next_to(anne, "changes-note")
    assert anne.input_value("#changes-title") == new_title
    anne.fill("#changes-note", "Gårdvagten er lærernes ansvar. Den frivillige sætter lege i gang, læreren har vagten.")
    submit_form(anne, f"main form[action='{review_path}/changes']")
    assert path_of(anne) == "/coordinator/reviews"
    shoot(anne, "displacement-queue-after")

    # The school sees it published under the new title, and so does everyone.
    school.goto(f"/tasks/{task_id}/times")
    assert new_title in school.inner_text("h1")
    assert "Gårdvagten er lærernes ansvar" in school.locator(".displacement-status").inner_text()
    with live_server.app.app_context():
        task = db.session.scalar(select(Task).where(Task.id == task_id))
        assert task.status is TaskStatus.published and task.title == new_title
        db.session.remove()
    visitor = new_page()
    visitor.goto(f"/tasks/{task_id}")
    assert new_title in visitor.inner_text("h1")
    visitor.goto("/volunteering/limits")
    check_a11y(visitor, "what volunteers do not do (da)")
    check_in_english(visitor, "/volunteering/limits", "what volunteers do not do")
