"""Review (issue 13, assisted profiles) through the test client."""

from datetime import timedelta

import pytest
from babel.dates import format_date

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import utcnow
from portal.signups.services import sign_up
from tests.conftest import login, submit
from tests.factories import make_assisted, make_organisation, make_slot, make_task, make_user


def test_the_printed_schedule_speaks_the_citizens_language_not_the_staff_members(app, client):
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True, locale="da")
        john = make_assisted(name="John Smith")
        john.locale = "en"
        slot = make_slot(make_task(make_organisation(admin=make_user()), title="Fællessang"),
                         starts_at=utcnow() + timedelta(days=3), capacity=4)
        sign_up(john, slot, now=utcnow(), send_mail=False)
        db.session.commit()
        john_id, day = john.id, to_local(slot.starts_at).date()
    login(client, "anne@example.dk")
    page = client.get(f"/coordinator/assisted/{john_id}/schedule?lang=da").get_data(as_text=True)
    assert format_date(day, "EEEE", locale="en") in page          # "Thursday", not "torsdag"
    assert format_date(day, "EEEE", locale="da") not in page
    assert 'lang="en"' in page


@pytest.mark.parametrize("day,month,year", [("1", "1", "1"), ("31", "12", "9999"), ("29", "2", "2025"),
                                            ("1", "1", "99999"), ("1", "1", "-5"), ("0", "0", "0")])
def test_an_impossible_consent_day_is_a_message_next_to_the_field_not_a_profile(app, client, day, month, year):
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True, locale="en")
        db.session.commit()
    login(client, "anne@example.dk")
    data = {"name": "Erna Holm", "phone": "32 53 12 34", "postal_address": "Strandstræde 3, 2791 Dragør",
            "locale": "da", "consent_method": "phone", "explained": "y",
            "consent_given_on-day": day, "consent_given_on-month": month, "consent_given_on-year": year,
            "birth_date-day": day, "birth_date-month": month, "birth_date-year": year}
    response = submit(client, "/coordinator/assisted/new?lang=en", data, form_url="/coordinator/assisted/new")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "consent_given_on-error" in page or 'id="consent_given_on' in page
    with app.app_context():
        from portal.models import AssistedProfile
        assert db.session.query(AssistedProfile).count() == 0
