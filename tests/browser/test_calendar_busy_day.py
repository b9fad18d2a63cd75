"""A busy day in the month and week calendars: four times in the day's cell, then "+N flere",
a real link that the keyboard reaches, that names its day to a screen reader, and that opens
the list of that one day. axe on both views, in Danish and English, desktop and phone."""

from datetime import date, time, timedelta

from babel.dates import format_date

from tests.browser.helpers import check_a11y, check_in_english, focused, shoot, tab_to

TITLES = ["Juletræ: pyntning", "Kaffebod på torvet", "Højtlæsning", "Strikkecafé", "Pakkeindsamling",
          "Småkagebagning", "Oprydning", "Aftenkaffe", "Sangaften"]


def _busy_monday() -> date:
    """The Monday two or three weeks ahead: well inside the next month at most, so it never
    lands in the month another browser test expects to be empty."""
    today = date.today()
    return today + timedelta(days=14 + (7 - today.weekday()) % 7)


def _add_busy_day(live_server, day: date, admin_email: str, slug: str) -> None:
    from sqlalchemy import select

    from portal.core.timeutil import to_utc
    from portal.extensions import db
    from portal.models import Organisation
    from tests.factories import make_slot, make_task
    with live_server.app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        for n, title in enumerate(TITLES):
            make_slot(make_task(org, title=f"Travl mandag: {title}"), starts_at=to_utc(day, time(9 + n)))
        db.session.commit()
        db.session.remove()


def test_a_busy_day_shows_four_times_and_a_keyboard_link_to_the_rest(new_page, live_server, make_person,
                                                                     make_organisation_for):
    admin = make_person("travl")
    slug = make_organisation_for(admin, "Travle Hænder")
    day = _busy_monday()
    _add_busy_day(live_server, day, admin, slug)
    page = new_page()
    # Searching for the titles keeps other tests' times (the live server is shared) out of the counts.
    month = f"/tasks?view=month&month={day:%Y-%m}&q=travl+mandag"
    page.goto(month)
    cell = page.locator("main .month-grid td", has=page.locator(
        f"xpath=.//span[@class='month-grid__day'][normalize-space(text())='{day.day}']"))
    assert cell.locator("a.month-grid__slot").count() == 4
    more = cell.locator("a.calendar-more")
    assert more.locator("span[aria-hidden=true]").inner_text().strip() == "+5 flere"   # what the eye sees
    spoken = f"5 flere tider {format_date(day, 'full', locale='da')}"
    assert page.get_by_role("link", name=spoken, exact=True).count() == 1, "the link names its day"
    check_a11y(page, "month calendar with a busy day")
    shoot(page, "tasks-month-busy-day")
    # The keyboard reaches the link, and Enter opens the list of that day.
    tab_to(page, "main a.calendar-more")
    assert focused(page)["href"] == f"/tasks?q=travl+mandag&from={day.isoformat()}&to={day.isoformat()}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    titles = sorted(t.strip() for t in page.locator("main .task-card h2").all_inner_texts())
    assert titles == sorted(f"Travl mandag: {t}" for t in TITLES)
    check_a11y(page, "the list of one day")
    check_in_english(page, month, "month calendar with a busy day", screenshot="tasks-month-busy-day")

    week = f"/tasks?view=week&week={day:%G-W%V}&q=travl+mandag"
    page.goto(week)
    assert page.locator("main a.calendar-more span[aria-hidden=true]").inner_text().strip() == "+1 mere"
    check_a11y(page, "week view with a busy day")
    shoot(page, "tasks-week-busy-day")
    check_in_english(page, week, "week view with a busy day", screenshot="tasks-week-busy-day")
