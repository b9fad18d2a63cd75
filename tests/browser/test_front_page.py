"""The front page that shows the need (issue 12), in a real browser: on a 390x844 phone the number
of times that need people and the concrete needs are above the fold; axe finds nothing in Danish or
English; a visitor follows a need to its task. The coordinator's annual account (charts with
tables, the speech page) passes axe in both languages. Screenshots (desktop and phone, both
languages) go to build/screenshots and /tmp/shots/front."""

import shutil
from datetime import timedelta
from pathlib import Path

from portal.extensions import db
from portal.models import utcnow
from tests.browser.helpers import (PHONE, SCREENSHOTS, assert_no_sideways_scroll, check_a11y, check_in_english,
                                   log_in, path_of, shoot)
from tests.factories import make_organisation, make_slot, make_story, make_task

SHOTS = Path("/tmp/shots/front")
FOLD = PHONE["height"]


def _shoot(page, name):
    shoot(page, name)
    if SHOTS.is_dir():
        for kind in ("desktop", "phone"):
            shutil.copy(SCREENSHOTS / f"{name}-{kind}.png", SHOTS / f"{name}-{kind}.png")


def _needs(live_server):
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        now = utcnow()
        org = make_organisation(name="Dragør Naturvogtere")
        for n, (title, days) in enumerate((("Strandrensning ved Søndre Mole", 1), ("Læsehjælp på biblioteket", 1),
                                           ("Kaffe og snak på Enggården med beboerne og deres pårørende", 2),
                                           ("Juletræet på Kongevejen", 3))):
            slot = make_slot(make_task(org, title=title), starts_at=now + timedelta(days=days, hours=n), capacity=4)
            slot.taken = n
        make_story(org, title="Tolv frivillige samlede 80 kg affald", picture=True)
        db.session.commit()
        from portal.main.queries import need_this_week
        count = need_this_week(utcnow())[0]
        db.session.remove()
    return count


def test_the_need_is_above_the_fold_on_a_phone_and_a_visitor_follows_it(live_server, new_page):
    count = _needs(live_server)
    page = new_page(viewport=PHONE)
    page.goto("/")
    number = page.locator(".front-need__number")
    assert int(number.inner_text()) == count and count >= 4
    boxes = [number.bounding_box(), page.locator("#front-needs-heading").bounding_box()]
    cards = page.locator(".need-card:visible")
    assert cards.count() == 3                      # the fourth waits for a wider screen
    boxes += [cards.nth(i).bounding_box() for i in range(3)]
    for box in boxes:
        assert box is not None and box["y"] + box["height"] <= FOLD, boxes
    assert_no_sideways_scroll(page, "front page", PHONE["width"])

    # The visitor picks a need and lands on its task, at the time that needs people.
    first = cards.first.locator("a.need-card__title")
    href = first.get_attribute("href")
    first.click()
    page.wait_for_load_state("load")
    assert path_of(page) == href.split("#")[0] and page.url.endswith(href)


def test_the_front_page_is_accessible_in_both_languages_with_screenshots(live_server, page):
    _needs(live_server)
    page.goto("/")
    assert page.locator(".need-card").count() == 4
    assert page.locator(".story-card__picture").count() >= 1
    check_a11y(page, "front page (da)")
    _shoot(page, "front-page-da")
    check_in_english(page, "/", "front page", screenshot="front-page")
    # Works without JavaScript: the count and the needs are in the HTML itself.
    html = page.content()
    assert 'class="front-need__number"' in html and 'class="need-card"' in html


def _hours_today(live_server):
    """Approved hours on today's local date, so this year's charts have bars whatever the date."""
    from portal.core.timeutil import to_local
    from portal.models import HoursEntry, HoursStatus
    from tests.factories import make_user

    with live_server.app.app_context():
        today = to_local(utcnow()).date()
        for n, (org_name, category) in enumerate((("Repair Café Dragør", "nature"), ("Enggården", "older-people"))):
            garden = make_task(make_organisation(name=org_name), title=f"Fast hjælper {n}", kind="ongoing",
                               category_slug=category)
            db.session.add(HoursEntry(task_id=garden.id, user_id=make_user().id, worked_on=today,
                                      minutes=90 * (n + 1), status=HoursStatus.approved))
        db.session.commit()
        db.session.remove()


def test_the_annual_account_and_its_speech_page_pass_axe(live_server, page, make_person):
    coordinator = make_person("koordinator", coordinator=True)
    _hours_today(live_server)
    log_in(page, coordinator)
    page.goto("/coordinator/annual")
    year = path_of(page).rsplit("/", 1)[-1]
    assert year.isdigit() and page.locator("svg.chart[role=img] > title").count() == 3
    check_a11y(page, "annual account (da)")
    _shoot(page, "annual-account-da")
    check_in_english(page, f"/coordinator/annual/{year}", "annual account", screenshot="annual-account")
    page.goto(f"/coordinator/annual/{year}/speech")
    check_a11y(page, "annual speech (da)")
    check_in_english(page, f"/coordinator/annual/{year}/speech", "annual speech")
    # The year picker works with a plain GET form.
    page.goto(f"/coordinator/annual/{year}")
    page.select_option("#annual-year", str(int(year) - 1))
    with page.expect_navigation():
        page.locator("form.annual-picker button[type=submit]").click()
    assert path_of(page) == f"/coordinator/annual/{int(year) - 1}"
