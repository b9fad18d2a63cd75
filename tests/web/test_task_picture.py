"""A task's picture: uploaded with the task form with required alt text, cleaned of the file's
hidden information, shown on the task page and served only while the task may be seen."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import Picture, Task
from tests.conftest import csrf_token, login
from tests.factories import make_organisation, make_task, make_user, picture_bytes

FIELDS = {"title": "Strandrensning ved Kastrup Fort", "description": "Vi samler affald på stranden en lørdag.",
          "place_name": "", "address": "Strandvejen 1", "postcode": "2791", "city": "Dragør", "min_age": "",
          "physical_demand": "light", "what_to_bring": "", "contact_name": "Mette",
          "contact_email": "mette@example.dk", "contact_phone": "", "cancel_deadline_hours": "24", "event": ""}


@pytest.fixture
def org(app):
    with app.app_context():
        make_user(email="mette@example.dk")
        make_user(email="nabo@example.dk")
        from portal.models import User
        mette = db.session.scalar(select(User).where(User.email == "mette@example.dk"))
        org = make_organisation(admin=mette, name="Naturvogterne")
        draft = make_task(org, title="Kladde", status="draft")
        db.session.commit()
        from portal.models import Category
        category = db.session.scalar(select(Category.id).where(Category.slug == "nature"))
        return dict(slug=org.slug, category=str(category), draft=draft.id)


def post_task(client, url, fields, *, picture=None, filename="foto.jpg", lang_url=None):
    data = dict(fields)
    data["csrf_token"] = csrf_token(client, lang_url or url)
    if picture is not None:
        data["picture"] = (io.BytesIO(picture), filename)
    return client.post(url, data=data, content_type="multipart/form-data")


def new_task_with_picture(app, org, *, alt="To frivillige med affaldssække på stranden"):
    mette = app.test_client()
    login(mette, "mette@example.dk")
    response = post_task(mette, f"/organisations/{org['slug']}/tasks/new",
                         dict(FIELDS, category=org["category"], kind="one_off", publish="y", picture_alt=alt),
                         picture=picture_bytes(size=(2400, 1600), exif_gps=True))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return mette, int(re.search(r"/tasks/(\d+)/times", response.headers["Location"]).group(1))


def test_the_picture_is_shown_with_its_alt_text_and_without_the_phone_s_gps_position(app, client, org):
    _, task_id = new_task_with_picture(app, org)
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    img = re.search(r'<img class="task-picture"[^>]*>', page).group(0)
    assert 'alt="To frivillige med affaldssække på stranden"' in img
    assert 'width="1200"' in img and 'height="800"' in img            # resized to fit 1200×1200
    src = re.search(r'src="([^"]+)"', img).group(1)
    served = client.get(src)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(served.data)) as picture:
        assert picture.size == (1200, 800)
        exif = picture.getexif()
        assert not exif.get_ifd(0x8825) and 0x010F not in exif            # no GPS, no maker
    assert b"PhoneMaker" not in served.data
    again = client.get(src, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304


def test_a_picture_without_alt_text_is_refused_next_to_the_field_and_the_form_keeps_what_was_typed(app, org):
    mette = app.test_client()
    login(mette, "mette@example.dk")
    url = f"/organisations/{org['slug']}/tasks/new"
    response = post_task(mette, url, dict(FIELDS, category=org["category"], kind="one_off", publish="y",
                                          picture_alt="   "),
                         picture=picture_bytes(), lang_url=url + "?lang=en")
    html = response.get_data(as_text=True)
    assert "Describe the picture for people who cannot see it." in html
    assert 'value="Strandrensning ved Kastrup Fort"' in html
    assert 'enctype="multipart/form-data"' in html
    with app.app_context():
        assert db.session.scalar(select(Task).where(Task.title == FIELDS["title"])) is None
        assert db.session.scalar(select(Picture.id)) is None


@pytest.mark.parametrize("upload, message", [
    (b"%PDF-1.4 not a picture at all", "We could not read the picture"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "We could not read the picture"),
    (b"\xff\xd8" + b"x" * (5 * 1024 * 1024 + 10), "The picture is too large"),
])
def test_broken_and_huge_files_get_a_message_and_nothing_is_saved(app, org, upload, message):
    mette = app.test_client()
    login(mette, "mette@example.dk")
    url = f"/organisations/{org['slug']}/tasks/new"
    response = post_task(mette, url, dict(FIELDS, category=org["category"], kind="one_off", publish="y",
                                          picture_alt="Et billede"), picture=upload, lang_url=url + "?lang=en")
    assert response.status_code in (200, 400, 413)
    if response.status_code != 413:
        html = response.get_data(as_text=True)
        assert message in html and 'value="Et billede"' in html
    with app.app_context():
        assert db.session.scalar(select(Task).where(Task.title == FIELDS["title"])) is None


def test_a_draft_task_s_picture_is_not_found_for_the_public_but_its_members_see_it(app, client, org):
    with app.app_context():
        from portal import pictures
        task = db.session.get(Task, org["draft"])
        pictures.attach(task, picture_bytes(), "Kladdens billede")
        db.session.commit()
    assert client.get(f"/tasks/{org['draft']}/picture").status_code == 404
    nabo = app.test_client()
    login(nabo, "nabo@example.dk")
    assert nabo.get(f"/tasks/{org['draft']}/picture").status_code == 404
    mette = app.test_client()
    login(mette, "mette@example.dk")
    served = mette.get(f"/tasks/{org['draft']}/picture")
    assert served.status_code == 200
    # No shared cache (a proxy, the browser's disk) may keep a draft's picture for the public.
    assert served.cache_control.no_store and served.cache_control.private and not served.cache_control.public
    # a task without a picture has none to serve
    with app.app_context():
        bare = make_task(db.session.get(Task, org["draft"]).organisation, title="Uden billede")
        db.session.commit()
        bare_id = bare.id
    assert client.get(f"/tasks/{bare_id}/picture").status_code == 404
    assert client.get(f"/tasks/{2 ** 63}/picture").status_code == 404


def test_the_organiser_changes_the_alt_text_and_removes_the_picture(app, client, org):
    mette, task_id = new_task_with_picture(app, org)
    edit = f"/tasks/{task_id}/edit"
    form = mette.get(edit).get_data(as_text=True)
    assert 'value="To frivillige med affaldssække på stranden"' in form and 'name="remove_picture"' in form
    fields = dict(FIELDS, category=org["category"])
    blank = post_task(mette, edit, dict(fields, picture_alt=""), lang_url=edit + "?lang=en")
    assert "Describe the picture for people who cannot see it." in blank.get_data(as_text=True)
    assert post_task(mette, edit, dict(fields, picture_alt="Affaldssække i solnedgang")).status_code == 302
    assert 'alt="Affaldssække i solnedgang"' in client.get(f"/tasks/{task_id}").get_data(as_text=True)
    with app.app_context():
        old_picture = db.session.get(Task, task_id).picture_id
    assert post_task(mette, edit, dict(fields, picture_alt="", remove_picture="y")).status_code == 302
    assert "task-picture" not in client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert client.get(f"/tasks/{task_id}/picture").status_code == 404
    with app.app_context():
        assert db.session.get(Picture, old_picture) is None                 # gone, not just unlinked
