"""Bad input gets a clear message next to the field, what was typed comes back, and
nothing is half-saved."""

import re
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Organisation, User
from tests.conftest import birth_fields, login, submit
from tests.factories import make_user

GOOD = {"name": "Ida Holm", "email": "ida@example.dk", "password": "lang nok adgangskode",
        "postcode": "2791", "phone": "", "accept_terms": "y", **birth_fields(date(1950, 12, 24))}


def field_error(html, field_id):
    match = re.search(rf'id="{field_id}-error"><span class="sr-only">[^<]*</span>(.*?)</span>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else None


def test_register_errors_sit_next_to_their_fields_and_keep_what_was_typed(app, client):
    bad = dict(GOOD, name="", postcode="12", phone="123", accept_terms="",
               **{"birth_date-day": "31", "birth_date-month": "2", "birth_date-year": "1950"})
    bad["email"] = "ida@example"
    response = submit(client, "/register?lang=en", bad, form_url="/register?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter your name" in field_error(html, "name")
    assert "four digits" in field_error(html, "postcode")
    assert "8 digits" in field_error(html, "phone")
    assert "real date" in field_error(html, "birth_date")
    assert "accept the terms" in field_error(html, "accept_terms")
    assert "e-mail address" in field_error(html, "email")
    assert 'value="12"' in html and 'value="ida@example"' in html and 'value="31"' in html
    assert 'aria-invalid="true"' in html and 'href="#postcode"' in html  # the error summary links to the field
    assert 'value="lang nok adgangskode"' not in html  # passwords are never echoed back
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_too_young_is_explained_next_to_the_birth_date(app, client):
    response = submit(client, "/register?lang=en", dict(GOOD, **birth_fields(date(2015, 1, 1))),
                      form_url="/register?lang=en")
    assert "at least 13" in field_error(response.get_data(as_text=True), "birth_date")
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_organisation_application_keeps_input_on_error_and_saves_nothing(app, client):
    with app.app_context():
        make_user(email="lene@example.dk")
        db.session.commit()
    login(client, "lene@example.dk")
    data = {"name": "Dragør Læseklub", "kind": "", "description": "For kort", "address": "Kongevejen 3",
            "postcode": "2791", "city": "Dragør", "website": "ikke en adresse", "contact_name": "Lene",
            "contact_email": "lene@example.dk", "contact_phone": "32890100"}
    html = submit(client, "/organisations/apply?lang=en", data, form_url="/organisations/apply").get_data(as_text=True)
    assert "Choose what kind" in field_error(html, "kind")
    assert "between 20 and 4000" in field_error(html, "description")
    assert "full web address" in field_error(html, "website")
    assert 'value="Dragør Læseklub"' in html and "For kort</textarea>" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_profile_edit_round_trips_and_saves(app, client):
    with app.app_context():
        make_user(email="ida@example.dk", name="Ida")
        db.session.commit()
    login(client, "ida@example.dk")
    data = {"name": "Ida Holm", "email": "ida@example.dk", "postcode": "2770", "phone": "+45 22 33 44 55",
            "locale": "en", **birth_fields(date(1950, 12, 24))}
    bad = submit(client, "/me/profile", dict(data, postcode="abcd")).get_data(as_text=True)
    assert 'value="abcd"' in bad and 'value="Ida Holm"' in bad
    assert submit(client, "/me/profile", data).status_code == 302
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert (user.name, user.postcode, user.phone, user.locale) == ("Ida Holm", "2770", "22 33 44 55", "en")
    # The chosen language now shows.
    assert "My page" in client.get("/me").get_data(as_text=True)


def test_my_data_downloads_as_json(app, client):
    with app.app_context():
        make_user(email="ida@example.dk", name="Ida")
        db.session.commit()
    login(client, "ida@example.dk")
    response = client.get("/me/export")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_json()["profile"]["email"] == "ida@example.dk"


def test_deleting_my_profile_logs_me_out_and_removes_me(app, client):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    login(client, "ida@example.dk")
    wrong = submit(client, "/me/delete?lang=en", {"password": "nope nope", "understand": "y"}, form_url="/me/delete")
    assert "password is wrong" in field_error(wrong.get_data(as_text=True), "password")
    response = submit(client, "/me/delete", {"password": "correct horse battery", "understand": "y"})
    assert response.status_code == 302
    assert client.get("/me").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_the_monthly_hours_limit_is_set_in_the_profile(app, client):
    with app.app_context():
        make_user(email="ida@example.dk", name="Ida")
        db.session.commit()
    login(client, "ida@example.dk")
    data = {"name": "Ida", "email": "ida@example.dk", "postcode": "2791", "phone": "", "locale": "da",
            "max_hours_per_month": "0", **birth_fields(date(1950, 12, 24))}
    bad = submit(client, "/me/profile?lang=en", data, form_url="/me/profile").get_data(as_text=True)
    assert "between 1 and 300" in bad
    assert submit(client, "/me/profile", dict(data, max_hours_per_month="8")).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(User)).one().volunteer_profile.max_hours_per_month == 8
    assert client.get("/me/export").get_json()["profile"]["max_hours_per_month"] == 8
