"""A body bigger than any picture form is refused with a page that says why, before it is stored
anywhere (design.md section 5: no input breaks anything)."""

from tests.conftest import csrf_token, login
from tests.factories import make_organisation, make_user


def test_a_13_mb_upload_gets_a_friendly_413_and_nothing_is_saved(app, client):
    from portal.extensions import db
    from portal.models import Story

    with app.app_context():
        member = make_user(email="member@example.dk")
        org = make_organisation(admin=member)
        slug = org.slug
        db.session.commit()
    login(client, "member@example.dk")
    token = csrf_token(client, f"/organisations/{slug}/stories/new")
    response = client.post(f"/organisations/{slug}/stories/new?lang=en", data={
        "csrf_token": token, "title": "Stor fil", "summary": "s", "body": "b" * 40, "picture_alt": "x",
        "picture": (__import__("io").BytesIO(b"\xff" * (13 * 1024 * 1024)), "big.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "under 5 MB" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Story).count() == 0
