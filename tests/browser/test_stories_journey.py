"""Journey (issue 12), stories: an organisation's member writes a story with a photo; a photo
without its description comes back with the message next to the field and the text kept; with the
description the story is published, and a visitor finds it on /stories, on the organisation's page
and on the story's own page with the photo and its alt text. The member gives the organisation a
picture. axe runs on every stories page in Danish and English; no page scrolls sideways on a phone;
every image is served from our own site."""

from urllib.parse import urlsplit

from portal.extensions import db
from tests.browser.helpers import (PHONE, assert_error_next_to, assert_no_sideways_scroll, check_a11y,
                                   check_in_english, log_in, path_of, shoot, submit_form, unique_email)
from tests.factories import make_organisation, make_task, make_user, picture_bytes


def _world(live_server):
    email = unique_email("poul")
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        poul = make_user(email=email, name="Poul Nielsen")
        org = make_organisation(admin=poul, name=f"Repaircaféen {email[5:11]}")
        make_task(org, title="Repaircafé første lørdag")
        db.session.commit()
        slug = org.slug
        db.session.remove()
    return email, slug


def _images_are_ours(page, live_server):
    for src in page.eval_on_selector_all("img", "els => els.map(e => e.src)"):
        assert urlsplit(src).netloc == urlsplit(live_server.url).netloc, src


def test_a_member_writes_a_story_with_a_photo_and_a_visitor_sees_it(new_page, live_server, tmp_path):
    email, slug = _world(live_server)
    photo = tmp_path / "hjul.jpg"
    photo.write_bytes(picture_bytes(size=(2000, 1500), exif_gps=True))

    member = new_page()
    log_in(member, email)
    member.goto(f"/organisations/{slug}")
    with member.expect_navigation():
        member.click(f"main a[href='/organisations/{slug}/stories/new']")
    assert path_of(member) == f"/organisations/{slug}/stories/new"
    check_a11y(member, "write a story (da)")
    check_in_english(member, f"/organisations/{slug}/stories/new", "write a story")

    member.fill("#title", "Fjorten ting fik et nyt liv")
    member.fill("#summary", "En cykel, tre lamper og en bamse blev repareret.")
    member.fill("#body", "Vi skruede og loddede hele formiddagen.\n\nTak til alle, der kom!")
    member.set_input_files("#picture", str(photo))
    member.select_option("#task", label="Repaircafé første lørdag")
    submit_form(member, f"main form[action='/organisations/{slug}/stories/new']")
    assert_error_next_to(member, "picture_alt")
    assert member.input_value("#title") == "Fjorten ting fik et nyt liv"
    assert "Vi skruede og loddede" in member.input_value("#body")
    check_a11y(member, "write a story with an error (da)")

    # The browser forgets the file on the way back: the hint says to choose it again.
    member.set_input_files("#picture", str(photo))
    member.fill("#picture_alt", "Et cykelhjul på et værkstedsbord")
    member.check("#publish-0")
    submit_form(member, f"main form[action='/organisations/{slug}/stories/new']")
    story_path = path_of(member)
    assert story_path.startswith("/stories/")
    assert member.locator("figure.story-photo img").get_attribute("alt") == "Et cykelhjul på et værkstedsbord"
    check_a11y(member, "a story, for its member (da)")

    # The organisation gets a picture too.
    member.goto(f"/organisations/{slug}/edit")
    check_a11y(member, "edit an organisation with its picture (da)")
    member.set_input_files("#picture", str(photo))
    member.fill("#picture_alt", "Værkstedet i Wiedergården")
    submit_form(member, f"main form[action='/organisations/{slug}/edit']")
    assert path_of(member) == f"/organisations/{slug}"
    member.goto(f"/organisations/{slug}/edit")
    assert member.input_value("#picture_alt") == "Værkstedet i Wiedergården"
    check_a11y(member, "edit an organisation that has a picture (da)")
    check_in_english(member, f"/organisations/{slug}/edit", "edit an organisation that has a picture")

    visitor = new_page()
    visitor.goto("/stories")
    card = visitor.locator("li.story-card", has_text="Fjorten ting fik et nyt liv")
    assert card.count() == 1 and card.locator("img").get_attribute("alt") == "Et cykelhjul på et værkstedsbord"
    check_a11y(visitor, "stories (da)")
    shoot(visitor, "stories-list-da")
    check_in_english(visitor, "/stories", "stories", screenshot="stories-list")
    _images_are_ours(visitor, live_server)

    with visitor.expect_navigation():
        card.locator("a").first.click()
    assert path_of(visitor) == story_path
    photo_el = visitor.locator("figure.story-photo img")
    assert photo_el.get_attribute("width") == "1200" and photo_el.get_attribute("height") == "900"
    assert visitor.evaluate("() => document.querySelector('figure.story-photo img').naturalWidth") == 1200
    assert visitor.locator("main a", has_text="Repaircafé første lørdag").count() == 1
    check_a11y(visitor, "a story (da)")
    shoot(visitor, "story-da")
    check_in_english(visitor, story_path, "a story", screenshot="story")
    _images_are_ours(visitor, live_server)

    visitor.goto(f"/organisations/{slug}")
    assert visitor.locator("figure.org-picture img").get_attribute("alt") == "Værkstedet i Wiedergården"
    assert visitor.locator("li.story-card", has_text="Fjorten ting fik et nyt liv").count() == 1
    check_a11y(visitor, "organisation with a story (da)")
    check_in_english(visitor, f"/organisations/{slug}", "organisation with a story")
    for path in ("/stories", story_path, f"/organisations/{slug}"):
        visitor.goto(path)
        assert_no_sideways_scroll(visitor, path, PHONE["width"])

    # Back to a draft: the visitor no longer finds it.
    member.goto(story_path)
    submit_form(member, f"main form[action='{story_path}/unpublish']")
    visitor.goto("/stories")
    assert visitor.locator("li.story-card", has_text="Fjorten ting fik et nyt liv").count() == 0
    assert visitor.goto(story_path).status == 404
    member.goto(f"{story_path}/edit")
    check_a11y(member, "edit a story (da)")
    member.goto(f"{story_path}/delete")
    check_a11y(member, "delete a story (da)")


def test_the_coordinator_hides_a_story_with_a_reason(new_page, live_server):
    email, slug = _world(live_server)
    coordinator = unique_email("anne")
    with live_server.app.app_context():
        from portal.models import Organisation
        from tests.factories import make_story
        make_user(email=coordinator, coordinator=True)
        org = db.session.query(Organisation).filter_by(slug=slug).one()
        story_id = make_story(org, title="Sankthans ved stranden", picture=True).id
        db.session.commit()
        db.session.remove()
    page = new_page()
    log_in(page, coordinator)
    page.goto(f"/stories/{story_id}/hide")
    check_a11y(page, "hide a story (da)")
    check_in_english(page, f"/stories/{story_id}/hide", "hide a story")
    page.fill("#reason", "Et barns fulde navn står i teksten.")
    submit_form(page, f"main form[action='/stories/{story_id}/hide']")
    assert "Et barns fulde navn" in page.inner_text("main")
    check_a11y(page, "a hidden story, for the coordinator (da)")
    assert new_page().goto(f"/stories/{story_id}").status == 404
