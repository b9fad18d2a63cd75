"""The small-jobs counter reads the hours ledger (portal/hours) for small-job tasks only, month by
Copenhagen time, plus booked times not yet counted; the limit is the person's own, 1..200."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Attendance, HoursEntry, HoursStatus, Signup, SignupState, VolunteerProfile
from portal.smalljobs import services
from tests.factories import make_organisation, make_slot, make_task, make_user

UTC = timezone.utc
NOW = datetime(2027, 2, 10, 12, tzinfo=UTC)


def book(user, slot, attendance=None):
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed, attendance=attendance))
    slot.taken += 1
    db.session.flush()


@pytest.fixture
def karen(ctx):
    karen = make_user(name="Karen")
    org = make_organisation(name="Wiedergården")
    garden = make_task(org, title="Havearbejde")
    garden.is_small_job = True
    clothes = make_task(org, title="Sortering af tøj", kind="ongoing")
    clothes.is_small_job = True
    ordinary = make_task(org, title="Kaffe til beboerne")
    # 00:30 on 1 February in Copenhagen is still 31 January in UTC: it counts in February.
    book(karen, make_slot(garden, starts_at=datetime(2027, 1, 31, 23, 30, tzinfo=UTC), hours=2), Attendance.attended)
    # 23:30 on 31 January in Copenhagen: January, not counted.
    book(karen, make_slot(garden, starts_at=datetime(2027, 1, 31, 22, 30, tzinfo=UTC), hours=4), Attendance.attended)
    # A no-show counts nothing; an ordinary task is not a small job.
    book(karen, make_slot(garden, starts_at=datetime(2027, 2, 3, 9, tzinfo=UTC), hours=5), Attendance.no_show)
    book(karen, make_slot(ordinary, starts_at=datetime(2027, 2, 4, 9, tzinfo=UTC), hours=6), Attendance.attended)
    # Approved hours count, pending ones do not.
    db.session.add_all([
        HoursEntry(task_id=clothes.id, user_id=karen.id, worked_on=date(2027, 2, 5), minutes=90,
                   status=HoursStatus.approved),
        HoursEntry(task_id=clothes.id, user_id=karen.id, worked_on=date(2027, 2, 6), minutes=600),
    ])
    # Booked later this month (not yet counted) and next month (not this month's).
    book(karen, make_slot(garden, starts_at=datetime(2027, 2, 20, 9, tzinfo=UTC), hours=3))
    book(karen, make_slot(garden, starts_at=datetime(2027, 2, 28, 23, 30, tzinfo=UTC), hours=7))
    db.session.flush()
    return karen


def test_the_counter_takes_this_copenhagen_month_from_the_ledger_and_the_bookings(karen):
    counter = services.counter(karen, now=NOW)
    assert (counter.done, counter.booked, counter.total, counter.limit) == (3.5, 3.0, 6.5, None)


def test_in_january_the_late_evening_time_counts_instead(karen):
    assert services.counter(karen, now=datetime(2027, 1, 15, tzinfo=UTC)).done == 4.0


def test_the_limit_is_set_changed_and_cleared_and_makes_a_profile_when_missing(karen):
    assert db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == karen.id)) is None
    services.set_limit(karen, 8)
    counter = services.counter(karen, now=NOW)
    assert counter.limit == 8 and counter.level == "near"
    services.set_limit(karen, 6)
    assert services.counter(karen, now=NOW).level == "over"
    services.set_limit(karen, None)
    assert services.counter(karen, now=NOW).level == "none"


@pytest.mark.parametrize("hours", [0, 201, -1, True])
def test_a_limit_outside_1_to_200_is_refused(karen, hours):
    with pytest.raises(services.LimitOutOfRange):
        services.set_limit(karen, hours)
