"""Journey (issue 12), nominations: a logged-in citizen nominates a volunteer (a mistake comes back
next to its field with what was typed); the volunteer opens the consent link in the mail, sees the
reason and the nominator's first name, and says yes with her verified hours; the nomination then
appears on /awards with its hours, and the citizen gives it a heart. axe runs on every page in
Danish and English; screenshots at desktop and phone width (no sideways scrolling) go to
build/screenshots and /tmp/shots/awards."""

import random
import shutil
from pathlib import Path

from portal.extensions import db
from tests.browser.helpers import (SCREENSHOTS, assert_error_next_to, assert_no_sideways_scroll, check_a11y,
                                   check_in_english, log_in, open_mail, path_of, shoot, submit_form, unique_email)
from tests.factories import make_award_category, make_award_year, make_user

SHOTS = Path("/tmp/shots/awards")
REASON = ("Karen cykler med beboerne fra Enggården hver uge, sommer som vinter, og har altid en termokande "
          "kaffe med. For mange af dem er turen ugens bedste time.")


def _shoot(page, name):
    shoot(page, name)
    if SHOTS.is_dir():
        for kind in ("desktop", "phone"):
            shutil.copy(SCREENSHOTS / f"{name}-{kind}.png", SHOTS / f"{name}-{kind}.png")


def _both(page, path, name, screenshot=None):
    page.goto(path)
    check_a11y(page, f"{name} (da)")
    if screenshot:
        _shoot(page, f"{screenshot}-da")
    check_in_english(page, path, name)
    if screenshot:
        page.goto(path + ("&" if "?" in path else "?") + "lang=en")
        _shoot(page, f"{screenshot}-en")
        page.goto(path + ("&" if "?" in path else "?") + "lang=da")


def test_a_citizen_nominates_a_volunteer_who_says_yes_and_appears_on_the_awards_page(new_page, live_server):
    # A year below any other test's, so /awards shows it (the lowest year taking nominations).
    year = random.randint(2001, 2020)
    citizen, volunteer = unique_email("borger"), unique_email("karen")
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=citizen, name="Bente Borger")
        karen_user = make_user(email=volunteer, name="Karen Holm")
        # Three verified hours on a past cycling trip: what "show my hours" will show.
        from datetime import timedelta
        from portal.models import Attendance, Signup, SignupState, utcnow
        from tests.factories import make_organisation, make_slot, make_task
        slot = make_slot(make_task(make_organisation(admin=make_user()), title="Cykeltur med beboerne"),
                         starts_at=utcnow() - timedelta(days=20), hours=3)
        db.session.add(Signup(slot_id=slot.id, user_id=karen_user.id, state=SignupState.confirmed,
                              attendance=Attendance.attended))
        award_year = make_award_year(phase="nominating", year=year)
        category = make_award_category(award_year, name=f"Årets frivillige {year}", kind="person", sort_order=1)
        make_award_category(award_year, name=f"Årets ildsjæl under 25 {year}", kind="person", max_age=24,
                            sort_order=2)
        db.session.commit()
        category_id = category.id
        db.session.remove()

    # --- the citizen finds the call and nominates Karen
    nominator = new_page()
    log_in(nominator, citizen)
    nominator.goto("/awards")
    assert str(year) in nominator.locator("main h1").inner_text()
    with nominator.expect_navigation():
        nominator.click(f"main a[href='/awards/{year}/nominate']")
    _both(nominator, f"/awards/{year}/nominate", "choose a category")
    with nominator.expect_navigation():
        nominator.click(f"main a[href='/awards/{year}/nominate?category={category_id}']")
    form = f"main form[action='/awards/{year}/nominate?category={category_id}']"
    _both(nominator, f"/awards/{year}/nominate?category={category_id}", "nominate", screenshot="awards-nominate")
    nominator.fill("#nominee_name", "Karen Holm")
    nominator.fill("#nominee_email", volunteer)
    nominator.fill("#reason", "Kort")
    submit_form(nominator, form)
    assert_error_next_to(nominator, "reason")
    assert nominator.input_value("#nominee_name") == "Karen Holm"
    check_a11y(nominator, "nominate with an error (da)")
    nominator.fill("#reason", REASON)
    submit_form(nominator, form)
    assert path_of(nominator) == "/awards/mine"
    assert "Karen Holm" in nominator.locator("main").inner_text()
    _both(nominator, "/awards/mine", "my nominations (nominator)")

    # --- nobody sees Karen before she answers
    anyone = new_page()
    anyone.goto("/awards")
    assert "Karen Holm" not in anyone.locator("main").inner_text()

    # --- Karen opens the mail's link, reads why, and says yes with her hours
    karen = new_page()
    link = open_mail(karen, volunteer, "/awards/consent/")
    with karen.expect_navigation():
        link.click()
    consent_path = path_of(karen)
    main = karen.locator("main").inner_text()
    assert "Bente" in main and "Borger" not in main and "Karen cykler med beboerne" in main
    _both(karen, consent_path, "consent", screenshot="awards-consent")
    karen.check("#show_hours")
    with karen.expect_navigation():
        karen.click("main form button[value='yes']")
    assert karen.locator("main a.button-primary").count() == 1
    check_a11y(karen, "consent answered (da)")

    # --- the nomination is on /awards now, for everyone; the citizen gives it a heart
    anyone.goto("/awards")
    card = anyone.locator("main li.award-card", has_text="Karen Holm")
    assert card.count() == 1 and "Karen cykler med beboerne" in card.inner_text()
    assert "3" in card.locator(".award-card__hours").inner_text()
    assert card.locator("form").count() == 0, "no heart button for an anonymous visitor"
    nominator.goto("/awards")
    card = nominator.locator("main li.award-card", has_text="Karen Holm")
    with nominator.expect_navigation():
        card.locator("form button[type=submit]").click()
    card = nominator.locator("main li.award-card", has_text="Karen Holm")
    assert "1" in card.locator(".award-card__count").inner_text()
    assert card.locator("form[action$='/heart/withdraw']").count() == 1
    _both(nominator, "/awards", "awards page, logged in", screenshot="awards-logged-in")
    _both(anyone, "/awards", "awards page", screenshot="awards-public")
    assert_no_sideways_scroll(anyone, "awards page", 320)

    # --- without a profile: the short form is accessible too
    _both(anyone, f"/awards/{year}/nominate/send?category={category_id}", "nominate without a profile")


def test_the_coordinators_pages_pass_axe(new_page, live_server):
    coordinator = unique_email("koordinator")
    year = random.randint(2021, 2024) + 900
    with live_server.app.app_context():
        make_user(email=coordinator, name="Kirsten Kommune", coordinator=True)
        award_year = make_award_year(phase="upcoming", year=year)
        category = make_award_category(award_year, name=f"Årets frivillige {year}")
        db.session.commit()
        category_id = category.id
        db.session.remove()
    page = new_page()
    log_in(page, coordinator)
    _both(page, "/awards/manage", "manage the awards")
    _both(page, f"/awards/manage/{year}", "manage a year", screenshot="awards-manage-year")
    _both(page, f"/awards/manage/categories/{category_id}", "edit a category")
    _both(page, f"/awards/manage/{year}/categories/new", "add a category")
    page.goto(f"/awards/manage/{year}")
    page.fill("#close_day", "2000-01-01")
    submit_form(page, f"main form[action='/awards/manage/{year}']")
    assert_error_next_to(page, "close_day")
    check_a11y(page, "manage a year with an error (da)")


def test_without_a_profile_and_a_nominee_answering_on_my_nominations(new_page, live_server):
    """Someone without a profile nominates through the short form and confirms by the mailed link;
    the nominee, who has a profile, finds the request on "My nominations" and says no thanks:
    nothing is shown. axe on the short form's pages and on "My nominations" in both languages."""
    year = random.randint(2001, 2020) + 500
    nominee, sender = unique_email("ole"), unique_email("hanne")
    with live_server.app.app_context():
        make_user(email=nominee, name="Ole Sørensen")
        award_year = make_award_year(phase="nominating", year=year)
        category = make_award_category(award_year, name=f"Årets frivillige {year}", kind="person")
        db.session.commit()
        category_id = category.id
        db.session.remove()

    page = new_page()
    page.goto(f"/awards/{year}/nominate/send?category={category_id}")
    page.fill("#nominator_name", "Hanne Jessen")
    page.fill("#nominator_email", sender)
    page.fill("#nominee_name", "Ole Sørensen")
    page.fill("#nominee_email", nominee)
    page.fill("#reason", "Ole hjælper nye danskere med skemaer og dansk over en kop kaffe hver mandag.")
    submit_form(page, f"main form[action='/awards/{year}/nominate/send?category={category_id}']")
    assert sender in page.locator("main").inner_text()
    check_a11y(page, "nomination sent (da)")
    link = open_mail(page, sender, "/awards/confirm/")
    with page.expect_navigation():
        link.click()
    check_a11y(page, "nomination confirmed (da)")

    ole = new_page()
    log_in(ole, nominee)
    _both(ole, "/awards/mine", "my nominations (nominee)", screenshot="awards-mine")
    assert "Ole hjælper nye danskere" in ole.locator("main").inner_text()
    with ole.expect_navigation():
        ole.click("main form[action$='/answer'] button[value='no']")
    assert path_of(ole) == "/awards/mine"
    assert ole.locator("main form[action$='/answer']").count() == 0
    page.goto(f"/awards/{year}")
    assert "Ole Sørensen" not in page.locator("main").inner_text()
