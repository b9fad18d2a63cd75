"""Journey (issue 13), the volunteer charter: an institution requires it; a volunteer presses "sign up",
is sent to the charter, tries to go on without ticking the box (the message is next to it), accepts, is
back on the task page with "choose your time again" and signs up. The coordinator publishes a new version
in the editor; the volunteer is asked again at the next sign-up. The contact person for volunteers is on
the task page. axe runs on /charter, the accept page and the editor in Danish and English."""

from datetime import timedelta
from urllib.parse import urlsplit

from portal.extensions import db
from portal.models import OrganisationKind, utcnow
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, path_of, shoot,
                                   submit_form, unique_email)
from tests.factories import make_organisation, make_slot, make_task, make_user


def _world(live_server):
    volunteer, coordinator = unique_email("karen"), unique_email("anne")
    tag = volunteer[6:12]
    with live_server.app.app_context():
        from portal.charter import services as charter
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=volunteer, name="Karen Holm")
        anne = make_user(email=coordinator, name="Anne Møller", coordinator=True)
        org = make_organisation(admin=make_user(), name=f"Enggården {tag}", kind=OrganisationKind.care_home)
        org.requires_code_of_conduct = True
        org.volunteer_contact_name, org.volunteer_contact_phone = "Birgit Sørensen", "32 89 10 25"
        task = make_task(org, title=f"Cykeltur med beboerne {tag}")
        first = make_slot(task, starts_at=utcnow() + timedelta(days=5), capacity=4)
        second = make_slot(task, starts_at=utcnow() + timedelta(days=12), capacity=4)
        # The live server is shared by the session: publish a version of our own, whatever came before.
        latest = charter.current()
        charter.publish(anne, body_da=f"Vi møder hinanden med respekt. ({tag})\n\nDu har tavshedspligt.",
                        body_en=f"We treat each other with respect. ({tag})\n\nYou keep what you hear to yourself.",
                        now=utcnow())
        db.session.commit()
        world = {"volunteer": volunteer, "coordinator": coordinator, "task": task.id, "first": first.id,
                 "second": second.id, "tag": tag, "version": (latest.version if latest else 0) + 1}
        db.session.remove()
    return world


def _sign_up(page, task_id, slot_id):
    page.goto(f"/tasks/{task_id}")
    submit_form(page, f"main form[action='/slots/{slot_id}/signup']")


def test_a_volunteer_accepts_the_charter_before_signing_up_and_again_after_a_new_version(new_page, live_server):
    w = _world(live_server)
    karen = new_page()
    log_in(karen, w["volunteer"])

    karen.goto(f"/tasks/{w['task']}")
    assert karen.locator("#charter-note").is_visible()
    assert "Birgit Sørensen" in karen.inner_text("#volunteer-contact")
    assert "32 89 10 25" in karen.inner_text("#volunteer-contact")
    check_a11y(karen, "task page asking for the charter (da)")

    # Signing up leads to the charter first; nothing is booked yet.
    _sign_up(karen, w["task"], w["first"])
    assert path_of(karen) == "/charter/accept"
    assert w["tag"] in karen.inner_text("main")
    check_a11y(karen, "accept the charter (da)")
    shoot(karen, "charter-accept")

    # Without the tick: a message next to the box.
    submit_form(karen, "#charter-accept-form")
    assert path_of(karen) == "/charter/accept"
    assert_error_next_to(karen, "accept")
    check_a11y(karen, "accept the charter with an error (da)")

    karen.check("#accept")
    submit_form(karen, "#charter-accept-form")
    assert path_of(karen) == f"/tasks/{w['task']}"
    assert karen.locator(".alert-success").count() >= 1
    assert karen.locator(f"form[action='/signups/{0}/cancel']").count() == 0  # not signed up automatically
    assert karen.locator("#charter-note").count() == 1 and not karen.locator("#charter-note.alert").count()

    _sign_up(karen, w["task"], w["first"])
    assert path_of(karen) == f"/tasks/{w['task']}"
    assert karen.locator("main form[action*='/cancel']").count() == 1  # signed up for the first time

    # The coordinator publishes a new version in the editor.
    anne = new_page()
    log_in(anne, w["coordinator"])
    anne.goto("/coordinator")
    with anne.expect_navigation():
        anne.click("main a[href='/coordinator/charter']")
    check_a11y(anne, "charter editor (da)")
    assert anne.input_value("#body_en").startswith("We treat each other with respect.")
    anne.fill("#body_da", anne.input_value("#body_da") + "\n\nSig til i god tid, hvis du ikke kan komme.")
    anne.fill("#body_en", anne.input_value("#body_en") + "\n\nTell us in good time if you cannot come.")
    submit_form(anne, "main form[action='/coordinator/charter']")
    assert path_of(anne) == "/coordinator/charter"
    history = anne.inner_text("#charter-history")
    assert str(w["version"] + 1) in history
    check_in_english(anne, "/coordinator/charter", "charter editor")

    # Karen is asked again before her next sign-up.
    _sign_up(karen, w["task"], w["second"])
    assert path_of(karen) == "/charter/accept"
    assert "Sig til i god tid" in karen.inner_text("main")
    here = urlsplit(karen.url)
    check_in_english(karen, f"{here.path}?{here.query}", "accept a new version of the charter")
    karen.check("#accept")
    submit_form(karen, "#charter-accept-form")
    _sign_up(karen, w["task"], w["second"])
    assert karen.locator("main form[action*='/cancel']").count() == 2

    # The public page, in both languages.
    visitor = new_page()
    visitor.goto("/")
    with visitor.expect_navigation():
        visitor.click("footer a[href='/charter']")
    assert "Tell us in good time" not in visitor.inner_text("main")  # Danish by default
    assert "Sig til i god tid" in visitor.inner_text("main")
    check_a11y(visitor, "the volunteer charter (da)")
    check_in_english(visitor, "/charter", "the volunteer charter")
