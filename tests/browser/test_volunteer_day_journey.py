"""Journey (issue 12), the volunteer day: a first-time volunteer finds Frivillig Fredag on /events,
reads its programme, follows the link to the taster tasks only, signs up for a "prøv en opgave"
time, and the day's count of first-timers goes up. axe runs on /events, the event page, the
filtered task list and the task page in Danish and English; the pages fit a phone's width;
screenshots go to build/screenshots."""

import re
from datetime import date, time, timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import Signup, User, utcnow
from tests.browser.helpers import check_a11y, check_in_english, log_in, path_of, shoot, submit_form, unique_email
from tests.factories import make_event, make_organisation, make_slot, make_task, make_user


def _world(live_server):
    """A published volunteer day with a programme, a helper task and a taster task; one person who
    has volunteered before and one real first-timer are already signed up."""
    from portal.models import EventItem
    from portal.signups.services import sign_up
    from portal.tasks.services import ensure_categories

    emails = {key: unique_email(key) for key in ("admin", "veteran", "newbie", "laura")}
    with live_server.app.app_context():
        ensure_categories()
        people = {key: make_user(email=email, name=name, birth_date=date(1990, 5, 17))
                  for (key, email), name in zip(emails.items(), ("Mette Lund", "Ole Veteran", "Nina Ny", "Laura Holm"))}
        org = make_organisation(admin=people["admin"], name=f"Repaircaféen {emails['admin'][6:12]}")
        starts = to_utc(to_local(utcnow()).date() + timedelta(days=40), time(13))
        event = make_event(slug=f"frivillig-fredag-{emails['admin'][6:16]}", title="Frivillig Fredag i Dragør",
                           starts_at=starts)
        db.session.add(EventItem(event_id=event.id, starts_at=starts, title="Borgmesteren byder velkommen"))
        db.session.add(EventItem(event_id=event.id, starts_at=starts + timedelta(hours=3),
                                 title="Årets frivilligpriser uddeles"))
        helper = make_task(org, title="Stil telte op til Frivillig Fredag")
        taster = make_task(org, title="Prøv en opgave: lap en cykel")
        earlier = make_task(org, title="Kaffe i caféen")
        helper.event_id = taster.event_id = event.id
        taster.is_taster = True
        make_slot(helper, starts_at=starts, hours=3, capacity=6)
        taster_slot = make_slot(taster, starts_at=starts + timedelta(hours=1), capacity=3)
        earlier_slot = make_slot(earlier, starts_at=utcnow() + timedelta(days=2))
        db.session.commit()
        now = utcnow()
        sign_up(people["veteran"], earlier_slot, now=now - timedelta(days=1), send_mail=False)
        sign_up(people["veteran"], taster_slot, now=now, send_mail=False)      # has volunteered before
        sign_up(people["newbie"], taster_slot, now=now, send_mail=False)       # a first-timer already
        db.session.commit()
        ids = dict(slug=event.slug, taster=taster.id, helper=helper.id, taster_slot=taster_slot.id,
                   laura=emails["laura"])
        db.session.remove()
    return ids


def _first_timers(page) -> int:
    found = page.locator("#first-timers")
    if found.count() == 0:
        return 0
    return int(re.search(r"\d+", found.inner_text()).group(0))


def test_a_first_time_volunteer_tries_a_task_on_frivillig_fredag(page, live_server):
    world = _world(live_server)
    event_path = f"/events/{world['slug']}"

    # --- from the task list, the hint under "Taster tasks only" leads to the events
    page.goto("/tasks")
    with page.expect_navigation():
        page.click("#f-taster-hint a[href='/events']")
    assert path_of(page) == "/events"
    check_a11y(page, "events (da)")
    check_in_english(page, "/events", "events", screenshot="events-list")
    shoot(page, "events-list-da")
    with page.expect_navigation():
        page.click(f"main a[href='{event_path}']")
    assert path_of(page) == event_path

    # --- the day's page: programme in order, the tasks, the taster tag, one first-timer so far
    check_a11y(page, "volunteer day (da)")
    shoot(page, "volunteer-day-da")
    check_in_english(page, event_path, "volunteer day", screenshot="volunteer-day")
    programme = page.locator("main .event-programme__item").all_inner_texts()
    assert len(programme) == 2 and "Borgmesteren" in programme[0] and "frivilligpriser" in programme[1]
    assert page.locator(f"main .event-task a[href='/tasks/{world['helper']}']").count() == 1
    assert page.locator(f"main .event-task--taster a[href='/tasks/{world['taster']}']").count() == 1
    assert page.locator("main .event-task--taster .taster-tag").count() == 1
    assert _first_timers(page) == 1                   # the newcomer, not the veteran
    assert "@" not in page.locator("#first-timers").inner_text()

    # --- Laura logs in and follows the link to the taster tasks only
    log_in(page, world["laura"])
    page.goto(event_path)
    with page.expect_navigation():
        page.click("main a[href='/tasks?taster=1']")
    assert path_of(page) == "/tasks"
    assert page.locator("#f-taster").is_checked()
    assert page.locator(f"main a[href='/tasks/{world['taster']}']").count() == 1
    assert page.locator(f"main a[href='/tasks/{world['helper']}']").count() == 0
    check_a11y(page, "taster tasks (da)")
    check_in_english(page, "/tasks?taster=1", "taster tasks")
    shoot(page, "taster-tasks-da")

    # --- the taster task: the tag, the event link, and she signs up for the time
    with page.expect_navigation():
        page.click(f"main a[href='/tasks/{world['taster']}']")
    assert page.locator(f"main a[href='{event_path}']").count() == 1
    assert page.locator("main .taster-tag").count() == 1
    check_a11y(page, "taster task (da)")
    check_in_english(page, f"/tasks/{world['taster']}", "taster task")
    submit_form(page, f"main form[action='/slots/{world['taster_slot']}/signup']")
    assert page.locator(f"#slot-{world['taster_slot']} form[action^='/signups/']").count() == 1  # she can cancel

    # --- the count on the day's page went up, for anyone looking
    page.goto(event_path)
    assert _first_timers(page) == 2
    shoot(page, "volunteer-day-after-da")
    with live_server.app.app_context():
        laura = db.session.scalar(select(User.id).where(User.email == world["laura"]))
        assert db.session.scalar(select(Signup.slot_id).where(Signup.user_id == laura)) == world["taster_slot"]
        db.session.remove()
