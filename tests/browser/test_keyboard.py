"""Keyboard-only use: the skip link comes first, and a whole form works without a mouse."""

from tests.browser.helpers import check_a11y, path_of, unique_email


def _focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                href: el.getAttribute('href'), type: el.getAttribute('type')};
    }""")


def test_first_tab_reaches_a_visible_skip_link_that_moves_focus_to_the_content(page):
    """Pressing Tab once on the front page focuses the skip link ("Gå til sidens indhold"),
    which is then visible on screen; Enter moves focus to #main-content, so the next Tab
    goes into the content instead of through the menu again."""
    page.goto("/")
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["tag"] == "a" and focused["href"] == "#main-content", f"first focus: {focused}"
    # DKFDS slides the link in (0.2 s transition); it must end up fully on screen.
    page.wait_for_function("""() => {
        const r = document.querySelector("a[href='#main-content']").getBoundingClientRect();
        return r.top >= 0 && r.left >= 0 && r.width > 10 && r.height > 10;
    }""", timeout=2000)
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main-content'")
    assert page.url.endswith("#main-content")
    page.keyboard.press("Tab")
    after = page.evaluate("document.activeElement.closest('main') !== null")
    assert after, f"after the skip link, Tab should stay in the content, got {_focused(page)}"


def test_register_form_can_be_filled_and_sent_with_the_keyboard_only(page):
    """From the top of /register, Tab reaches the fields in the order they are shown
    (name, e-mail, password, day, month, year, postcode, phone, the terms links, the
    checkbox, the button); typing, Space on the checkbox and Enter on the button create
    the profile without touching the mouse."""
    email = unique_email("tastatur")
    page.goto("/register")
    check_a11y(page, "register form (keyboard test)")

    for _ in range(40):  # through the skip link, header and menu to the first field
        page.keyboard.press("Tab")
        if _focused(page)["id"] == "name":
            break
    else:
        raise AssertionError("Tab never reached the name field")

    page.keyboard.type("Tove Tast")
    typed = [("email", email), ("password", "tastatur er nok"), ("birth_date-day", "3"),
             ("birth_date-month", "4"), ("birth_date-year", "1944"), ("postcode", "2791"),
             ("phone", "")]
    for field_id, text in typed:
        page.keyboard.press("Tab")
        assert _focused(page)["id"] == field_id, f"expected #{field_id}, focus is on {_focused(page)}"
        if text:
            page.keyboard.type(text)
    for href in ("/terms", "/privacy"):
        page.keyboard.press("Tab")
        assert _focused(page)["href"] == href, f"expected the {href} link, focus is on {_focused(page)}"
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "accept_terms"
    page.keyboard.press("Space")
    assert page.is_checked("#accept_terms")
    page.keyboard.press("Tab")
    assert _focused(page)["type"] == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/register/check-email", page.inner_text("main")[:500]
    assert email in page.inner_text("main")
