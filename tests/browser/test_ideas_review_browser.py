"""The ideas box as the users nobody tried: without JavaScript, by keyboard alone, at phone width,
with text at its longest (a pasted address with no spaces in it)."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Idea
from tests.browser.helpers import PHONE, assert_no_sideways_scroll, open_mail, path_of, unique_email
from tests.factories import make_idea, make_user

LONG_URL = "https://www.facebook.com/groups/" + "dragoerfrivilligeforeningerogborgere" * 3 + "/permalink/1234567890"


def test_long_unbroken_text_does_not_make_an_idea_page_scroll_sideways_on_a_phone(new_page, live_server):
    with live_server.app.app_context():
        author = make_user(email=unique_email("lang"), name="L" * 120)
        idea = make_idea(author, title="T" * 140, body=f"Se her: {LONG_URL}", who_it_helps=LONG_URL,
                         place_name="P" * 120)
        db.session.commit()
        idea_id = idea.id
        db.session.remove()
    page = new_page(viewport=PHONE)
    page.goto("/ideas")
    assert_no_sideways_scroll(page, "the ideas list with a long title", 320)
    page.goto(f"/ideas/{idea_id}")
    assert_no_sideways_scroll(page, "an idea with a long address in it", 320)


def test_the_short_form_by_keyboard_alone_without_javascript_on_a_phone(new_page, live_server):
    email = unique_email("tastatur")
    page = new_page(java_script_enabled=False, viewport=PHONE)
    page.goto("/ideas")
    page.locator("main a[href='/ideas/send']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/ideas/send"
    page.locator("#name").focus()
    # Tab walks the fields in the order they are shown; what is typed is what is sent.
    for field, text in (("name", "Grethe ‮Tastatur"), ("email", email), ("title", "Bænk ved havnen 🪑"),
                        ("body", "Kort"), ("who_it_helps", "Ældre på gåtur")):
        assert page.evaluate("document.activeElement.id") == field
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")   # focus is on the submit button after the last field
    assert page.locator("#body-error").is_visible()
    assert page.input_value("#title") == "Bænk ved havnen 🪑"
    page.locator("#body").fill("")
    page.locator("#body").focus()
    page.keyboard.type("En bænk mere ved havnen,\nså man kan hvile sig på gåturen.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert email in page.locator("main").inner_text()
    link = open_mail(page, email, "/ideas/confirm/")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.fullmatch(r"/ideas/\d+", path_of(page))
    assert page.locator("main h1").inner_text() == "Bænk ved havnen 🪑"
    assert_no_sideways_scroll(page, "the confirmed idea", 320)
    with live_server.app.app_context():
        idea = db.session.scalar(select(Idea).where(Idea.author_email == email))
        assert idea.published_at is not None and "\n" in idea.body
        db.session.remove()
