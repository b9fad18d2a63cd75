"""Journey C: an organisation posts a weekly task, volunteers sign up, cancel and take a place
from the waitlist. Several people, each in their own browser; axe on every page, in Danish,
and in English on the main task pages."""

import re
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, focused,
                                   log_in, open_mail, path_of, shoot, submit_form, tab_to)

CPH = ZoneInfo("Europe/Copenhagen")
TITLE = "Cykeltur med beboerne – 8. klasse"
THURSDAY = 3


@contextmanager
def _live_db(live_server):
    """The live app's database session, for what a person cannot see in the browser (the
    .ics attachment) and for finding the ids the pages use."""
    from portal.extensions import db
    with live_server.app.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()


def _slots_of(live_server, task_id) -> dict[tuple[date, time], dict]:
    """The task's times keyed by local (date, start time)."""
    from sqlalchemy import select

    from portal.models import Slot
    with _live_db(live_server) as session:
        slots = session.scalars(select(Slot).where(Slot.task_id == task_id).order_by(Slot.starts_at)).all()
        return {(s.starts_at.astimezone(CPH).date(), s.starts_at.astimezone(CPH).time()):
                {"id": s.id, "capacity": s.capacity, "taken": s.taken,
                 "ends": s.ends_at.astimezone(CPH).time()} for s in slots}


def _signups_of(live_server, email) -> list[tuple[int, int, str]]:
    """(signup id, slot id, state) of one person's sign-ups, oldest first."""
    from sqlalchemy import select

    from portal.models import Signup, User
    with _live_db(live_server) as session:
        rows = session.execute(select(Signup.id, Signup.slot_id, Signup.state).join(User, User.id == Signup.user_id)
                               .where(User.email == email).order_by(Signup.id)).all()
        return [(i, slot, state.value) for i, slot, state in rows]


def _mails_to(live_server, email) -> list[dict]:
    from sqlalchemy import select

    from portal.models import OutboxMessage
    with _live_db(live_server) as session:
        return [{"subject": m.subject, "body": m.body_text, "attachment": m.attachment,
                 "attachment_type": m.attachment_type}
                for m in session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == email)
                                         .order_by(OutboxMessage.id))]


def _danish_day(day: date) -> str:
    """How the site writes a date in a Danish time span: "torsdag 26. november 2026"."""
    return format_date(day, "full", locale="da")


def _danish_month(day: date) -> str:
    """The month calendar's heading: "December 2026"."""
    name = format_date(day, "MMMM y", locale="da")
    return name[:1].upper() + name[1:]


def _empty_month_reachable_by_keyboard(page, t1: date) -> None:
    """A month without times says so, and at phone width its sideways-scrolling grid,
    which then holds no link, can still be reached and scrolled with the keyboard."""
    back_to = page.url
    empty = date(t1.year + (t1.month + 3) // 12, (t1.month + 3) % 12 + 1, 1)   # weekly times reach 8 weeks on
    page.goto(f"/tasks?view=month&month={empty:%Y-%m}")
    note = page.inner_text("main .month-note")
    assert f"Der er ingen kommende tider i {format_date(empty, 'MMMM y', locale='da')}" in note, note
    check_a11y(page, "month calendar without times")
    check_in_english(page, f"/tasks?view=month&month={empty:%Y-%m}", "month calendar without times",
                     screenshot="tasks-month-empty")
    page.goto(f"/tasks?view=month&month={empty:%Y-%m}&q=ingenopgavehedderså")   # so surely no link in the grid
    assert page.locator("main .month-grid a").count() == 0
    assert "Der er heller ingen senere tider, der passer til dine valg." in page.inner_text("main .month-note")
    shoot(page, "tasks-month-empty")
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        tab_to(page, "main .table--responsive-scroll")
        region = page.locator("main .table--responsive-scroll")
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("aria-label") == f"Kalender for {format_date(empty, 'MMMM y', locale='da')}"
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the grid should scroll sideways on a phone"
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('main .table--responsive-scroll').scrollLeft > 0")
    finally:
        page.set_viewport_size(size)
    page.goto(back_to)


def _click(page, selector):
    with page.expect_navigation():
        page.click(selector)


def _success_shown(page):
    assert page.locator("main .alert-success").is_visible(), page.inner_text("main")[:800]


def test_enggaarden_posts_a_weekly_bike_ride_volunteers_sign_up_cancel_and_take_a_waitlist_place(
        new_page, make_person, make_organisation_for, live_server):
    """Enggården's administrator posts "Cykeltur med beboerne – 8. klasse" (every Thursday
    13–14, 6 places) through the forms, makes a mistake in the single-time form (end before
    start, no places) and sees both messages next to their fields with the values kept, then
    adds a single time with 1 place. Volunteer 1 finds the ride in the month calendar, signs
    up for three Thursdays with the series form, gets one e-mail whose .ics holds the three
    times, and cancels one on Min side. Volunteer 2 takes the single place with the keyboard
    only; volunteer 3 joins the waitlist as number 1; volunteer 2 cancels, volunteer 3 gets
    the offer e-mail, accepts, and is then signed up on the task page and on Min side.
    axe passes on every page (Danish), and in English on the main task pages."""
    today = datetime.now(CPH).date()
    t1 = today + timedelta(days=2)
    t1 += timedelta(days=(THURSDAY - t1.weekday()) % 7)   # the first Thursday at least 2 days ahead
    thursdays = [t1, t1 + timedelta(days=7), t1 + timedelta(days=14)]
    single_day = today + timedelta(days=4)                 # the waitlist time: far enough for a held offer

    admin = make_person("enggaarden", name="Else Enggården")
    slug = make_organisation_for(admin, "Enggården")
    volunteer1 = make_person("frivillig1", name="Frida Første")
    volunteer2 = make_person("frivillig2", name="Anders Anden")
    volunteer3 = make_person("frivillig3", name="Tina Tredje")

    # ------------------------------------------------ the administrator posts the task
    else_ = new_page()
    log_in(else_, admin)
    _click(else_, f"main a[href='/organisations/{slug}']")
    check_a11y(else_, "organisation page seen by its administrator")
    _click(else_, f"main a[href='/organisations/{slug}/tasks']")
    assert path_of(else_) == f"/organisations/{slug}/tasks"
    check_a11y(else_, "the organisation's tasks (none yet)")
    shoot(else_, "tasks-manage-empty")
    _click(else_, f"main a[href='/organisations/{slug}/tasks/new']")
    check_a11y(else_, "post a new task")
    shoot(else_, "task-new")
    assert else_.input_value("#contact_email") == admin, "the contact person starts as the one posting"

    else_.fill("#title", TITLE)
    else_.fill("#description", "Vi cykler en tur med beboerne i rickshaw. Elever fra 8. klasse "
                               "træder i pedalerne, og beboerne nyder turen langs stranden.")
    else_.select_option("#category", label="Ældre")
    else_.check("input[name=kind][value=recurring]")
    else_.fill("#place_name", "Enggården, hovedindgangen")
    else_.fill("#address", "Engvej 10")
    else_.fill("#postcode", "2791")
    else_.fill("#city", "Dragør")
    else_.fill("#min_age", "13")
    else_.check("input[name=physical_demand][value=moderate]")
    else_.fill("#what_to_bring", "Tøj efter vejret og cykelhjelm.")
    else_.fill("#contact_name", "Else Enggården")
    else_.fill("#contact_phone", "32 89 12 34")
    else_.fill("#cancel_deadline_hours", "24")
    assert else_.is_checked("#publish")
    submit_form(else_, "main form[method=post]")
    if re.fullmatch(r"/tasks/\d+/check", path_of(else_)):
        # Enggården is a municipal care home: before publishing, the displacement check's four
        # questions ("frivillige må ikke erstatte fagpersonale"); all "no" publishes the task.
        check_a11y(else_, "the displacement check")
        for question in ("paid_staff_do_it", "regulated_work", "on_excluded_list", "other_concern"):
            else_.check(f"input[name={question}][value=no]")
        submit_form(else_, "main form[method=post]")
    match = re.fullmatch(r"/tasks/(\d+)/times", path_of(else_))
    assert match, f"after saving, the times page should open, got {else_.url}: {else_.inner_text('main')[:500]}"
    task_id = int(match.group(1))
    times_path = f"/tasks/{task_id}/times"
    _success_shown(else_)
    assert else_.inner_text("main h1") == TITLE
    check_a11y(else_, "times page of a new task")

    # Every Thursday 13–14, 6 places, from the first Thursday on.
    else_.check("#rule-weekdays-3")
    else_.check("#rule-every_weeks-0")
    else_.fill("#rule-starts", "13:00")
    else_.fill("#rule-ends", "14:00")
    else_.fill("#rule-first_date", t1.isoformat())
    else_.fill("#rule-capacity", "6")
    submit_form(else_, f"main form[action='/tasks/{task_id}/rule']")
    assert path_of(else_) == times_path, else_.inner_text("main")[:800]
    _success_shown(else_)
    slots = _slots_of(live_server, task_id)
    for day in thursdays:
        slot = slots.get((day, time(13, 0)))
        assert slot and slot["ends"] == time(14, 0) and slot["capacity"] == 6, f"no 13–14 time with 6 places on {day}"
    assert all(day.weekday() == THURSDAY and start == time(13, 0) for day, start in slots), slots
    assert else_.locator("main table tbody tr").count() == len(slots)
    # The rule form shows what was saved.
    assert else_.is_checked("#rule-weekdays-3") and else_.input_value("#rule-capacity") == "6"
    check_a11y(else_, "times page with weekly times")
    shoot(else_, "task-times")
    check_in_english(else_, times_path, "times page with weekly times", screenshot="task-times")

    # ------------------------------------------------ volunteer 1 finds it in the month calendar
    frida = new_page()
    frida.goto("/tasks")
    check_a11y(frida, "find a task (list)")
    shoot(frida, "tasks-list")
    assert frida.locator(f"main a[href='/tasks/{task_id}']").count() == 1, "the new task is in the list"
    _click(frida, "main nav.view-switch a[href*='view=month']")
    check_a11y(frida, "month calendar")
    shoot(frida, "tasks-month")
    if t1.month != today.month:
        # Late in a month this month may have no times left: the calendar then opens on the
        # next month with times and says so; otherwise (other times this month) one click on.
        if frida.locator("main .month-note").count():
            assert "den næste måned med tider" in frida.inner_text("main .month-note")
        if frida.text_content("#month-heading").strip() != _danish_month(t1):
            _click(frida, f"main a[href*='month={t1:%Y-%m}']")
            check_a11y(frida, "month calendar, next month")
    assert frida.text_content("#month-heading").strip() == _danish_month(t1)
    _empty_month_reachable_by_keyboard(frida, t1)
    first_slot = slots[(t1, time(13, 0))]["id"]
    link = frida.locator(f"table.month-grid a.month-grid__slot[href='/tasks/{task_id}#slot-{first_slot}']")
    if link.count() == 0 and frida.locator("table.month-grid a.calendar-more").count():
        # Other journeys on the same server may fill that Thursday with earlier times (a day shows its
        # first four and "+N more"): narrowed to Enggården, the calendar shows the ride itself.
        frida.goto(f"/tasks?view=month&month={t1:%Y-%m}&organisation={slug}")
    assert link.count() == 1, f"the time on {t1} is not in the month calendar"
    assert TITLE in link.inner_text()
    day_in_cell = link.evaluate("a => a.closest('td').querySelector('.month-grid__day').firstChild.textContent.trim()")
    assert day_in_cell == str(t1.day), f"the time on {t1} is shown in the cell of day {day_in_cell}"
    with frida.expect_navigation():
        link.click()
    assert path_of(frida) == f"/tasks/{task_id}" and frida.url.endswith(f"#slot-{first_slot}")
    assert frida.inner_text("main h1") == TITLE
    assert frida.locator("form[action$='/signup']").count() == 0, "no sign-up buttons before logging in"
    assert frida.locator("#series").count() == 0
    check_a11y(frida, "task page, logged out")
    shoot(frida, "task-page-logged-out")

    # She logs in from the task page and comes back to it.
    _click(frida, f"main a[href^='/login?next=']")
    log_in(frida, volunteer1)
    assert path_of(frida) == f"/tasks/{task_id}", "after logging in, the task page is shown again"
    check_a11y(frida, "task page, logged in")
    shoot(frida, "task-page")

    # Three Thursdays with the series form.
    frida.fill("#first", thursdays[0].isoformat())
    frida.fill("#last", thursdays[-1].isoformat())
    submit_form(frida, f"main form[action^='/tasks/{task_id}/series']")
    assert path_of(frida) == f"/tasks/{task_id}"
    _success_shown(frida)
    assert frida.locator("main .alert-warning").count() == 0, frida.inner_text("main")[:800]
    mine = {slot for _, slot, state in _signups_of(live_server, volunteer1) if state == "confirmed"}
    assert mine == {slots[(d, time(13, 0))]["id"] for d in thursdays}
    for slot_id in mine:
        row = frida.locator(f"#slot-{slot_id}")
        assert row.locator(".slot-status strong").count() == 1, f"time {slot_id} does not say signed up"
        assert row.locator("form[action$='/cancel']").count() == 1
        assert row.locator("form[action$='/signup']").count() == 0
    check_a11y(frida, "task page after signing up for three Thursdays")
    shoot(frida, "task-page-signed-up")

    # One e-mail with the three dates and an .ics with three events.
    open_mail(frida, volunteer1, "/tasks/")
    check_a11y(frida, "series confirmation e-mail in the development outbox")
    shoot(frida, "mail-series")
    body = frida.inner_text("pre.mail-body")
    for day in thursdays:
        assert _danish_day(day) in body, f"the e-mail does not mention {_danish_day(day)}:\n{body}"
    mails = _mails_to(live_server, volunteer1)
    assert len(mails) == 1, [m["subject"] for m in mails]
    _assert_ics_has(mails[0], thursdays)

    # She cancels the middle Thursday on Min side.
    _click(frida, "header nav a[href='/me']")
    check_a11y(frida, "my page with three sign-ups")
    shoot(frida, "me-signed-up")
    upcoming = frida.locator("main ul.my-list li:has(form[action$='/cancel'])")
    assert upcoming.count() == 3
    for day in thursdays:
        assert frida.locator("main ul.my-list li", has_text=_danish_day(day)).count() == 1, f"{day} is not on Min side"
    middle = frida.locator("main ul.my-list li", has_text=_danish_day(thursdays[1]))
    with frida.expect_navigation():
        middle.locator("form[action$='/cancel'] button").click()
    assert path_of(frida) == "/me"
    _success_shown(frida)
    assert frida.locator("main ul.my-list li", has_text=_danish_day(thursdays[1])).count() == 0
    assert frida.locator("main ul.my-list li:has(form[action$='/cancel'])").count() == 2
    states = {slot: state for _, slot, state in _signups_of(live_server, volunteer1)}
    assert states[slots[(thursdays[1], time(13, 0))]["id"]] == "cancelled"
    check_a11y(frida, "my page after cancelling one")

    # Her private calendar address shows the two times she still has; the cancelled one is
    # kept as CANCELLED, so calendars that already have it remove it.
    with frida.expect_navigation():
        frida.click("main form[action='/me/calendar/regenerate'] button")
    feed = frida.locator("main .feed-url code")
    assert feed.count() == 1, "after asking, Min side shows the calendar address"
    feed_url = feed.inner_text().strip()
    assert feed_url.startswith(live_server.url), feed_url
    response = frida.request.get(feed_url)
    assert response.ok and "text/calendar" in response.headers["content-type"]
    import icalendar
    events = {event.decoded("DTSTART").astimezone(CPH).date(): str(event.get("STATUS"))
              for event in icalendar.Calendar.from_ical(response.body()).walk("VEVENT")}
    assert {day for day, status in events.items() if status == "CONFIRMED"} == {thursdays[0], thursdays[2]}, events
    assert events.get(thursdays[1], "CANCELLED") == "CANCELLED", events
    check_a11y(frida, "my page with the calendar address")
    shoot(frida, "me-after-cancel")
    check_in_english(frida, "/me", "my page with sign-ups", screenshot="me-signed-up")

    # The task page in English, logged in and logged out; the list, month and week views too.
    check_in_english(frida, f"/tasks/{task_id}", "task page, logged in", screenshot="task-page")
    anon = new_page()
    check_in_english(anon, f"/tasks/{task_id}", "task page, logged out", screenshot="task-page-logged-out")
    check_in_english(anon, "/tasks", "find a task (list)", screenshot="tasks-list")
    check_in_english(anon, f"/tasks?view=month&month={t1:%Y-%m}", "month calendar", screenshot="tasks-month")
    week = f"/tasks?view=week&week={t1:%G-W%V}"
    anon.goto(week)
    assert anon.locator(f"main a[href='/tasks/{task_id}#slot-{first_slot}']").count() == 1, \
        "the week view lists the Thursday"
    check_a11y(anon, "week view")
    shoot(anon, "tasks-week")
    check_in_english(anon, week, "week view", screenshot="tasks-week")
    anon.goto("/tasks?view=week")
    check_a11y(anon, "week view, this week")
    check_in_english(anon, "/tasks?view=week", "week view, this week")

    # ------------------------------------------------ a single time with 1 place (after a mistake)
    else_.goto(times_path)
    else_.fill("#slot-day", single_day.isoformat())
    else_.fill("#slot-starts", "11:00")
    else_.fill("#slot-ends", "10:00")
    else_.fill("#slot-capacity", "")
    else_.fill("#slot-place_note", "Mødested: cykelskuret")
    submit_form(else_, f"main form[action='/tasks/{task_id}/slots']")
    assert path_of(else_) == f"/tasks/{task_id}/slots", "the form is shown again with the errors"
    assert_error_next_to(else_, "slot-ends")
    assert_error_next_to(else_, "slot-capacity")
    assert else_.locator("form[action$='/slots'] .form-group.form-error").count() == 2, "only the two wrong fields"
    assert else_.locator("form[action$='/rule'] .form-group.form-error").count() == 0
    summary = else_.locator("#error-summary")
    assert summary.locator("a[href='#slot-ends']").count() == 1
    assert summary.locator("a[href='#slot-capacity']").count() == 1
    assert else_.input_value("#slot-day") == single_day.isoformat()
    assert else_.input_value("#slot-starts") == "11:00"
    assert else_.input_value("#slot-ends") == "10:00"
    assert else_.input_value("#slot-capacity") == ""
    assert else_.input_value("#slot-place_note") == "Mødested: cykelskuret"
    check_a11y(else_, "times page with errors in the single-time form")
    shoot(else_, "task-times-errors")

    else_.fill("#slot-starts", "10:00")
    else_.fill("#slot-ends", "11:00")
    else_.fill("#slot-capacity", "1")
    submit_form(else_, f"main form[action='/tasks/{task_id}/slots']")
    assert path_of(else_) == times_path
    _success_shown(else_)
    single = _slots_of(live_server, task_id)[(single_day, time(10, 0))]
    assert single["capacity"] == 1 and single["ends"] == time(11, 0)
    single_id = single["id"]
    check_a11y(else_, "times page with the single time")

    # ------------------------------------------------ volunteer 2 takes the place with the keyboard
    anders = new_page()
    log_in(anders, volunteer2)
    anders.goto(f"/tasks/{task_id}")
    check_a11y(anders, "task page before signing up with the keyboard")
    button = f"form[action='/slots/{single_id}/signup'] button[type=submit]"
    tab_to(anders, button)
    outline = anders.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow}; }""")
    assert outline["outline"].split()[0] != "none" or outline["shadow"] != "none", \
        f"the focused sign-up button shows no focus ring: {outline}"
    with anders.expect_navigation():
        anders.keyboard.press("Enter")
    assert path_of(anders) == f"/tasks/{task_id}" and anders.url.endswith(f"#slot-{single_id}")
    _success_shown(anders)
    assert anders.locator(f"#slot-{single_id} .slot-status strong").count() == 1
    assert [(slot, state) for _, slot, state in _signups_of(live_server, volunteer2)] == [(single_id, "confirmed")]
    check_a11y(anders, "task page after signing up with the keyboard")

    # ------------------------------------------------ volunteer 3 joins the waitlist
    tina = new_page()
    log_in(tina, volunteer3)
    tina.goto(f"/tasks/{task_id}")
    row = tina.locator(f"#slot-{single_id}")
    assert row.locator(".free--none").count() == 1, "the single time shows as full"
    assert row.locator("form[action$='/signup'] input[name=action][value=waitlist]").count() == 1
    check_a11y(tina, "task page with a full time")
    shoot(tina, "task-page-full")
    with tina.expect_navigation():
        row.locator("form[action$='/signup'] button").click()
    _success_shown(tina)
    assert re.search(r"\b1\b", tina.inner_text("main .alert-success")), "the message gives the place in line"
    row = tina.locator(f"#slot-{single_id}")
    assert re.search(r"\b1\b", row.locator(".slot-status").inner_text()), "the time shows the place in line"
    assert row.locator(".slot-status strong").count() == 0, "on the waitlist is not signed up"
    assert [(slot, state) for _, slot, state in _signups_of(live_server, volunteer3)] == [(single_id, "waitlisted")]
    check_a11y(tina, "task page on the waitlist")
    _click(tina, "header nav a[href='/me']")
    waiting = tina.locator("main ul.my-list li", has=tina.locator(f"a[href='/tasks/{task_id}']"))
    assert waiting.count() == 1 and re.search(r"\b1\b", waiting.inner_text())
    check_a11y(tina, "my page on a waitlist")
    shoot(tina, "me-waitlist")

    # The administrator sees both on the roster.
    roster = f"/slots/{single_id}/roster"
    else_.goto(times_path)
    _click(else_, f"main a[href='{roster}']")
    assert else_.locator("main table tbody tr", has_text=volunteer2).count() == 1
    assert volunteer3 in else_.inner_text("main ol")
    check_a11y(else_, "roster with one coming and one waiting")
    shoot(else_, "roster")
    check_in_english(else_, roster, "roster", screenshot="roster")

    # ------------------------------------------------ volunteer 2 cancels; volunteer 3 gets the place
    _click(anders, "header nav a[href='/me']")
    check_a11y(anders, "my page with one sign-up")
    with anders.expect_navigation():
        anders.click(f"main form[action$='/cancel'] button")
    _success_shown(anders)
    assert anders.locator("main ul.my-list form[action$='/cancel']").count() == 0
    check_a11y(anders, "my page after cancelling")

    offer_link = open_mail(tina, volunteer3, "/signups/respond/")
    check_a11y(tina, "waitlist offer e-mail in the development outbox")
    shoot(tina, "mail-waitlist-offer")
    href = offer_link.get_attribute("href")
    assert href.startswith(live_server.url + "/signups/respond/"), href
    assert [(slot, state) for _, slot, state in _signups_of(live_server, volunteer3)] == [(single_id, "offered")]
    with tina.expect_navigation():
        offer_link.click()
    respond = path_of(tina)
    assert tina.locator("button[name=answer][value=accept]").count() == 1
    check_a11y(tina, "accept the offered place")
    shoot(tina, "respond")
    check_in_english(tina, respond, "accept the offered place", screenshot="respond")
    with tina.expect_navigation():
        tina.click("button[name=answer][value=accept]")
    assert path_of(tina) == f"/tasks/{task_id}"
    _success_shown(tina)
    assert tina.locator(f"#slot-{single_id} .slot-status strong").count() == 1, "she is signed up now"
    assert tina.locator(f"#slot-{single_id} form[action$='/cancel']").count() == 1
    assert [(slot, state) for _, slot, state in _signups_of(live_server, volunteer3)] == [(single_id, "confirmed")]
    check_a11y(tina, "task page after accepting the place")
    _click(tina, "header nav a[href='/me']")
    coming = tina.locator("main ul.my-list li", has=tina.locator("form[action$='/cancel']"))
    assert coming.count() == 1 and _danish_day(single_day) in coming.inner_text()
    assert tina.locator("main ul.my-list li", has_text=_danish_day(single_day)).count() == 1, \
        "she is no longer on the waitlist"
    check_a11y(tina, "my page after accepting the place")

    else_.goto(roster)
    assert else_.locator("main table tbody tr", has_text=volunteer3).count() == 1
    assert else_.locator("main table tbody tr", has_text=volunteer2).count() == 0
    assert else_.locator("main ol").count() == 0, "nobody is waiting any more"
    check_a11y(else_, "roster after the waitlist moved up")


def _assert_ics_has(mail, days):
    """The confirmation's attachment is an iCalendar file with one event per time, each on
    its Thursday from 13:00 to 14:00 Danish time."""
    import icalendar

    assert mail["attachment"], "the confirmation has no attachment"
    assert mail["attachment_type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(mail["attachment"])
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(days), f"expected {len(days)} VEVENTs, found {len(events)}"
    starts = sorted(event.decoded("DTSTART").astimezone(CPH) for event in events)
    ends = sorted(event.decoded("DTEND").astimezone(CPH) for event in events)
    assert [s.date() for s in starts] == days
    assert {s.time() for s in starts} == {time(13, 0)} and {e.time() for e in ends} == {time(14, 0)}
    assert all(TITLE in str(event.get("SUMMARY")) for event in events)
