"""The badge in a real browser: the verification page is accessible in Danish and English in
every state (axe, 320 px reflow), the coordinator's withdrawal form too, and the SVG sticker as
Chromium draws it carries a QR code that a phone would read as the verification page's address."""

import io
from datetime import date, timedelta

import PIL.Image
import pytest
import zxingcpp

from tests.browser.helpers import SCREENSHOTS, assert_no_sideways_scroll, check_a11y, log_in, shoot, with_lang


@pytest.fixture
def badge_company(live_server):
    """A company with a badge in the given state (valid, expired, revoked, none); returns its slug."""
    from portal.core.badges import badge_year, expires_at
    from portal.extensions import db
    from portal.models import Attendance, Badge, Deal, DealSide, DealStatus, Signup, SignupState, utcnow
    from portal.tasks.services import ensure_categories
    from tests.factories import (link_employee, make_company, make_organisation, make_policy, make_slot,
                                 make_task, make_user)

    def make(state: str, name: str = "Tømrer Holm & Søn", admin_email: str | None = None, activity: bool = True):
        from sqlalchemy import select

        from portal.models import User
        with live_server.app.app_context():
            ensure_categories()
            now = utcnow()
            admin = db.session.scalar(select(User).where(User.email == admin_email)) if admin_email else None
            company = make_company(name=name, admin=admin)
            make_policy(company)
            partner = make_organisation(name="Enggården")
            db.session.add(Deal(company_id=company.id, organisation_id=partner.id, proposed_by=DealSide.company,
                                company_gives="Lån af varevogn", organisation_gives="Frokost",
                                follow_up_on=date.today(), status=DealStatus.done if activity else DealStatus.agreed,
                                done_at=now - timedelta(days=3) if activity else None))
            employee = make_user()
            link_employee(employee, company, count_hours=True)
            slot = make_slot(make_task(partner), starts_at=now - timedelta(days=1), hours=3)
            db.session.add(Signup(user_id=employee.id, slot_id=slot.id, state=SignupState.confirmed,
                                  attendance=Attendance.attended if activity else None))
            year = badge_year(now) - (state == "expired")
            if state != "none":
                db.session.add(Badge(company_id=company.id, year=year, earned_at=min(now, expires_at(year - 1)),
                                     expires_at=expires_at(year),
                                     revoked_at=now if state == "revoked" else None,
                                     revoked_reason="Fridagsordningen er ikke længere offentlig."
                                     if state == "revoked" else None))
            db.session.commit()
            slug = company.slug
            db.session.remove()
        return slug

    return make


@pytest.mark.parametrize("state", ["valid", "expired", "revoked", "none"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_verification_page_is_accessible_in_every_state_and_language(page, badge_company, state, lang):
    slug = badge_company(state)
    response = page.goto(with_lang(f"/companies/{slug}/badge", lang))
    assert response.status == 200
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("#badge-state", "data-state") == state
    check_a11y(page, f"badge {state} ({lang})")
    shoot(page, f"badge-{state}-{lang}")
    assert_no_sideways_scroll(page, f"badge {state} ({lang})", 320)


def test_the_coordinator_sees_the_criteria_and_can_withdraw_by_keyboard(page, badge_company, make_person):
    slug = badge_company("valid")
    log_in(page, make_person("koordinator", coordinator=True))
    page.goto(f"/companies/{slug}/badge")
    assert page.locator("#badge-criteria li[data-met='yes']").count() == 3
    check_a11y(page, "badge, coordinator")
    shoot(page, "badge-coordinator-da")
    page.focus("#reason")
    page.keyboard.type("Fridagsordningen er trukket tilbage.")
    with page.expect_navigation():
        page.locator(f"form[action='/companies/{slug}/badge/revoke'] button[type=submit]").press("Enter")
    assert page.get_attribute("#badge-state", "data-state") == "revoked"
    assert "Fridagsordningen er trukket tilbage." in page.inner_text("main")
    check_a11y(page, "badge withdrawn, coordinator")
    gone = page.goto(f"/companies/{slug}/badge.svg")
    assert gone.status == 410
    check_a11y(page, "sticker gone")


def test_the_svg_sticker_as_chromium_draws_it_scans_to_the_verification_page(page, badge_company, live_server):
    slug = badge_company("valid", name="Dragør Købmand")
    page.set_viewport_size({"width": 600, "height": 860})
    response = page.goto(f"/companies/{slug}/badge.svg")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    png = page.screenshot()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "badge-sticker-svg.png").write_bytes(png)
    decoded = [r.text for r in zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png)))]
    assert decoded == [live_server(f"/companies/{slug}/badge")]
    assert page.problems == []


def test_the_pdf_as_chromium_shows_it_scans_to_the_verification_page(page, badge_company, live_server, tmp_path):
    """Chromium's own PDF viewer draws the print file; the code on it must scan."""
    slug = badge_company("valid", name="Danske Bank Tårnby")
    response = page.request.get(live_server(f"/companies/{slug}/badge.pdf"))
    assert response.status == 200
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(response.body())
    page.set_viewport_size({"width": 700, "height": 1000})
    page.goto(pdf.as_uri())
    page.wait_for_timeout(2500)   # the viewer draws after the load event
    png = page.screenshot()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "badge-sticker-pdf.png").write_bytes(png)
    decoded = {r.text for r in zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png)))}
    assert decoded == {live_server(f"/companies/{slug}/badge")}


def test_the_company_page_links_to_the_check_and_tells_its_admin_what_is_missing(page, badge_company, make_person):
    slug = badge_company("valid", name="Dragør Købmand")
    page.goto(f"/companies/{slug}")
    assert page.get_attribute("#badge-summary [data-state]", "data-state") == "valid"
    assert page.locator("#badge-summary a[href$='badge.pdf']").count() == 0
    with page.expect_navigation():
        page.click(f"#badge-summary a[href='/companies/{slug}/badge']")
    assert page.get_attribute("#badge-state", "data-state") == "valid"

    admin = make_person("chef")
    waiting = badge_company("none", name="Tømrer Holm", admin_email=admin, activity=False)
    log_in(page, admin)
    page.goto(f"/companies/{waiting}")
    summary = page.locator("#badge-summary")
    assert summary.locator("li").count() == 1       # only the activity is missing
    check_a11y(page, "company page, badge missing (admin)")
    shoot(page, "company-badge-summary-admin-da")
