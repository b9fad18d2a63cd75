"""The stories' rules: only an organisation's members write, publish, unpublish and delete its
stories; a photo needs its description and is stored without the file's EXIF; the coordinator
hides a story once (mailing the author once) and shows it again; writing is rate limited."""

import io
import threading

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.models import OutboxMessage, Picture, Story, utcnow
from portal.ratelimits import TooMany
from portal.stories import services
from tests.factories import add_member, make_organisation, make_story, make_task, make_user, picture_bytes

TEXT = dict(title="Strandrensning ved Amager Sydspids", summary="Tolv frivillige og 80 kg affald.",
            body="Vi mødtes ved p-pladsen.\n\nBagefter drak vi kaffe.")


@pytest.fixture
def org_world(ctx):
    mette = make_user(email="mette@example.dk", name="Mette Strand")
    org = make_organisation(admin=mette, name="Naturvogterne")
    colleague = make_user()
    add_member(org, colleague)
    other = make_organisation(admin=make_user(), name="Andre")
    return {"mette": mette, "org": org, "colleague": colleague, "other": other,
            "outsider": make_user(), "coordinator": make_user(coordinator=True)}


def test_a_member_writes_a_published_story_with_a_photo_whose_exif_is_gone(org_world):
    w = org_world
    story = services.write_story(w["org"], w["colleague"], **TEXT, picture=picture_bytes(exif_gps=True),
                                 picture_alt="Affaldssække på sandet", publish=True, now=utcnow())
    assert story.is_public and story.author_id == w["colleague"].id
    picture = db.session.get(Picture, story.picture_id)
    assert picture.alt == "Affaldssække på sandet" and max(picture.width, picture.height) <= 1200
    with Image.open(io.BytesIO(picture.data)) as served:
        assert served.format == "JPEG" and not served.getexif()
    assert b"PhoneMaker" not in picture.data


def test_a_big_photo_is_made_at_most_1200_pixels(org_world):
    w = org_world
    story = services.write_story(w["org"], w["mette"], **TEXT, picture=picture_bytes(size=(3000, 1500)),
                                 picture_alt="Havet", publish=False, now=utcnow())
    picture = db.session.get(Picture, story.picture_id)
    assert (picture.width, picture.height) == (1200, 600)
    assert story.published_at is None and not story.is_public


@pytest.mark.parametrize("who", ["outsider", "coordinator"])
def test_only_members_write(org_world, who):
    with pytest.raises(NotAllowed):
        services.write_story(org_world["org"], org_world[who], **TEXT, picture=None, picture_alt="",
                             publish=True, now=utcnow())


def test_a_photo_needs_its_description_and_a_broken_file_is_refused_at_the_field(org_world):
    w = org_world
    with pytest.raises(DomainError) as missing:
        services.write_story(w["org"], w["mette"], **TEXT, picture=picture_bytes(), picture_alt="  ",
                             publish=True, now=utcnow())
    assert missing.value.field == "picture_alt"
    with pytest.raises(DomainError) as broken:
        services.write_story(w["org"], w["mette"], **TEXT, picture=b"GIF89a not a picture", picture_alt="Noget",
                             publish=True, now=utcnow())
    assert broken.value.field == "picture"
    with pytest.raises(DomainError) as huge:
        services.write_story(w["org"], w["mette"], **TEXT, picture=b"x" * (services.PICTURE_MAX_BYTES + 1),
                             picture_alt="Noget", publish=True, now=utcnow())
    assert huge.value.field == "picture"


def test_a_story_links_only_its_own_organisations_published_task(org_world):
    w = org_world
    own = make_task(w["org"], title="Næste strandrensning")
    foreign = make_task(w["other"], title="Andres opgave")
    draft = make_task(w["org"], title="Kladde", status="draft")
    story = services.write_story(w["org"], w["mette"], **TEXT, picture=None, picture_alt="", task_id=own.id,
                                 publish=True, now=utcnow())
    assert story.task_id == own.id
    for task in (foreign, draft):
        with pytest.raises(DomainError) as refused:
            services.write_story(w["org"], w["mette"], **TEXT, picture=None, picture_alt="", task_id=task.id,
                                 publish=True, now=utcnow())
        assert refused.value.field == "task"


def test_edit_keeps_the_photo_changes_its_description_or_removes_it(org_world):
    w = org_world
    story = make_story(w["org"], picture=True, author=w["mette"])
    first = story.picture_id
    services.edit_story(story, w["colleague"], **TEXT, picture=None, picture_alt="Ny beskrivelse", now=utcnow())
    assert story.picture_id == first and db.session.get(Picture, first).alt == "Ny beskrivelse"
    with pytest.raises(DomainError) as blank:
        services.edit_story(story, w["colleague"], **TEXT, picture=None, picture_alt="", now=utcnow())
    assert blank.value.field == "picture_alt"
    services.edit_story(story, w["colleague"], **TEXT, picture=None, picture_alt="", remove_picture=True,
                        now=utcnow())
    assert story.picture_id is None and db.session.get(Picture, first) is None
    with pytest.raises(NotAllowed):
        services.edit_story(story, w["outsider"], **TEXT, picture=None, picture_alt="", now=utcnow())


def test_publish_unpublish_and_delete_with_its_photo(org_world):
    w = org_world
    story = make_story(w["org"], published=False, picture=True)
    services.publish(story, w["mette"], now=utcnow())
    assert story.is_public
    services.unpublish(story, w["mette"], now=utcnow())
    assert not story.is_public
    with pytest.raises(NotAllowed):
        services.delete(story, w["outsider"])
    picture_id = story.picture_id
    services.delete(story, w["mette"])
    assert db.session.get(Story, story.id) is None and db.session.get(Picture, picture_id) is None


def test_the_coordinator_hides_with_a_reason_mailed_to_the_author_and_shows_it_again(org_world):
    w = org_world
    story = make_story(w["org"], author=w["mette"], title="Sankthans")
    db.session.commit()
    with pytest.raises(NotAllowed):
        services.hide(story, w["mette"], reason="Nej", now=utcnow())
    with pytest.raises(DomainError) as no_reason:
        services.hide(story, w["coordinator"], reason="   ", now=utcnow())
    assert no_reason.value.field == "reason"
    services.hide(story, w["coordinator"], reason="Et barns fulde navn står i teksten.", now=utcnow())
    assert not story.is_public and story.hidden_reason == "Et barns fulde navn står i teksten."
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "mette@example.dk"))
    assert "Sankthans" in mail.subject and "Et barns fulde navn" in mail.body_text
    with pytest.raises(DomainError):
        services.hide(story, w["coordinator"], reason="Igen", now=utcnow())
    with pytest.raises(DomainError):
        services.publish(story, w["mette"], now=utcnow())
    services.unhide(story, w["coordinator"], now=utcnow())
    assert story.is_public and story.hidden_reason is None


def test_writing_is_rate_limited_per_person(app, org_world, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"stories-{utcnow().timestamp()}")
    monkeypatch.setitem(app.config, "STORY_WRITE_RATE_LIMIT", "2 per day")
    w = org_world
    for _ in range(2):
        services.write_story(w["org"], w["mette"], **TEXT, picture=None, picture_alt="", publish=True, now=utcnow())
    with pytest.raises(TooMany):
        services.write_story(w["org"], w["mette"], **TEXT, picture=None, picture_alt="", publish=True, now=utcnow())
    services.write_story(w["org"], w["colleague"], **TEXT, picture=None, picture_alt="", publish=True, now=utcnow())


def test_two_coordinators_hiding_at_once_hide_once_and_mail_once(app):
    from portal.models import User
    with app.app_context():
        mette = make_user(email="mette@example.dk")
        org = make_organisation(admin=mette)
        story_id = make_story(org, author=mette).id
        coordinators = [make_user(coordinator=True).id for _ in range(2)]
        db.session.commit()
    barrier = threading.Barrier(2)
    results = []

    def hide(user_id):
        with app.app_context():
            story, user = db.session.get(Story, story_id), db.session.get(User, user_id)
            barrier.wait()
            try:
                services.hide(story, user, reason="Et navn på et barn", now=utcnow())
                db.session.commit()
                results.append("hid")
            except DomainError:
                db.session.rollback()
                results.append("already")
            except Exception:  # noqa: BLE001 - SQLite's "database is locked" is the loser's answer too
                db.session.rollback()
                results.append("locked")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=hide, args=(c,)) for c in coordinators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("hid") == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))
                                 .where(OutboxMessage.to_email == "mette@example.dk")) == 1


def test_a_story_without_its_author_tells_the_organisations_contact_person(org_world):
    w = org_world
    story = make_story(w["org"], title="Uden forfatter")
    services.hide(story, w["coordinator"], reason="Reklame for en butik.", now=utcnow())
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == w["org"].contact_email))
    assert mail is not None and "Reklame for en butik." in mail.body_text
