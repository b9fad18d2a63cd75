"""A volunteer's first visit through the test client: register, confirm, log in, log out."""

import re
from datetime import date

from portal.extensions import db
from portal.models import User
from tests.conftest import birth_fields, submit


def test_register_confirm_login_logout(app, client, outbox):
    data = {"name": "Ida Holm", "email": "Ida@Example.dk", "password": "lang nok adgangskode",
            "postcode": "2791", "phone": "22 33 44 55", "accept_terms": "y",
            **birth_fields(date(1950, 12, 24))}
    response = submit(client, "/register", data)
    assert response.status_code == 302
    sent = outbox()
    assert [m["To"] for m in sent] == ["ida@example.dk"]
    link = re.search(r"http://localhost(/confirm/\S+)", sent[0].get_body().get_content()).group(1)
    assert client.get(link).status_code == 302
    response = submit(client, "/login", {"email": "ida@example.dk", "password": "lang nok adgangskode"})
    assert response.headers["Location"] == "/me"
    page = client.get("/me").get_data(as_text=True)
    assert "Ida Holm" in page
    submit(client, "/logout", form_url="/me")
    assert client.get("/me").status_code == 302
    with app.app_context():
        assert db.session.query(User).one().email_confirmed_at is not None
