"""A company from its application to a badge a stranger can verify (issue 10's first journey), in
one browser run: the company applies, the coordinator approves, the company publishes its leave
policy, four employees link themselves to it, the company signs up a team of four for a task the
organisation marked for teams, the team day happens (the organiser records who came), `tick`
gives the badge, the company page shows it, and the QR code on the sticker, as Chromium draws
it, opens the live verification page, which says the badge is valid.

Only two steps are not clicks: the time of the team day is added and later moved into the past
in the database (a browser cannot wait a week), and the badges are handed out by the tick step
itself, as `flask tick` would."""

import io

import PIL.Image
import zxingcpp

from tests.browser.helpers import check_a11y, log_in, log_out, path_of, shoot, submit_form

COLLEAGUES = ["Asta Juul", "Bent Kofoed", "Camilla Riis", "Dennis Vang"]


def _db(live_server, work):
    from portal.extensions import db

    with live_server.app.app_context():
        try:
            result = work(db)
            db.session.commit()
            return result
        finally:
            db.session.remove()


def _company_slug(live_server, name):
    from sqlalchemy import select

    from portal.models import Company

    return _db(live_server, lambda db: db.session.scalar(select(Company.slug).where(Company.name == name)))


def _add_time(live_server, task_id):
    from datetime import timedelta

    from portal.models import Task, utcnow
    from tests.factories import make_slot

    start = (utcnow() + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    return _db(live_server, lambda db: make_slot(db.session.get(Task, task_id), starts_at=start, hours=3,
                                                 capacity=8).id)


def _move_into_the_past(live_server, slot_id):
    from datetime import timedelta

    from portal.models import Slot, utcnow

    def move(db):
        slot = db.session.get(Slot, slot_id)
        slot.starts_at = utcnow() - timedelta(days=1, hours=3)
        slot.ends_at = utcnow() - timedelta(days=1)
    _db(live_server, move)


def _tick_badges(live_server):
    from portal.companies.badges import award_badges
    from portal.models import utcnow

    return _db(live_server, lambda db: award_badges(now=utcnow()))


def test_a_company_from_its_application_to_a_badge_anyone_can_verify(
        new_page, live_server, make_person, make_organisation_for):
    from tests.factories import next_cvr

    lise = make_person("lise", name="Lise Strand")
    anne = make_person("anne", name="Anne Møller", coordinator=True)
    mette = make_person("mette", name="Mette Lund")
    staff = [make_person("kollega", name=name) for name in COLLEAGUES]
    org = make_organisation_for(mette, "Enggården")
    cvr = _db(live_server, lambda db: next_cvr())

    # 1. Lise applies for her company.
    page = new_page()
    log_in(page, lise)
    page.goto("/companies/apply")
    page.fill("#name", "Strand Rådgivning ApS")
    page.fill("#cvr", f"{cvr[:2]} {cvr[2:4]} {cvr[4:6]} {cvr[6:]}")
    page.fill("#description", "Vi er otte rådgivere i Dragør, og vi giver hinanden fri til at hjælpe.")
    page.fill("#address", "Kongevejen 40")
    page.fill("#postcode", "2791")
    page.fill("#city", "Dragør")
    page.fill("#contact_name", "Lise Strand")
    page.fill("#contact_email", "lise@strand.example.dk")
    page.fill("#contact_phone", "32 53 10 10")
    page.check("#supports-0")   # paid leave
    page.check("#supports-1")   # team days
    submit_form(page)
    slug = _company_slug(live_server, "Strand Rådgivning ApS")
    assert slug and path_of(page) == f"/companies/{slug}"

    # 2. The coordinator approves it.
    coordinator = new_page()
    log_in(coordinator, anne)
    coordinator.goto(f"/companies/{slug}/review")
    submit_form(coordinator, f"main form[action='/companies/{slug}/approve']")
    assert path_of(coordinator) == "/companies/review"

    # 3. Lise publishes the leave policy: one working day a year, for any task.
    page.goto(f"/companies/{slug}/policy")
    page.fill("#amount", "1")
    page.check("#unit-1")       # days
    page.check("#scope-0")      # any task on the portal
    page.fill("#how_to_ask", "Skriv til Lise en uge før.")
    page.fill("#since-day", "1")
    page.fill("#since-month", "1")
    page.fill("#since-year", "2025")
    page.check("#publish")
    submit_form(page)
    assert path_of(page) == f"/companies/{slug}"
    assert "Giver 1 dag (7,4 timer) om året til hver medarbejder" in page.inner_text("main")
    assert page.get_attribute("#badge-summary [data-state]", "data-state") == "none"

    # 4. Four colleagues link themselves to it, sharing their name and counting their hours.
    for email in staff:
        colleague = new_page()
        log_in(colleague, email)
        colleague.goto("/me/employer?q=Strand")
        form = f"main form[action='/me/employer/link/{slug}']"
        colleague.locator(form).locator("input[name=share_name]").check()
        colleague.locator(form).locator("input[name=count_hours]").check()
        submit_form(colleague, form)
        assert "Du er nu knyttet til Strand Rådgivning ApS" in colleague.inner_text("main")
        colleague.context.close()

    # 5. Enggården marks a task for a company team of up to six.
    organiser = new_page()
    log_in(organiser, mette)
    organiser.goto(f"/organisations/{org}/tasks/new")
    organiser.fill("#title", "Havedag i sansehaven")
    organiser.fill("#description", "Vi luger, beskærer og planter løg sammen med beboerne.")
    organiser.select_option("#category", index=1)
    organiser.fill("#team_size", "6")
    submit_form(organiser)
    task_id = int(path_of(organiser).split("/")[2])
    slot_id = _add_time(live_server, task_id)

    # 6. Lise finds the task among those her company can solve, and signs up a team of four.
    page.goto(f"/companies/{slug}")
    with page.expect_navigation():
        page.click(f"a[href='/companies/{slug}/tasks']")
    with page.expect_navigation():
        page.get_by_role("link", name="Havedag i sansehaven").first.click()
    assert path_of(page) == f"/tasks/{task_id}"
    with page.expect_navigation():
        page.get_by_role("link", name="Tilmeld et hold").first.click()
    assert path_of(page) == f"/companies/{slug}/team/{slot_id}"
    for name in COLLEAGUES:
        page.get_by_label(name).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Tilmeld holdet").click()
    assert "Holdet er tilmeldt: 4 kolleger" in page.inner_text("main")

    # 7. The day comes; Enggården records that all four came.
    _move_into_the_past(live_server, slot_id)
    organiser.goto(f"/slots/{slot_id}/roster")
    for name in COLLEAGUES:
        row = organiser.locator("main tr", has_text=name)
        with organiser.expect_navigation():
            row.locator("button[name=attended][value=yes]").click()
    assert organiser.locator("main tbody tr", has_text="Mødt").count() == 4

    # 8. tick hands out the badge; the company page shows it, with the sticker for its admin.
    assert _tick_badges(live_server) >= 1
    page.goto(f"/companies/{slug}")
    assert page.get_attribute("#badge-summary [data-state]", "data-state") == "valid"
    assert "12 timer" in page.inner_text("main")     # four colleagues, three hours each, as a total
    check_a11y(page, "a company page with its badge")
    shoot(page, "journey-company-with-badge")

    # 9. The sticker's QR code, as Chromium draws it, opens the live check, which says valid.
    log_out(page)
    page.set_viewport_size({"width": 600, "height": 860})
    response = page.goto(f"/companies/{slug}/badge.svg")
    assert response.status == 200
    decoded = [r.text for r in zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(page.screenshot())))]
    assert decoded == [live_server(f"/companies/{slug}/badge")]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(decoded[0])
    assert page.get_attribute("#badge-state", "data-state") == "valid"
    assert "Strand Rådgivning ApS" in page.inner_text("main")
    check_a11y(page, "the badge's verification page, reached from the QR code")
    shoot(page, "journey-badge-verified")
