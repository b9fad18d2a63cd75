"""Review (issue 13, assisted profiles) through the test client."""

from datetime import timedelta

from babel.dates import format_date

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import utcnow
from portal.signups.services import sign_up
from tests.conftest import login
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
