"""Journey (issue 11), the citizens' side of the ideas box: a 16-year-old writes an idea; two others
support it and one of them pledges help; the counts show; the author can no longer edit and adds
a correction instead; someone without a profile reports a comment. axe runs on /ideas, an idea
page, /ideas/new and /ideas/send in Danish and English; screenshots of the list and the idea page
(desktop and phone, both languages) go to build/screenshots and /tmp/brief/shots."""

import re
import shutil
from datetime import date
from pathlib import Path

from sqlalchemy import select

from portal.extensions import db
from portal.models import Idea, IdeaComment, Report
from tests.browser.helpers import (SCREENSHOTS, assert_error_next_to, check_a11y, check_in_english, log_in,
                                   path_of, shoot, submit_form, unique_email)
from tests.factories import make_user

SHOTS = Path("/tmp/brief/shots")


def _shoot(page, name):
    shoot(page, name)
    if SHOTS.is_dir():
        for kind in ("desktop", "phone"):
            shutil.copy(SCREENSHOTS / f"{name}-{kind}.png", SHOTS / f"{name}-{kind}.png")


def _person(live_server, prefix, name, birth_date=date(1970, 4, 2)):
    email = unique_email(prefix)
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=email, name=name, birth_date=birth_date)
        db.session.commit()
        db.session.remove()
    return email


def _sixteen():
    today = date.today()
    return date(today.year - 16, today.month, min(today.day, 28))


def _both_languages(page, path, name, screenshot=None):
    page.goto(path)
    check_a11y(page, f"{name} (da)")
    if screenshot:
        _shoot(page, f"{screenshot}-da")
    check_in_english(page, path, name, screenshot=None)
    if screenshot:
        page.goto(path + ("&" if "?" in path else "?") + "lang=en")
        _shoot(page, f"{screenshot}-en")
        page.goto(path + ("&" if "?" in path else "?") + "lang=da")


def _counts(page) -> tuple[int, int]:
    text = page.locator("#support + p").inner_text()
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    return numbers[0], numbers[1]


def test_a_sixteen_year_old_writes_an_idea_others_support_and_help_and_a_comment_is_reported(
        new_page, live_server):
    freja = _person(live_server, "freja", "Freja Holm", _sixteen())
    anna = _person(live_server, "anna", "Anna Berg")
    bo = _person(live_server, "bo", "Bo Lund")

    # --- Freja, 16, writes an idea; a mistake comes back next to its field with what she typed
    author = new_page()
    log_in(author, freja)
    author.goto("/ideas")
    author.click("main a[href='/ideas/new']")
    assert path_of(author) == "/ideas/new"
    check_a11y(author, "write an idea (da)")
    author.fill("#title", "Skak med beboerne på Enggården")
    author.fill("#body", "Kort")
    author.fill("#who_it_helps", "Beboerne, og unge der kan lide skak")
    submit_form(author, "main form[action='/ideas/new']")
    assert_error_next_to(author, "body")
    assert author.input_value("#title") == "Skak med beboerne på Enggården"
    check_a11y(author, "write an idea with an error (da)")
    author.fill("#body", "Unge fra skolen spiller skak med beboerne hver tirsdag eftermiddag.")
    author.fill("#place_name", "Enggården")
    author.fill("#postcode", "2791")
    submit_form(author, "main form[action='/ideas/new']")
    idea_path = path_of(author)
    assert re.fullmatch(r"/ideas/\d+", idea_path), idea_path
    assert author.locator("main h1").inner_text() == "Skak med beboerne på Enggården"
    assert author.locator(f"main a[href='{idea_path}/edit']").count() == 1

    # --- Anna and Bo support it; Bo (double-clicking, by a second submit) also pledges his time
    for email, pledge in ((anna, None), (bo, "To timer om torsdagen")):
        other = new_page()
        log_in(other, email)
        other.goto(idea_path)
        check_a11y(other, "an idea, logged in (da)")
        submit_form(other, f"main form[action='{idea_path}/support']")
        assert other.locator(f"main form[action='{idea_path}/support/withdraw']").count() == 1
        if pledge:
            other.fill("#note", pledge)
            submit_form(other, f"main form[action='{idea_path}/help']")
            submit_form(other, f"main form[action='{idea_path}/help']")
            assert pledge in other.locator("main").inner_text()
            _shoot(other, "ideas-idea-supporter-da")
        else:
            other.fill("#body", "Min morfar bor på Enggården, han vil elske det!")
            submit_form(other, f"main form[action='{idea_path}/comments']")
    assert _counts(other) == (2, 1)

    # --- the counts show to everyone; the author can no longer edit, and adds a correction
    author.goto(idea_path)
    assert _counts(author) == (2, 1)
    author.click(f"main a[href='{idea_path}/edit']")
    assert author.locator("#title").count() == 0, "the text is locked once others support it"
    check_a11y(author, "add a correction (da)")
    author.fill("#body", "Vi mødes klokken 14, ikke 16.")
    submit_form(author, f"main form[action='{idea_path}/edit']")
    assert path_of(author) == idea_path
    assert "Vi mødes klokken 14, ikke 16." in author.locator("main").inner_text()

    # --- someone without a profile reports Anna's comment and is thanked
    anyone = new_page()
    anyone.goto(idea_path)
    with live_server.app.app_context():
        comment_id = db.session.scalar(select(IdeaComment.id).join(Idea).where(Idea.title.like("Skak med%")))
        db.session.remove()
    anyone.click(f"main a[href='{idea_path}/comments/{comment_id}/report']")
    check_a11y(anyone, "report a comment (da)")
    anyone.check("#reason-0")
    anyone.fill("#note", "Nævner en bestemt beboer")
    submit_form(anyone, f"main form[action='{idea_path}/comments/{comment_id}/report']")
    assert anyone.locator("main h1").count() == 1 and anyone.locator("main form").count() == 0
    with live_server.app.app_context():
        assert db.session.scalar(select(Report.comment_id).where(Report.comment_id == comment_id)) == comment_id
        db.session.remove()

    # --- axe on the public pages in both languages, with screenshots to look at
    _both_languages(anyone, "/ideas", "the ideas box", screenshot="ideas-list")
    _both_languages(anyone, idea_path, "an idea", screenshot="ideas-idea")
    _both_languages(anyone, "/ideas/send", "send an idea without a profile")
    _both_languages(author, "/ideas/new", "write an idea")
    check_in_english(author, idea_path, "an idea, as its author")
