"""Journey (issue 11, "Spørg borgerne"): Dragør Bibliotek asks the citizens a question, a citizen
answers with her first name shown, the deadline passes (moved into the past in the live database),
the librarian closes the call with what came of it, the citizen gets the note by mail and the call's
page shows it to everyone. axe runs on every calls page in Danish and in English on the way."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import Call, User, utcnow
from tests.browser.helpers import (check_a11y, check_in_english, log_in, open_mail, path_of, shoot,
                                   submit_form)
from tests.factories import make_call


def _move_deadline_into_the_past(live_server, call_id):
    with live_server.app.app_context():
        db.session.get(Call, call_id).closes_at = utcnow() - timedelta(minutes=10)
        db.session.commit()
        db.session.remove()


def _another_overdue_call(live_server, owner_email):
    """So the coordinator's overdue list has a row besides the journey's own call."""
    with live_server.app.app_context():
        owner = db.session.scalar(select(User).where(User.email == owner_email))
        call = make_call(organisation=owner.memberships[0].organisation, owner=owner, title="Åbningstider i julen",
                         closes_at=utcnow() - timedelta(days=4))
        call.last_reminded_at = utcnow() - timedelta(days=1)
        db.session.commit()
        db.session.remove()


def test_a_call_is_answered_closed_with_its_note_and_the_answerer_is_told(new_page, make_person, live_server,
                                                                        make_organisation_for):
    sanne = make_person("bibliotek", name="Sanne Bech")
    karen = make_person("borger", name="Karen Holm")
    anne = make_person("koordinator", name="Anne Møller", coordinator=True)
    make_organisation_for(sanne, "Dragør Bibliotek")

    # --- the librarian asks the citizens
    staff = new_page()
    log_in(staff, sanne)
    staff.goto("/calls")
    with staff.expect_navigation():
        staff.click("main a[href='/calls/new']")
    check_a11y(staff, "new call form")
    check_in_english(staff, "/calls/new", "new call form", screenshot="calls-new")
    shoot(staff, "calls-new-da")
    staff.fill("#title", "Hvad skal bibliotekets frivillige lave?")
    staff.fill("#question", "Hvad synes du, bibliotekets frivillige skal lave – og ville du selv være med?")
    staff.fill("#background", "Vi lægger forårets program i januar og vil gerne høre jer først.")
    deadline = to_local(utcnow()).date() + timedelta(days=10)
    staff.fill("#closes_on-day", str(deadline.day))
    staff.fill("#closes_on-month", str(deadline.month))
    staff.fill("#closes_on-year", str(deadline.year))
    staff.fill("#closes_time", "12:00")
    staff.check("#answers_public")
    with staff.expect_navigation():
        staff.click("main form[action='/calls/new'] button[value='publish']")
    match = re.fullmatch(r"/calls/(\d+)", path_of(staff))
    assert match, f"after publishing, the call's page opens, got {staff.url}: {staff.inner_text('main')[:400]}"
    call_id = int(match.group(1))
    call_path = match.group(0)
    assert staff.locator("main .alert-success").is_visible()
    check_a11y(staff, "a call seen by its owner")

    # --- a citizen finds it and answers, with her first name shown
    citizen = new_page()
    log_in(citizen, karen)
    citizen.goto("/calls")
    check_a11y(citizen, "the calls list")
    check_in_english(citizen, "/calls", "the calls list", screenshot="calls-index")
    with citizen.expect_navigation():
        citizen.click(f"main a[href='{call_path}']")
    check_a11y(citizen, "a call with its answer form")
    citizen.fill("#body", "Højtlæsning for dem, der ikke selv kan læse længere. Jeg kommer gerne om tirsdagen.")
    citizen.check("#show_name")
    submit_form(citizen, f"main form[action='{call_path}/answer']")
    assert path_of(citizen) == call_path
    assert citizen.locator("main .alert-success").is_visible()
    main = citizen.inner_text("main")
    assert "Højtlæsning for dem, der ikke selv kan læse længere." in main and "Karen" in main and "Holm" not in main
    check_a11y(citizen, "a call after answering")
    check_in_english(citizen, call_path, "a call after answering", screenshot="calls-show")
    shoot(citizen, "calls-show-da")

    # --- the owner reads the answers
    staff.goto(f"{call_path}/answers")
    assert "Højtlæsning for dem" in staff.inner_text("main")
    check_a11y(staff, "the answers page")
    check_in_english(staff, f"{call_path}/answers", "the answers page", screenshot="calls-answers")

    # --- the deadline passes; the owner closes the call with its note
    _move_deadline_into_the_past(live_server, call_id)
    staff.goto(call_path)
    with staff.expect_navigation():
        staff.click(f"main a[href='{call_path}/close']")
    check_a11y(staff, "the close page")
    check_in_english(staff, f"{call_path}/close", "the close page", screenshot="calls-close")
    staff.fill("#outcome", "Tak for svarene! Fra februar starter vi højtlæsning hver tirsdag kl. 10 i læsesalen, "
                           "og vi søger tre frivillige mere.")
    submit_form(staff, f"main form[action='{call_path}/close']")
    assert path_of(staff) == call_path
    assert staff.locator("#outcome").is_visible()

    # --- the answerer gets the note by mail and follows it to the call's page
    link = open_mail(citizen, karen, call_path)
    assert "Fra februar starter vi højtlæsning" in citizen.inner_text("main")
    with citizen.expect_navigation():
        link.click()
    assert path_of(citizen) == call_path
    assert "Fra februar starter vi højtlæsning" in citizen.inner_text("#outcome")
    assert citizen.locator(f"main form[action='{call_path}/answer']").count() == 0, "no answering after the deadline"

    # --- everyone sees the note, logged in or not
    visitor = new_page()
    visitor.goto(call_path)
    assert "Fra februar starter vi højtlæsning" in visitor.inner_text("#outcome")
    check_a11y(visitor, "a closed call with its note")
    shoot(visitor, "calls-closed-da")

    # --- the coordinator's overdue list
    _another_overdue_call(live_server, sanne)
    coordinator = new_page()
    log_in(coordinator, anne)
    coordinator.goto("/calls/overdue")
    assert "Åbningstider i julen" in coordinator.inner_text("main")
    check_a11y(coordinator, "the overdue calls")
    check_in_english(coordinator, "/calls/overdue", "the overdue calls", screenshot="calls-overdue")
