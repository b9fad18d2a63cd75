"""The site works with JavaScript switched off (design.md §6: JavaScript only enhances)."""

from tests.browser.helpers import log_in, log_out, open_mail, path_of, submit_form, unique_email


def test_register_confirm_log_in_and_out_without_javascript(new_page):
    """With JavaScript disabled a visitor can still see a form error, register, confirm the
    e-mail address through the link, log in to Min side and log out: every step is a plain
    link or form."""
    page = new_page(java_script_enabled=False)
    email = unique_email("nojs")

    page.goto("/register")
    page.fill("#email", email)
    page.fill("#password", "uden javascript virker det")
    page.fill("#birth_date-day", "1")
    page.fill("#birth_date-month", "2")
    page.fill("#birth_date-year", "1990")
    page.fill("#postcode", "2791")
    page.check("#accept_terms")
    submit_form(page, "main form[action='/register']")
    assert path_of(page) == "/register"
    assert page.locator("#name-error").is_visible() and page.locator("#error-summary").is_visible()

    page.fill("#name", "Nora Nojs")
    page.fill("#password", "uden javascript virker det")
    submit_form(page, "main form[action='/register']")
    assert path_of(page) == "/register/check-email"

    link = open_mail(page, email, "/confirm/")
    with page.expect_navigation():
        link.click()
    assert path_of(page) == "/login"

    log_in(page, email, "uden javascript virker det")
    assert path_of(page) == "/me"
    assert "Nora Nojs" in page.inner_text("main")
    log_out(page)
    page.goto("/me")
    assert path_of(page) == "/login"
