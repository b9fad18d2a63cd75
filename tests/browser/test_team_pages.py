"""Company teams in a real browser (issue 10): an organiser marks a task for a team, a company
admin finds it on "tasks we can solve" and signs up four colleagues by name. axe on every page
in Danish and English; screenshots at desktop and phone width."""

from datetime import timedelta

from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, path_of, shoot,
                                   submit_form, unique_email)

COLLEAGUES = ["Anna Holm", "Bo Jensen", "Carl Nielsen", "Dorte Lund", "Emil Berg"]


def _company_with_colleagues(live_server, admin_email):
    """An approved company giving team days, its admin, and five colleagues who share their name."""
    from portal.extensions import db
    from sqlalchemy import select
    from portal.models import User
    from tests.factories import link_employee, make_company, make_user

    with live_server.app.app_context():
        admin = db.session.scalar(select(User).where(User.email == admin_email))
        company = make_company(admin=admin, name="Dragør Købmand", supports=("team_days",), skills=("accounting",))
        for name in COLLEAGUES:
            link_employee(make_user(name=name, email=unique_email("kollega")), company)
        slug = company.slug
        db.session.commit()
        db.session.remove()
    return slug


def _add_time(live_server, task_id, *, capacity=10, days=6):
    from portal.extensions import db
    from portal.models import Task, utcnow
    from tests.factories import make_slot

    with live_server.app.app_context():
        start = (utcnow() + timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)
        slot_id = make_slot(db.session.get(Task, task_id), starts_at=start, hours=4, capacity=capacity).id
        db.session.commit()
        db.session.remove()
    return slot_id


def _taken(live_server, slot_id):
    from portal.extensions import db
    from portal.models import Slot

    with live_server.app.app_context():
        taken = db.session.get(Slot, slot_id).taken
        db.session.remove()
    return taken


def test_an_organiser_marks_a_task_and_a_company_signs_up_a_team_of_four(
        new_page, live_server, make_person, make_organisation_for):
    mette = make_person("mette", name="Mette Lund")
    org = make_organisation_for(mette, "Enggården")
    page = new_page()
    log_in(page, mette)

    # The task form, with the two new fields; a team of one is refused next to its field.
    page.goto(f"/organisations/{org}/tasks/new")
    check_a11y(page, "task form")
    page.fill("#title", "Havedag i Enggårdens sansehave")
    page.fill("#description", "Vi luger bedene, beskærer buskene og planter løg med beboerne.")
    page.select_option("#category", index=1)
    page.fill("#team_size", "1")
    page.select_option("#wanted_skill", "gardening")
    submit_form(page)
    assert_error_next_to(page, "team_size")
    check_a11y(page, "task form with an error in the team size")
    assert page.input_value("#title") == "Havedag i Enggårdens sansehave"
    page.fill("#team_size", "6")
    submit_form(page)
    task_id = int(path_of(page).split("/")[2])
    check_in_english(page, f"/organisations/{org}/tasks/new", "task form", screenshot="team-task-form")
    slot_id = _add_time(live_server, task_id)

    page.goto(f"/tasks/{task_id}")
    assert "Egnet for et hold på op til 6 personer" in page.inner_text("main")
    assert "Søger: havearbejde" in page.inner_text("main")

    # The company admin finds the task among the tasks the company can solve.
    bent = make_person("bent", name="Bent Købmand")
    company = _company_with_colleagues(live_server, bent)
    shop = new_page()
    log_in(shop, bent)
    shop.goto(f"/companies/{company}/tasks")
    check_a11y(shop, "tasks a company can solve")
    shoot(shop, "team-tasks-da")
    assert "Havedag i Enggårdens sansehave" in shop.inner_text("main")
    shop.check("#kind-skill")
    submit_form(shop, "main form[method=get]")
    assert "kind=skill" in shop.url and "Havedag" not in shop.inner_text("main")
    check_in_english(shop, f"/companies/{company}/tasks", "tasks a company can solve",
                     screenshot="team-tasks")

    # From the task page, "Tilmeld et hold" leads to the team page.
    shop.goto(f"/tasks/{task_id}")
    check_a11y(shop, "task page for a company admin")
    shoot(shop, "team-task-page-da")
    with shop.expect_navigation():
        shop.get_by_role("link", name="Tilmeld et hold").first.click()
    assert path_of(shop) == f"/companies/{company}/team/{slot_id}"
    check_a11y(shop, "team sign-up")
    shoot(shop, "team-signup-da")
    check_in_english(shop, path_of(shop), "team sign-up", screenshot="team-signup")

    # A time with three free places cannot take four: nothing is saved, and the page says why.
    small = _add_time(live_server, task_id, capacity=3, days=8)
    shop.goto(f"/companies/{company}/team/{small}")
    for name in COLLEAGUES[:4]:
        shop.get_by_label(name).check()
    with shop.expect_navigation():
        shop.get_by_role("button", name="Tilmeld holdet").click()
    assert "Der er kun 3 ledige pladser" in shop.inner_text("main")
    assert shop.locator("input[name=people]:checked").count() == 4  # the choice is kept
    check_a11y(shop, "team sign-up with too few places")
    shoot(shop, "team-signup-full-da")
    assert _taken(live_server, small) == 0

    # Four colleagues on the first time: signed up, each with their own seat.
    shop.goto(f"/companies/{company}/team/{slot_id}")
    for name in COLLEAGUES[:4]:
        shop.get_by_label(name).check()
    with shop.expect_navigation():
        shop.get_by_role("button", name="Tilmeld holdet").click()
    assert path_of(shop) == f"/companies/{company}/tasks"
    assert "Holdet er tilmeldt: 4 kolleger" in shop.inner_text("main")
    check_a11y(shop, "tasks a company can solve, after the sign-up")
    assert _taken(live_server, slot_id) == 4

    # Back on the same time, the four already signed up are marked, each with the reason.
    shop.goto(f"/companies/{company}/team/{slot_id}")
    assert shop.locator(".team-note").count() == 4
    check_a11y(shop, "team sign-up with colleagues who cannot come")
    shoot(shop, "team-signup-notes-da")
