"""Helpers for the browser tests: accessibility check, screenshots and common steps.

Selectors use ids, hrefs and form actions, not visible text, so the tests do not depend on
whether the Danish catalogue is compiled."""

import re
import uuid
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE_REPORT = ROOT / "build" / "a11y" / "axe-results.json"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "correct horse battery"  # what tests.factories.make_user sets
BOOM_PATH = "/_test/boom"

axe_log: list[dict] = []  # every axe run (incl. "needs review" items), written to build/a11y/axe-results.json


def unique_email(prefix: str = "person") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.dk"


def path_of(page) -> str:
    return urlsplit(page.url).path


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


_RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return {violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                             targets: v.nodes.map(n => n.target.join(' '))})),
          passes: r.passes.length,
          incomplete: r.incomplete.map(v => ({id: v.id, targets: v.nodes.map(n => n.target.join(' '))}))};
}"""


def _run_axe(page) -> dict:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())  # add_script_tag would be blocked by the site's CSP
    return page.evaluate(_RUN_AXE, AXE_TAGS)


def check_a11y(page, name: str) -> None:
    """Runs axe-core (WCAG 2.0/2.1 level A and AA) on the page as it is now, at the current
    (desktop) width and again at phone width, since some rules depend on the layout (a table
    that scrolls sideways on a phone must be reachable by keyboard). Asserts no violations,
    and no CSP violations or uncaught script errors seen on the page."""
    page.wait_for_load_state("load")
    size = page.viewport_size or DESKTOP
    found = {}
    for label, viewport in (("desktop", size), ("phone", PHONE)):
        if viewport != size:
            page.set_viewport_size(viewport)
        try:
            result = _run_axe(page)
        finally:
            if viewport != size:
                page.set_viewport_size(size)
        axe_log.append({"name": name, "width": viewport["width"], "url": page.url,
                        "violations": result["violations"], "passes": result["passes"],
                        "incomplete": result["incomplete"]})
        for v in result["violations"]:
            found.setdefault((v["id"], v["impact"], v["help"]), {})[label] = v["targets"]
    lines = [f"- {rule} ({impact}): {help_} -> "
             + "; ".join(f"{label}: {', '.join(targets[:5])}" for label, targets in where.items())
             for (rule, impact, help_), where in found.items()]
    assert not found, (f"axe found {len(found)} violation(s) on {name} ({page.url}):\n"
                       + "\n".join(lines))
    problems = getattr(page, "problems", [])
    assert not problems, f"browser problems on {name} ({page.url}):\n" + "\n".join(problems)


_SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .map(el => (getComputedStyle(el).position === 'absolute' ? '[absolute] ' : '')
               + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
               + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
  return {scrollWidth: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 8)};
}"""


def assert_no_sideways_scroll(page, name: str, width: int) -> None:
    """At `width` CSS pixels the page must not be wider than the screen (WCAG 1.4.10 Reflow):
    wide tables may scroll inside their own box, the page itself may not."""
    size = page.viewport_size or DESKTOP
    page.set_viewport_size({"width": width, "height": 800})
    try:
        found = page.evaluate(_SIDEWAYS)
    finally:
        page.set_viewport_size(size)
    assert found["scrollWidth"] <= found["width"], \
        f"{name} ({page.url}) is wider than a {width}px screen: {found}"


def shoot(page, name: str) -> None:
    """Full-page screenshots for people to look at: <name>-desktop.png, then <name>-phone.png
    at 390x844; the viewport is restored afterwards. Also asserts that the page fits the
    phone's width, since a sideways-scrolling page is what such a screenshot would show."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    size = page.viewport_size or DESKTOP
    page.screenshot(path=str(SCREENSHOTS / f"{safe}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{safe}-phone.png"), full_page=True)
    finally:
        page.set_viewport_size(size)
    assert_no_sideways_scroll(page, name, PHONE["width"])


def submit_form(page, form_selector: str = "main form[method=post]") -> None:
    """Clicks the form's submit button and waits for the answer page."""
    with page.expect_navigation():
        page.locator(form_selector).last.locator("button[type=submit]").first.click()


def log_in(page, email: str, password: str = PASSWORD, *, a11y_name: str | None = None) -> None:
    """Logs in through the login form, going there first unless the browser is on it."""
    if path_of(page) != "/login":
        page.goto("/login")
    if a11y_name:
        check_a11y(page, a11y_name)
    page.fill("#email", email)
    page.fill("#password", password)
    submit_form(page, "main form[action='/login']")
    assert path_of(page) != "/login", f"login as {email} failed: {page.inner_text('main')[:500]}"
    assert page.locator("header form[action='/logout']").count() == 1


def log_out(page) -> None:
    """Logs out with the button in the header; the visitor lands on the front page."""
    with page.expect_navigation():
        page.click("header form[action='/logout'] button")
    assert path_of(page) == "/"
    assert page.locator("header form[action='/logout']").count() == 0


def open_mail(page, to_email: str, href_contains: str):
    """Opens the newest mail to `to_email` in the development outbox (/dev/mail) and returns
    the locator of its first link whose address contains `href_contains`."""
    page.goto("/dev/mail")
    row = page.locator("tbody tr", has=page.locator(f"td:text-is('{to_email}')")).first
    with page.expect_navigation():
        row.locator("a:not([download])").first.click()   # the subject, not the attachment
    assert page.locator("pre.mail-body").count() == 1
    return page.locator(f"pre.mail-body a[href*='{href_contains}']").first


def assert_error_next_to(page, field_id: str) -> None:
    """The message is in the field's own group, right above the input, tied to it by
    aria-describedby, and the input is marked invalid."""
    field, error = page.locator(f"#{field_id}"), page.locator(f"#{field_id}-error")
    assert error.is_visible(), f"no visible error message for {field_id}"
    assert field.get_attribute("aria-invalid") == "true"
    assert f"{field_id}-error" in (field.get_attribute("aria-describedby") or "").split()
    group = page.locator(f"div.form-group.form-error:has(#{field_id})").last
    assert group.locator(f"#{field_id}-error").count() == 1, f"{field_id}'s error is not in its group"
    e, f = error.bounding_box(), field.bounding_box()
    assert 0 <= f["y"] - (e["y"] + e["height"]) < 40, f"{field_id}'s error is not right above it: {e} {f}"
    assert abs(e["x"] - f["x"]) < 5, f"{field_id}'s error is not aligned with the field: {e} {f}"


def with_lang(path: str, lang: str) -> str:
    """`path` with ?lang=… added (or &lang=… when it has a query already), before any #fragment."""
    path, hash_, fragment = path.partition("#")
    return f"{path}{'&' if '?' in path else '?'}lang={lang}{hash_}{fragment}"


def check_in_english(page, path: str, name: str, *, screenshot: str | None = None) -> None:
    """Opens `path` with ?lang=en, checks that it is English and passes axe (and takes the
    screenshot `<screenshot>-en` if asked), then opens it again with ?lang=da so the browser's
    session is Danish again. Only for pages where a GET changes nothing."""
    page.goto(with_lang(path, "en"))
    assert page.get_attribute("html", "lang") == "en", f"{path}?lang=en is not English"
    check_a11y(page, f"{name} (en)")
    if screenshot:
        shoot(page, f"{screenshot}-en")
    page.goto(with_lang(path, "da"))
    assert page.get_attribute("html", "lang") == "da"


_FOCUSED = """() => {
  const el = document.activeElement;
  const form = el.closest('form');
  return {tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type'),
          href: el.getAttribute('href'), action: form ? form.getAttribute('action') : null,
          text: (el.innerText || '').trim().slice(0, 80)};
}"""


def focused(page) -> dict:
    """What has the keyboard focus: tag, id, type, href, the action of its form, its text."""
    return page.evaluate(_FOCUSED)


def tab_to(page, selector: str, *, limit: int = 150) -> None:
    """Presses Tab until the focused element matches the CSS `selector`; fails after `limit`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}; focus is on {focused(page)}")
