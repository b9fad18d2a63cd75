"""The company pages in a real browser (issue 10): a company applies (a bad CVR number is shown
next to its field), the coordinator approves, the admin publishes the leave policy, the line
appears on /companies, and an employee links to the company with consents they tick themselves.
axe on every page in Danish and English; screenshots at desktop and phone width."""

import io

from PIL import Image

from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, log_out, path_of,
                                   shoot, submit_form)


def _logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 300), (30, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def _company_slug(live_server, name):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Company

    with live_server.app.app_context():
        slug = db.session.scalar(select(Company.slug).where(Company.name == name))
        db.session.remove()
    return slug


def test_a_company_applies_is_approved_publishes_its_policy_and_an_employee_links_to_it(
        new_page, live_server, make_person):
    lise = make_person("lise", name="Lise Kragh")
    anne = make_person("anne", name="Anne Møller", coordinator=True)
    sara = make_person("sara", name="Sara Juhl")

    # 1. Lise applies for her shop; a CVR number with a wrong check digit is refused next to the field.
    page = new_page()
    log_in(page, lise)
    page.goto("/companies/apply")
    check_a11y(page, "company application form")
    page.fill("#name", "Købmand Kragh")
    page.fill("#cvr", "61 12 62 29")
    page.fill("#description", "Byens købmand. Vi giver teamdage og sponsorerer kaffe til arrangementer.")
    page.fill("#address", "Kongevejen 28")
    page.fill("#postcode", "2791")
    page.fill("#city", "Dragør")
    page.fill("#contact_name", "Lise Kragh")
    page.fill("#contact_email", "lise@example.dk")
    page.fill("#contact_phone", "32 53 02 20")
    page.check("#supports-1")   # team days
    page.check("#supports-4")   # sponsorship
    page.set_input_files("#logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _logo_png()}])
    submit_form(page)
    assert_error_next_to(page, "cvr")
    assert "ikke et gyldigt CVR-nummer" in page.inner_text("#cvr-error")
    assert page.input_value("#name") == "Købmand Kragh" and page.is_checked("#supports-1")
    check_a11y(page, "company application form with an error")
    shoot(page, "company-apply-error")
    page.fill("#cvr", "61 12 62 28")
    page.set_input_files("#logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _logo_png()}])
    submit_form(page)
    slug = _company_slug(live_server, "Købmand Kragh")
    assert path_of(page) == f"/companies/{slug}"
    assert "Venter på godkendelse" in page.inner_text("main")
    check_a11y(page, "a pending company's page")
    check_in_english(page, "/companies/apply", "company application form", screenshot="company-apply")

    # Lise prepares the policy while she waits: 7,4 hours a year for team days.
    page.goto(f"/companies/{slug}/policy")
    check_a11y(page, "leave policy form")
    page.fill("#amount", "7,45")
    page.check("#unit-0")
    page.check("#scope-2")
    page.fill("#how_to_ask", "Skriv dig på listen i personalerummet, når vi melder en teamdag ud.")
    page.fill("#since-day", "1")
    page.fill("#since-month", "9")
    page.fill("#since-year", "2024")
    page.check("#publish")
    submit_form(page)
    assert_error_next_to(page, "amount")
    check_a11y(page, "leave policy form with an error")
    page.fill("#amount", "7,4")
    submit_form(page)
    assert path_of(page) == f"/companies/{slug}"
    check_in_english(page, f"/companies/{slug}/policy", "leave policy form", screenshot="company-policy")
    log_out(page)

    # 2. The coordinator approves it.
    coordinator = new_page()
    log_in(coordinator, anne)
    coordinator.goto("/coordinator")
    with coordinator.expect_navigation():
        coordinator.click("a[href='/companies/review']")
    check_a11y(coordinator, "companies waiting for approval")
    with coordinator.expect_navigation():
        coordinator.click(f"a[href='/companies/{slug}/review']")
    check_a11y(coordinator, "a company to approve")
    shoot(coordinator, "company-review")
    submit_form(coordinator, f"main form[action='/companies/{slug}/approve']")
    assert path_of(coordinator) == "/companies/review"
    check_in_english(coordinator, "/companies/review", "companies waiting for approval")

    # 3. Anyone sees it on the list, with its line and logo.
    visitor = new_page()
    visitor.goto("/companies")
    card = visitor.locator(".company-card", has=visitor.locator(f"a[href='/companies/{slug}']"))
    assert "Giver 7,4 timer om året til hver medarbejder" in card.inner_text()
    assert card.locator("img").get_attribute("alt") == "Købmand Kragh"
    check_a11y(visitor, "the list of companies")
    shoot(visitor, "companies-list")
    check_in_english(visitor, "/companies", "the list of companies", screenshot="companies-list")
    visitor.goto("/companies?kind=lending")
    assert visitor.locator(f"a[href='/companies/{slug}']").count() == 0
    visitor.goto(f"/companies/{slug}")
    main = visitor.inner_text("main")
    assert "Giver 7,4 timer om året til hver medarbejder" in main and "siden 1. september 2024" in main
    check_a11y(visitor, "a company's page")
    shoot(visitor, "company-page")
    check_in_english(visitor, f"/companies/{slug}", "a company's page", screenshot="company-page")

    # 4. Sara links herself to her employer; both consents start unticked and she ticks one.
    employee = new_page()
    log_in(employee, sara)
    employee.goto("/me")
    with employee.expect_navigation():
        employee.click("a[href='/me/employer']")
    check_a11y(employee, "my employer (not linked)")
    employee.fill("#employer-q", "kragh")
    with employee.expect_navigation():
        employee.click("main form[role=search] button[type=submit]")
    form = employee.locator(f"main form[action='/me/employer/link/{slug}']")
    assert not form.locator("input[name=share_name]").is_checked()
    assert not form.locator("input[name=count_hours]").is_checked()
    check_a11y(employee, "my employer, search results")
    form.locator("input[name=count_hours]").check()
    submit_form(employee, f"main form[action='/me/employer/link/{slug}']")
    assert path_of(employee) == "/me/employer"
    assert "Du er nu knyttet til Købmand Kragh" in employee.inner_text("main")
    check_a11y(employee, "my employer (linked)")
    shoot(employee, "my-employer")
    check_in_english(employee, "/me/employer", "my employer", screenshot="my-employer")

    # 5. Lise sees one linked employee, but not Sara's name.
    log_in(page, lise)
    page.goto(f"/companies/{slug}/staff")
    staff = page.inner_text("main")
    assert "Sara Juhl" not in staff and "1 medarbejder har ikke valgt at dele sit navn" in staff
    check_a11y(page, "the employer's view of its staff")
    check_in_english(page, f"/companies/{slug}/staff", "the employer's view of its staff")
    page.goto(f"/companies/{slug}/admins")
    check_a11y(page, "company administrators")
    check_in_english(page, f"/companies/{slug}/admins", "company administrators")
