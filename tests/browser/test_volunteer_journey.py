"""Journey A: a citizen becomes a volunteer, in a real browser, with axe on every page."""

from urllib.parse import parse_qs, urlsplit

from tests.browser.helpers import (assert_error_next_to, check_a11y, log_in, log_out, open_mail, path_of, shoot,
                                   submit_form, unique_email)

NEW_PASSWORD = "en lang nok sætning"


def test_volunteer_registers_with_a_mistake_confirms_logs_in_edits_profile_and_logs_out(page, live_server):
    """A visitor finds "Bliv frivillig" on the Danish front page, makes mistakes in the form
    and sees each message next to its field with everything typed still there, fixes them,
    follows the confirmation link from the e-mail, logs in, changes the phone number on
    "Min side" and logs out. Every page passes axe (WCAG 2.1 AA)."""
    email = unique_email("ida")

    page.goto("/")
    assert page.get_attribute("html", "lang") == "da", "the front page must be Danish by default"
    check_a11y(page, "front page")
    shoot(page, "front")

    with page.expect_navigation():
        page.click("main a[href='/register']")
    assert path_of(page) == "/register"
    check_a11y(page, "register form")
    shoot(page, "register")

    # First try: no name and a postcode that is not Danish.
    page.fill("#name", "")
    page.fill("#email", email)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#birth_date-day", "24")
    page.fill("#birth_date-month", "12")
    page.fill("#birth_date-year", "1950")
    page.fill("#postcode", "12")
    page.fill("#phone", "22 33 44 55")
    page.check("#accept_terms")
    submit_form(page, "main form[action='/register']")

    assert path_of(page) == "/register"
    assert_error_next_to(page, "name")
    assert_error_next_to(page, "postcode")
    assert page.locator(".form-group.form-error").count() == 2, "only the two wrong fields are marked"
    summary = page.locator("#error-summary")
    assert summary.locator("a[href='#name']").count() == 1
    assert summary.locator("a[href='#postcode']").count() == 1
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    # What was typed is still there ...
    assert page.input_value("#email") == email
    assert [page.input_value(f"#birth_date-{p}") for p in ("day", "month", "year")] == ["24", "12", "1950"]
    assert page.input_value("#postcode") == "12"
    assert page.input_value("#phone") == "22 33 44 55"
    assert page.is_checked("#accept_terms")
    # ... except the password, which is never sent back to the browser.
    assert page.input_value("#password") == ""
    check_a11y(page, "register form with errors")
    shoot(page, "register-errors")

    # The error summary's link takes the user to the field.
    summary.locator("a[href='#postcode']").click()
    assert page.evaluate("document.activeElement.id") == "postcode"

    page.fill("#name", "Ida Holm")
    page.fill("#postcode", "2791")
    page.fill("#password", NEW_PASSWORD)
    submit_form(page, "main form[action='/register']")
    assert path_of(page) == "/register/check-email"
    assert email in page.inner_text("main")
    check_a11y(page, "check your e-mail")
    shoot(page, "check-email")

    confirm_link = open_mail(page, email, "/confirm/")
    check_a11y(page, "confirmation e-mail in the development outbox")
    shoot(page, "mail-confirm")
    assert confirm_link.get_attribute("href").startswith(live_server.url + "/confirm/"), \
        "links in e-mails must use BASE_URL"
    with page.expect_navigation():
        confirm_link.click()
    assert path_of(page) == "/login"
    assert page.locator("main .alert-success").is_visible()
    check_a11y(page, "login after confirming")

    log_in(page, email, NEW_PASSWORD)
    assert path_of(page) == "/me"
    main = page.inner_text("main")
    assert "Ida Holm" in main and email in main and "22 33 44 55" in main
    check_a11y(page, "my page")
    shoot(page, "my-page")

    # "Min side" from the menu, then edit the profile.
    page.goto("/")
    with page.expect_navigation():
        page.click("header nav a[href='/me']")
    assert page.get_attribute("header nav a[href='/me']", "aria-current") == "page"
    with page.expect_navigation():
        page.click("main a[href='/me/profile']")
    assert path_of(page) == "/me/profile"
    assert page.input_value("#phone") == "22 33 44 55"
    assert page.input_value("#name") == "Ida Holm"
    check_a11y(page, "edit profile")
    shoot(page, "profile")
    page.fill("#phone", "32890123")
    submit_form(page, "main form[action='/me/profile']")
    assert path_of(page) == "/me"
    assert page.locator("main .alert-success").is_visible()
    main = page.inner_text("main")
    assert "32 89 01 23" in main and "22 33 44 55" not in main
    check_a11y(page, "my page after saving the profile")

    log_out(page)
    assert page.locator("main .alert-success").is_visible()
    check_a11y(page, "front page after logging out")
    page.goto("/me")
    assert path_of(page) == "/login", "after logging out, Min side asks for a login again"
    assert parse_qs(urlsplit(page.url).query).get("next") == ["/me"]
