"""Forgot password → link by e-mail → new password → old sessions and the link are dead."""

import re

from portal.extensions import db
from tests.conftest import login, submit
from tests.factories import make_user


def test_forgot_password_journey(app, client, outbox):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    other_device = app.test_client()
    login(other_device, "ida@example.dk")
    response = submit(client, "/forgot-password", {"email": "ida@example.dk"})
    assert response.headers["Location"] == "/login"
    [mail] = outbox()
    reset = re.search(r"http://localhost(/reset-password/\S+)", mail.get_body().get_content()).group(1)
    mismatch = submit(client, reset + "?lang=en", {"password": "a brand new password", "confirm": "something else"},
                      form_url=reset)
    assert "not the same" in mismatch.get_data(as_text=True)
    assert submit(client, reset, {"password": "a brand new password", "confirm": "a brand new password"}).status_code == 302
    assert other_device.get("/me").status_code == 302  # logged out everywhere
    login(client, "ida@example.dk", "a brand new password")
    assert client.get(reset).status_code == 400  # the link worked once


def test_forgot_password_says_the_same_for_unknown_addresses(app, client, outbox):
    response = submit(client, "/forgot-password", {"email": "nobody@example.dk"}, follow_redirects=True)
    assert "nobody@example.dk" in response.get_data(as_text=True)
    assert outbox() == []
