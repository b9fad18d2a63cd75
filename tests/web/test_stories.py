"""Stories through the web: the public list and story page, drafts and hidden stories kept from the
public (pages, photos and the page cache), members writing with a photo and its description, the
coordinator hiding with a reason, hostile text in every field, and pinned query counts."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OrganisationStatus, OutboxMessage, Story, utcnow
from tests.conftest import counting_queries, csrf_token, login, submit
from tests.factories import add_member, make_organisation, make_story, make_task, make_user, picture_bytes


@pytest.fixture
def world(app):
    with app.app_context():
        mette = make_user(email="mette@example.dk", name="Mette Strand")
        org = make_organisation(admin=mette, name="Naturvogterne")
        add_member(org, make_user(email="kollega@example.dk"))
        make_organisation(admin=make_user(email="anden@example.dk"), name="Andre")
        make_user(email="koordinator@example.dk", coordinator=True)
        make_user(email="borger@example.dk")
        task = make_task(org, title="Næste strandrensning")
        public = make_story(org, title="Strandrensning ved Sydspidsen", picture=True, author=mette,
                            summary="Tolv frivillige og 80 kg affald.", task_id=task.id,
                            body="Vi mødtes ved p-pladsen.\n\nBagefter drak vi kaffe.\nOg spiste kage.")
        draft = make_story(org, title="Hemmelig kladde", published=False, picture=True, author=mette)
        hidden = make_story(org, title="Skjult historie", picture=True, author=mette,
                            hidden_at=utcnow(), hidden_reason="Et barns fulde navn")
        db.session.commit()
        return {"org": org.slug, "public": public.id, "draft": draft.id, "hidden": hidden.id, "task": task.id}


def text(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_the_public_sees_public_stories_with_photo_paragraphs_and_the_task(client, world):
    code, html = text(client, "/stories?lang=en")
    assert code == 200 and "Strandrensning ved Sydspidsen" in html and "Naturvogterne" in html
    assert "Hemmelig kladde" not in html and "Skjult historie" not in html
    assert 'alt="Frivillige med affaldssække på Dragør strand"' in html and 'width="640"' in html
    code, html = text(client, f"/stories/{world['public']}?lang=en")
    assert code == 200
    assert "<p>Vi mødtes ved p-pladsen.</p>" in html and "<p>Bagefter drak vi kaffe.<br>Og spiste kage.</p>" in html
    assert "Help us next time" in html and f'/tasks/{world["task"]}"' in html
    assert "Edit the story" not in html
    picture = client.get(f"/stories/{world['public']}/picture")
    assert picture.status_code == 200 and picture.headers["Content-Type"] == "image/jpeg"
    assert "public" in picture.headers["Cache-Control"]


def test_a_task_that_is_no_longer_public_is_not_offered(app, client, world):
    with app.app_context():
        from portal.models import Task, TaskStatus
        db.session.get(Task, world["task"]).status = TaskStatus.draft
        db.session.commit()
    code, html = text(client, f"/stories/{world['public']}?lang=en")
    assert code == 200 and "Help us next time" not in html


@pytest.mark.parametrize("who", [None, "borger@example.dk", "anden@example.dk"])
def test_drafts_and_hidden_stories_and_their_photos_are_404_for_others(client, world, who):
    if who:
        login(client, who)
    for key in ("draft", "hidden"):
        assert client.get(f"/stories/{world[key]}").status_code == 404
        assert client.get(f"/stories/{world[key]}/picture").status_code == 404
        assert client.get(f"/stories/{world[key]}/edit").status_code == (404 if who else 302)
    html = client.get(f"/organisations/{world['org']}").get_data(as_text=True)
    assert "Strandrensning ved Sydspidsen" in html and "Hemmelig kladde" not in html and "Skjult historie" not in html


def test_members_see_drafts_and_the_hidden_story_with_its_reason(client, world):
    login(client, "kollega@example.dk")
    code, html = text(client, f"/stories/{world['hidden']}?lang=en")
    assert code == 200 and "Et barns fulde navn" in html and "Hidden by the volunteer coordinator" in html
    picture = client.get(f"/stories/{world['draft']}/picture")
    assert picture.status_code == 200 and "no-store" in picture.headers["Cache-Control"]
    html = client.get(f"/organisations/{world['org']}?lang=en").get_data(as_text=True)
    assert "Hemmelig kladde" in html and "Draft" in html and "Skjult historie" in html and "Write a story" in html


def test_a_member_writes_a_story_with_a_photo_and_the_public_sees_it(client, world, outbox):
    login(client, "mette@example.dk")
    url = f"/organisations/{world['org']}/stories/new"
    fields = {"title": "Repair café i Wiedergården", "summary": "Fjorten ting blev repareret.",
              "body": "Vi skruede, loddede og syede.\n\nTak til alle!", "publish": "now",
              "task": str(world["task"])}
    # A photo without its description comes back at the field, with what was typed kept.
    response = client.post(url + "?lang=en", data={**fields, "csrf_token": csrf_token(client, url),
                                                    "picture": (io.BytesIO(picture_bytes(exif_gps=True)), "p.jpg")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="picture_alt-error"' in html
    assert 'value="Repair café i Wiedergården"' in html and "Vi skruede, loddede og syede." in html
    response = client.post(url, data={**fields, "picture_alt": "Et cykelhjul på et arbejdsbord",
                                      "csrf_token": csrf_token(client, url),
                                      "picture": (io.BytesIO(picture_bytes(exif_gps=True)), "p.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    story_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    anonymous = client.application.test_client()
    assert "Repair café i Wiedergården" in anonymous.get("/stories").get_data(as_text=True)
    assert "Repair café i Wiedergården" in anonymous.get(f"/organisations/{world['org']}").get_data(as_text=True)
    served = anonymous.get(f"/stories/{story_id}/picture").data
    with Image.open(io.BytesIO(served)) as picture:
        assert not picture.getexif() and picture.format == "JPEG"
    assert b"PhoneMaker" not in served


def test_a_draft_stays_private_and_unpublishing_empties_the_cached_list(app, client, world):
    anonymous = app.test_client()
    assert "Strandrensning ved Sydspidsen" in anonymous.get("/stories").get_data(as_text=True)  # now cached
    login(client, "mette@example.dk")
    url = f"/organisations/{world['org']}/stories/new"
    assert submit(client, url, {"title": "Kun til os", "summary": "Kort", "body": "En kladde om korsangen.",
                                "publish": "draft"}).status_code == 302
    assert submit(client, f"/stories/{world['public']}/unpublish", form_url=f"/stories/{world['public']}"
                  ).status_code == 302
    html = anonymous.get("/stories").get_data(as_text=True)
    assert "Strandrensning ved Sydspidsen" not in html and "Kun til os" not in html
    assert anonymous.get(f"/stories/{world['public']}").status_code == 404
    assert anonymous.get(f"/stories/{world['public']}/picture").status_code == 404
    assert submit(client, f"/stories/{world['public']}/publish", form_url=f"/stories/{world['public']}"
                  ).status_code == 302
    assert "Strandrensning ved Sydspidsen" in anonymous.get("/stories").get_data(as_text=True)


def test_outsiders_cannot_write_or_change(client, world):
    login(client, "anden@example.dk")
    assert client.get(f"/organisations/{world['org']}/stories/new").status_code == 403
    token = csrf_token(client, "/me")
    for path in (f"/stories/{world['public']}/edit", f"/stories/{world['public']}/unpublish",
                 f"/stories/{world['public']}/delete", f"/stories/{world['public']}/hide"):
        assert client.post(path, data={"csrf_token": token, "title": "Overtaget"}).status_code == 403, path
    assert client.get(f"/stories/{world['public']}").status_code == 200


def test_the_coordinator_hides_and_shows_again(client, world, app):
    login(client, "koordinator@example.dk")
    url = f"/stories/{world['public']}/hide"
    response = submit(client, url, {"reason": ""})
    assert response.status_code == 400
    assert submit(client, url, {"reason": "Billedet viser et barn uden samtykke."}).status_code == 302
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "mette@example.dk"))
        assert "Billedet viser et barn uden samtykke." in mail.body_text
    anonymous = app.test_client()
    assert anonymous.get(f"/stories/{world['public']}").status_code == 404
    assert submit(client, f"/stories/{world['public']}/unhide", form_url=f"/stories/{world['public']}"
                  ).status_code == 302
    assert anonymous.get(f"/stories/{world['public']}").status_code == 200


def test_delete_asks_first_then_removes_story_and_photo(client, world, app):
    login(client, "mette@example.dk")
    code, html = text(client, f"/stories/{world['public']}/delete?lang=en")
    assert code == 200 and "Yes, delete the story" in html
    response = submit(client, f"/stories/{world['public']}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/organisations/{world['org']}")
    with app.app_context():
        assert db.session.get(Story, world["public"]) is None


HOSTILE = ["nul\x00byte", "første linje\nanden linje", "x" * 10_000, "<script>alert(1)</script>",
           "=cmd|' /C calc'!A0", "🌊🚲🎶"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_in_every_field_is_refused_or_kept_safe(client, world, app, value):
    login(client, "mette@example.dk")
    url = f"/organisations/{world['org']}/stories/new"
    for field in ("title", "summary", "body", "picture_alt", "task", "publish"):
        fields = {"title": "Titel", "summary": "Kort", "body": "En lang nok historie om stranden.",
                  "publish": "now", field: value}
        response = client.post(url, data={**fields, "csrf_token": csrf_token(client, url),
                                          "picture": (io.BytesIO(picture_bytes()), "p.png")},
                               content_type="multipart/form-data")
        # A NUL byte is refused for the whole request (portal/hardening.py); the rest reach the form.
        assert response.status_code in ((400,) if "\x00" in value else (200, 302)), (field, response.status_code)
        html = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        if response.status_code == 302:
            page = client.get(response.headers["Location"])
            assert page.status_code == 200 and "<script>alert(1)</script>" not in page.get_data(as_text=True)
    with app.app_context():
        for story in db.session.scalars(select(Story)):
            assert "\x00" not in story.title + story.summary + story.body and "\n" not in story.title


def test_junk_ids_and_pages_are_not_errors(client, world):
    for path in ("/stories/99999999999999999999", "/stories/9223372036854775807/picture",
                 "/stories/0", "/organisations/nope/picture"):
        assert client.get(path).status_code == 404, path
    for path in ("/stories?page=-3", "/stories?page=abc", "/stories?page=99999999999999"):
        assert client.get(path).status_code == 200, path


def add_stories(app, n):
    with app.app_context():
        orgs = [make_organisation(admin=make_user()) for _ in range(3)]
        for i in range(n):
            make_story(orgs[i % 3], title=f"Historie {i}", picture=i % 2 == 0)
        db.session.commit()


def count(app, client, path):
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_list_and_a_story_cost_the_same_however_many_stories(app, world):
    app.config["PAGE_CACHE"], before = False, app.config["PAGE_CACHE"]
    try:
        client = app.test_client()
        small = count(app, client, "/stories"), count(app, client, f"/stories/{world['public']}")
        add_stories(app, 30)
        large = count(app, client, "/stories"), count(app, client, f"/stories/{world['public']}")
        assert small == large
        assert small[0] <= 2 and small[1] <= 4, small
        login(client, "mette@example.dk")
        member = count(app, client, f"/stories/{world['public']}"), count(app, client, f"/organisations/{world['org']}")
        add_stories(app, 10)
        assert member == (count(app, client, f"/stories/{world['public']}"),
                          count(app, client, f"/organisations/{world['org']}"))
    finally:
        app.config["PAGE_CACHE"] = before


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_when_editing_and_hiding_is_never_a_500(client, world, app, value):
    login(client, "mette@example.dk")
    url = f"/stories/{world['public']}/edit"
    for field in ("title", "summary", "body", "picture_alt", "task", "remove_picture"):
        fields = {"title": "Titel", "summary": "Kort", "body": "En lang nok historie om stranden.",
                  "picture_alt": "Havet", field: value}
        response = client.post(url, data={**fields, "csrf_token": csrf_token(client, url)})
        assert response.status_code in ((400,) if "\x00" in value else (200, 302)), (field, response.status_code)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    page = client.get(f"/stories/{world['public']}")
    assert page.status_code == 200 and "<script>alert(1)</script>" not in page.get_data(as_text=True)
    coordinator = app.test_client()
    login(coordinator, "koordinator@example.dk")
    response = coordinator.post(f"/stories/{world['draft']}/hide", data={
        "reason": value, "csrf_token": csrf_token(coordinator, f"/stories/{world['draft']}/hide")})
    assert response.status_code in (302, 400), response.status_code
    html = coordinator.get(f"/stories/{world['draft']}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


def test_too_many_stories_in_a_day_get_429_with_the_text_kept(app, client, world, monkeypatch):
    from portal.models import utcnow as now
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"stories-web-{now().timestamp()}")
    monkeypatch.setitem(app.config, "STORY_WRITE_RATE_LIMIT", "1 per day")
    login(client, "mette@example.dk")
    url = f"/organisations/{world['org']}/stories/new"
    fields = {"title": "Korsang", "summary": "Kort", "body": "Vi sang for beboerne på Enggården.", "publish": "now"}
    assert submit(client, url, fields).status_code == 302
    response = submit(client, url + "?lang=en", {**fields, "title": "Korsang igen"}, form_url=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and "Try again" in html and 'value="Korsang igen"' in html


def test_a_hair_thin_photo_is_refused_at_the_field_and_nothing_is_saved(client, world, app):
    login(client, "mette@example.dk")
    url = f"/organisations/{world['org']}/stories/new"
    strip = io.BytesIO()
    Image.new("L", (1, 30000), 128).save(strip, format="PNG")
    response = client.post(url + "?lang=en", data={
        "title": "Et meget smalt billede", "summary": "Et forsøg.",
        "body": "Vi prøvede at lægge en streg op som billede.", "publish": "now", "task": "",
        "picture_alt": "En streg", "csrf_token": csrf_token(client, url),
        "picture": (io.BytesIO(strip.getvalue()), "streg.png")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="picture-error"' in html and "too narrow" in html
    assert 'value="Et meget smalt billede"' in html and 'value="En streg"' in html
    with app.app_context():
        from portal.models import Picture
        assert db.session.scalar(select(Story).where(Story.title == "Et meget smalt billede")) is None
        assert db.session.scalar(select(func.count(Picture.id))) == 3     # the world's three, no more


def test_a_public_photo_may_be_cached_for_minutes_only_so_hiding_the_story_takes_hold(client, world, app):
    served = client.get(f"/stories/{world['public']}/picture")
    assert served.status_code == 200 and served.cache_control.public
    assert served.cache_control.max_age <= 600                          # not a day in a shared cache
    assert client.get(f"/stories/{world['public']}/picture",
                      headers={"If-None-Match": served.headers["ETag"]}).status_code == 304   # asking again is cheap
    with app.app_context():
        story = db.session.get(Story, world["public"])
        story.hidden_at, story.hidden_reason = utcnow(), "Et barn uden samtykke"
        db.session.commit()
    assert client.get(f"/stories/{world['public']}/picture",
                      headers={"If-None-Match": served.headers["ETag"]}).status_code == 404
