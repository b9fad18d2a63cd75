"""The hours a company made possible come from the ledger, and only from staff who agreed."""

from datetime import datetime, timezone

from portal.companies.hours import hours_made_possible
from portal.extensions import db
from portal.models import Attendance, Signup, SignupState, utcnow
from tests.factories import link_employee, make_company, make_organisation, make_slot, make_task, make_user


def _attended(user, slot):
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed,
                          attendance=Attendance.attended))
    db.session.flush()


def test_only_consenting_live_links_count_and_only_in_their_year(ctx):
    company = make_company()
    org = make_organisation()
    task = make_task(org)
    year = utcnow().year - 1
    slot = make_slot(task, starts_at=datetime(year, 6, 10, 8, tzinfo=timezone.utc), hours=3, capacity=5)
    counts, declines, left = make_user(), make_user(), make_user()
    link_employee(counts, company, count_hours=True)
    link_employee(declines, company, count_hours=False)
    gone = link_employee(left, company, count_hours=True)
    gone.removed_at = utcnow()
    for person in (counts, declines, left):
        _attended(person, slot)
    later = make_slot(task, starts_at=datetime(year + 1, 1, 5, 8, tzinfo=timezone.utc), hours=2, capacity=5)
    _attended(counts, later)

    assert hours_made_possible(company, year=year) == 3.0
    assert hours_made_possible(company, year=year + 1) == 2.0
    assert hours_made_possible(company) == 5.0
    assert hours_made_possible(make_company()) == 0.0
