"""The main pages, the error pages included, in Danish and in English: accessible (axe),
in the chosen language, and readable on a narrow phone without sideways scrolling."""

import pytest

from tests.browser.helpers import BOOM_PATH, assert_no_sideways_scroll, check_a11y, log_in, shoot

# (screenshot name, path, expected HTTP status, needs a logged-in non-coordinator)
PAGES = [
    ("front", "/", 200, False),
    ("register", "/register", 200, False),
    ("login", "/login", 200, False),
    ("privacy", "/privacy", 200, False),
    ("accessibility", "/accessibility", 200, False),
    ("organisations", "/organisations", 200, False),
    ("companies", "/companies", 200, False),
    ("company-apply", "/companies/apply", 200, True),
    ("my-employer", "/me/employer", 200, True),
    ("error-404", "/no-such-page", 404, False),
    ("error-500", BOOM_PATH, 500, False),
    ("error-403", "/coordinator", 403, True),
]
REFLOW_WIDTH = 320  # WCAG 1.4.10: content reflows at 320 CSS pixels


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name,path,status,login", PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_in_both_languages(page, make_person, lang, name, path, status, login):
    """`?lang=da|en` shows the page in that language (html lang and the header's language
    switch say so), with the right HTTP status and our own page for 403/404/500; axe finds
    no WCAG 2.1 AA violation; and at 320 px width nothing needs horizontal scrolling."""
    if login:
        log_in(page, make_person("frivillig"))
    response = page.goto(f"{path}?lang={lang}")
    assert response.status == status
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute(f"header a[hreflang='{lang}']", "aria-current") == "true"
    other = "en" if lang == "da" else "da"
    assert page.get_attribute(f"header a[hreflang='{other}']", "aria-current") is None
    if status >= 400:
        # Our own error page in the site's layout, not the server's bare one.
        assert page.locator("header.site-header").count() == 1
        assert str(status) in page.inner_text("main")
        assert "RuntimeError" not in page.content(), "a crash must not leak details"
    check_a11y(page, f"{name} ({lang})")
    shoot(page, f"{name}-{lang}")
    assert_no_sideways_scroll(page, f"{name} ({lang})", REFLOW_WIDTH)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_company_page_is_accessible_in_both_languages(page, live_server, lang):
    """A company with a published policy, a logo and kinds of support, as anyone sees it."""
    from portal.extensions import db
    from tests.factories import make_company, make_policy

    with live_server.app.app_context():
        company = make_company(name=f"Tømrer Holm {lang}", supports=("lending", "skills"), skills=("carpentry", "van"))
        make_policy(company, hours_tenths=20, unit="days", scope="team_days")
        slug = company.slug
        db.session.commit()
        db.session.remove()
    response = page.goto(f"/companies/{slug}?lang={lang}")
    assert response.status == 200 and page.get_attribute("html", "lang") == lang
    assert ("Giver 2 dage (14,8 timer) om året" if lang == "da" else "Gives 2 days (14.8 hours) a year") \
        in page.inner_text("main")
    check_a11y(page, f"company page ({lang})")
    shoot(page, f"company-{lang}")
    assert_no_sideways_scroll(page, f"company page ({lang})", REFLOW_WIDTH)
