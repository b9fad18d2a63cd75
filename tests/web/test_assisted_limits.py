"""ASSISTED_PROFILE_RATE_LIMIT: one staff member creating profile after profile (a script, a stolen
session) is stopped at the limit with the form shown again, what was typed kept and the true wait."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.extensions import db
from portal.models import AssistedProfile
from tests.conftest import login, make_test_config, submit
from tests.factories import make_user


@pytest.fixture
def limited(app, database_url):
    yield lambda **overrides: create_app(make_test_config(database_url, RATELIMIT_ENABLED=True, **overrides))
    from portal.extensions import limiter
    limiter.init_app(app)


def _form(n):
    given = date.today() - timedelta(days=1)
    return {"name": f"Borger {n}", "phone": f"32 53 00 {n:02d}", "postal_address": "Strandstræde 3, 2791 Dragør",
            "locale": "da", "consent_method": "phone", "explained": "y",
            "consent_given_on-day": str(given.day), "consent_given_on-month": str(given.month),
            "consent_given_on-year": str(given.year)}


def test_the_fourth_profile_in_a_day_is_refused_with_the_form_kept(limited):
    app = limited(ASSISTED_PROFILE_RATE_LIMIT="3 per day")
    with app.app_context():
        make_user(email="anne@example.dk", coordinator=True, locale="en")
        db.session.commit()
    client = app.test_client()
    login(client, "anne@example.dk")
    assert [submit(client, "/coordinator/assisted/new", _form(n)).status_code for n in range(3)] == [302] * 3
    blocked = submit(client, "/coordinator/assisted/new?lang=en", _form(3), form_url="/coordinator/assisted/new?lang=en")
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Try again in" in page and 'value="Borger 3"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(AssistedProfile.id))) == 3
