"""Journey (issue 13), a citizen without e-mail: the coordinator creates an assisted profile for Erna
(consent given by phone; first forgetting the phone number: the message is next to the field and what
was typed is kept), signs her up for Enggården's sing-along, the reminder the day before lands on the
call list instead of in a mailbox, and the coordinator phones her and marks the line "Called". axe runs
in Danish and English on the form, the profile, the call list and the printable schedule; no page
scrolls sideways on a phone."""

from datetime import timedelta

from portal.extensions import db
from portal.models import utcnow
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, path_of, shoot,
                                   submit_form, unique_email)
from tests.factories import make_organisation, make_slot, make_task, make_user


def _world(live_server):
    email = unique_email("anne")
    tag = email[5:11]
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=email, name="Anne Møller", coordinator=True)
        org = make_organisation(admin=make_user(), name=f"Enggården {tag}")
        task = make_task(org, title=f"Fællessang {tag}")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=3), hours=1, capacity=8)
        db.session.commit()
        world = {"email": email, "tag": tag, "task": task.title, "slot": slot.id, "starts_at": slot.starts_at}
        db.session.remove()
    return world


def _fill_date(page, name, day):
    page.fill(f"#{name}-day", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def test_the_coordinator_creates_signs_up_and_phones_a_citizen_without_email(new_page, live_server):
    w = _world(live_server)
    name = f"Erna Holm {w['tag']}"
    anne = new_page()
    log_in(anne, w["email"])
    anne.goto("/coordinator")
    with anne.expect_navigation():
        anne.click("main a[href='/coordinator/assisted']")
    check_a11y(anne, "assisted list (da)")
    check_in_english(anne, "/coordinator/assisted", "assisted list")
    with anne.expect_navigation():
        anne.click("main a[href='/coordinator/assisted/new']")
    check_a11y(anne, "assisted new (da)")
    check_in_english(anne, "/coordinator/assisted/new", "assisted new")

    # The phone number is forgotten first.
    anne.fill("#name", name)
    anne.fill("#postal_address", "Strandstræde 3, 2791 Dragør")
    anne.fill("#note", "Ring efter kl. 10. Hører lidt dårligt.")
    anne.check("#consent_method-0")
    _fill_date(anne, "consent_given_on", utcnow().date() - timedelta(days=1))
    anne.check("#explained")
    submit_form(anne, "main form[action='/coordinator/assisted/new']")
    assert_error_next_to(anne, "phone")
    assert anne.input_value("#name") == name and anne.input_value("#postal_address").startswith("Strandstræde")
    check_a11y(anne, "assisted new with an error (da)")
    anne.fill("#phone", "32 53 12 34")
    anne.check("#explained")
    submit_form(anne, "main form[action='/coordinator/assisted/new']")
    profile_path = path_of(anne)
    assert profile_path.startswith("/coordinator/assisted/") and name in anne.inner_text("h1")
    check_a11y(anne, "assisted profile (da)")
    check_in_english(anne, profile_path, "assisted profile")
    shoot(anne, "assisted-profile")

    # Sign her up for the sing-along: search by title, choose the time.
    anne.fill("#q", w["task"])
    with anne.expect_navigation():
        anne.click("form.assisted-search button[type=submit]")
    anne.select_option("#slot", str(w["slot"]))
    submit_form(anne, f"main form[action='{profile_path}/signups']")
    assert w["task"] in anne.inner_text("#times ~ ul.assisted-times")

    # The tick the day before: the reminder becomes a line on the call list.
    with live_server.app.app_context():
        from portal.signups.services import send_reminders
        assert send_reminders(now=w["starts_at"] - timedelta(hours=20)) >= 1
        db.session.commit()
        db.session.remove()

    anne.goto("/coordinator/call-list")
    check_a11y(anne, "call list (da)")
    check_in_english(anne, "/coordinator/call-list", "call list")
    shoot(anne, "assisted-call-list")
    person = anne.locator("section.assisted-call", has=anne.locator(f"h3:has-text('{name}')"))
    assert person.count() == 1
    assert "32 53 12 34" in person.inner_text() or "32531234" in person.inner_text()
    assert w["task"] in person.locator("article.assisted-line h4").first.inner_text()
    assert name in person.locator(".assisted-readout-text").first.inner_text()
    person.locator("input[name=outcome]").first.fill("Hun kommer")
    with anne.expect_navigation():
        person.locator("button[type=submit]").first.click()
    assert path_of(anne) == "/coordinator/call-list"
    assert anne.locator("section.assisted-call", has=anne.locator(f"h3:has-text('{name}')")).count() == 0
    done = anne.locator("table tbody tr", has=anne.locator(f"td:text-is('{name}')"))
    assert done.count() == 1 and "Hun kommer" in done.inner_text()
    check_a11y(anne, "call list after a call (da)")

    # The printable schedule, big text, with the time and what to read out.
    anne.goto(f"{profile_path}/schedule")
    assert w["task"] in anne.inner_text(".assisted-schedule")
    check_a11y(anne, "assisted schedule (da)")
    check_in_english(anne, f"{profile_path}/schedule", "assisted schedule", screenshot="assisted-schedule")
