"""An organisation's picture: uploaded on the edit page with its description, shown on the
organisation's page with width, height and alt, served from our own site without the file's EXIF,
removed again; kept from the public while the organisation is not approved."""

import io

import pytest
from PIL import Image

from portal.extensions import db
from portal.models import Organisation, OrganisationStatus, Picture
from tests.conftest import counting_queries, csrf_token, login
from tests.factories import make_organisation, make_user, picture_bytes


def profile(org):
    return {"name": org.name, "kind": "association", "description": org.description, "address": org.address,
            "postcode": org.postcode, "city": org.city, "website": "", "contact_name": org.contact_name,
            "contact_email": org.contact_email, "contact_phone": org.contact_phone}


@pytest.fixture
def world(app):
    with app.app_context():
        org = make_organisation(admin=make_user(email="lene@example.dk"), name="Wiedergården")
        pending = make_organisation(admin=make_user(email="ny@example.dk"), status=OrganisationStatus.pending)
        db.session.commit()
        return {"slug": org.slug, "fields": profile(org), "pending": pending.slug, "pending_fields": profile(pending)}


def post_edit(client, slug, data):
    url = f"/organisations/{slug}/edit"
    return client.post(url + "?lang=en", data={**data, "csrf_token": csrf_token(client, url)},
                       content_type="multipart/form-data")


def test_an_admin_adds_a_described_picture_the_public_sees_and_removes_it(app, client, world):
    login(client, "lene@example.dk")
    upload = {**world["fields"], "picture": (io.BytesIO(picture_bytes(size=(2400, 1800), exif_gps=True)), "a.jpg")}
    response = post_edit(client, world["slug"], upload)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="picture_alt-error"' in html and 'value="Wiedergården"' in html
    upload = {**world["fields"], "picture_alt": "Nodeark på et klaver i Wiedergårdens sal",
              "picture": (io.BytesIO(picture_bytes(size=(2400, 1800), exif_gps=True)), "a.jpg")}
    assert post_edit(client, world["slug"], upload).status_code == 302

    anonymous = app.test_client()
    html = anonymous.get(f"/organisations/{world['slug']}").get_data(as_text=True)
    assert 'alt="Nodeark på et klaver i Wiedergårdens sal"' in html and 'width="1200"' in html and 'height="900"' in html
    served = anonymous.get(f"/organisations/{world['slug']}/picture")
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.data)) as picture:
        assert picture.size == (1200, 900) and not picture.getexif()

    # Only the text changes: the pixels stay.
    assert post_edit(client, world["slug"], {**world["fields"], "picture_alt": "Klaveret"}).status_code == 302
    assert 'alt="Klaveret"' in anonymous.get(f"/organisations/{world['slug']}").get_data(as_text=True)
    assert post_edit(client, world["slug"], {**world["fields"], "picture_alt": "Klaveret",
                                             "remove_picture": "y"}).status_code == 302
    assert anonymous.get(f"/organisations/{world['slug']}/picture").status_code == 404
    with app.app_context():
        assert db.session.query(Picture).count() == 0


@pytest.mark.parametrize("upload, words", [
    (b"not a picture at all", "We could not read the picture"),
    (b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10), "too large"),
])
def test_a_bad_file_gets_a_friendly_message_at_the_field(client, world, upload, words):
    login(client, "lene@example.dk")
    response = post_edit(client, world["slug"], {**world["fields"], "picture_alt": "Noget",
                                                 "picture": (io.BytesIO(upload), "x.png")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and words in html and 'id="picture-error"' in html


def test_a_pending_organisations_picture_is_not_public(app, client, world):
    login(client, "ny@example.dk")
    upload = {**world["pending_fields"], "picture_alt": "Et logo",
              "picture": (io.BytesIO(picture_bytes()), "a.png")}
    assert post_edit(client, world["pending"], upload).status_code == 302
    own = client.get(f"/organisations/{world['pending']}/picture")
    assert own.status_code == 200 and "no-store" in own.headers["Cache-Control"]
    assert app.test_client().get(f"/organisations/{world['pending']}/picture").status_code == 404


def test_the_organisation_page_costs_one_statement_more_with_a_picture(app, client, world):
    app.config["PAGE_CACHE"], before = False, app.config["PAGE_CACHE"]
    try:
        anonymous = app.test_client()
        with counting_queries(app) as without:
            assert anonymous.get(f"/organisations/{world['slug']}").status_code == 200
        with app.app_context():
            from portal import pictures
            org = db.session.query(Organisation).filter_by(slug=world["slug"]).one()
            pictures.attach(org, picture_bytes(), "Havet ved Dragør")
            db.session.commit()
        with counting_queries(app) as with_picture:
            assert anonymous.get(f"/organisations/{world['slug']}").status_code == 200
        assert len(with_picture) == len(without) + 1 and len(without) <= 4, (len(without), without)
    finally:
        app.config["PAGE_CACHE"] = before


def test_the_list_cards_show_each_organisations_picture_for_the_same_statements(app, client, world):
    from portal import pictures
    from sqlalchemy import select
    with app.app_context():
        for n in range(3):
            make_organisation(name=f"Forening uden billede {n}")
        db.session.commit()
    with counting_queries(app) as without:
        before = client.get("/organisations?lang=en").get_data(as_text=True)
    assert 'class="org-card__picture"' not in before
    with app.app_context():
        orgs = db.session.scalars(select(Organisation).where(
            Organisation.status == OrganisationStatus.approved)).all()
        for org in orgs:
            pictures.attach(org, picture_bytes(size=(900, 300)), f"Billede af {org.name}")
        pending = db.session.scalar(select(Organisation).where(Organisation.slug == world["pending"]))
        pictures.attach(pending, picture_bytes(), "Hemmeligt billede")
        db.session.commit()
        wiedergaarden = db.session.scalar(select(Organisation).where(Organisation.slug == world["slug"]))
        picture_id = wiedergaarden.picture_id
    with counting_queries(app) as with_pictures:
        html = client.get("/organisations?lang=en").get_data(as_text=True)
    assert len(with_pictures) == len(without)                       # the pictures' facts come in the list's join
    assert html.count('class="org-card__picture"') == len(orgs)
    assert (f'src="/organisations/{world["slug"]}/picture?v={picture_id}" alt="Billede af Wiedergården" '
            f'width="900" height="300"') in html
    assert "Hemmeligt billede" not in html                          # a pending organisation is not listed


def test_every_picture_chooser_offers_only_the_kinds_we_read(app, world):
    """A file chooser that lists PDFs invites the wrong file, and an iPad sends its HEIC photos as
    JPEG only when HEIC is not accepted."""
    from sqlalchemy import select

    from tests.factories import make_task
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == world["slug"]))
        task_id = make_task(org, title="Kaffe").id
        db.session.commit()
    lene = app.test_client()
    login(lene, "lene@example.dk")
    for url in (f"/organisations/{world['slug']}/edit", f"/organisations/{world['slug']}/stories/new",
                f"/organisations/{world['slug']}/tasks/new", f"/tasks/{task_id}/edit"):
        html = lene.get(url).get_data(as_text=True)
        import re
        chooser = re.search(r'<input[^>]*type="file"[^>]*>', html).group(0)
        assert 'accept="image/png,image/jpeg,image/webp"' in chooser, url
