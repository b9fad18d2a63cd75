"""Suggestions work out a volunteer's booked hours once, for every candidate time at once:
the number of SQL statements does not grow with the candidate times or the bookings, and the
monthly hours cap still counts what a person would count (the local month a time starts in, its
real length across a daylight saving change, and every booking of that month, not only those
near today).

The dates are fixed and passed in as `now`, so the test holds whatever day the suite runs on
(it also runs with the clock faked to New Year's Eve and DST weekends)."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from portal.core.eligibility import PersonFacts, Reason, SlotFacts, decide
from portal.extensions import db
from portal.matching import suggestions
from portal.models import Category, Signup, SignupState
from portal.volunteers import services as volunteers
from tests.conftest import counting_queries
from tests.factories import make_organisation, make_slot, make_task, make_user

UTC = timezone.utc
NOW = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)                 # a Saturday, eight days before summer time
EARLY_MARCH = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)         # 5 h, long before "now": still this month
OVER_THE_CHANGE = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)    # 01:30 CET to 04:30 CEST: 2 real hours
APRIL_IN_DRAGOER = datetime(2027, 3, 31, 22, 30, tzinfo=UTC)  # 1 April 00:30 local: April's, not March's


def booked():
    return ((EARLY_MARCH, EARLY_MARCH + timedelta(hours=5)),
            (OVER_THE_CHANGE, OVER_THE_CHANGE + timedelta(hours=2)),
            (APRIL_IN_DRAGOER, APRIL_IN_DRAGOER + timedelta(hours=3)))


def test_booked_hours_go_to_the_local_month_and_count_real_hours_over_the_dst_change():
    person = PersonFacts(birth_date=None, max_hours_per_month=8, booked=booked())
    assert person.booked_hours_by_month == {(2027, 3): 7.0, (2027, 4): 3.0}
    late_march = datetime(2027, 3, 30, 10, 0, tzinfo=UTC)
    two_hours = SlotFacts(starts_at=late_march, ends_at=late_march + timedelta(hours=2), capacity=5, taken=0,
                          is_open=True)
    decision = decide(person, two_hours, now=NOW)
    assert decision.blockers == (Reason.over_monthly_cap,) and decision.extra == {"cap": 8, "booked": 7.0}


def category_id(slug):
    return db.session.scalar(select(Category.id).where(Category.slug == slug))


def volunteer_with_bookings(org, *, max_hours=8):
    karen = make_user(email="karen@example.dk", postcode="2791")
    profile = volunteers.update_profile(karen, interests=[category_id("older-people")], availability=list(range(21)),
                                        skills="", languages="", address="", max_distance_km=None,
                                        suggestions_opt_in=True, digest_opt_in=False)
    profile.max_hours_per_month = max_hours
    elsewhere = make_task(org, title="Tidligere vagter", category_slug="culture-museum")
    for starts_at, ends_at in booked():
        slot = make_slot(elsewhere, starts_at=starts_at, hours=round((ends_at - starts_at).total_seconds() / 3600))
        slot.taken = 1
        db.session.add(Signup(user_id=karen.id, slot_id=slot.id, state=SignupState.confirmed))
    db.session.flush()
    return karen


def test_the_monthly_cap_counts_the_whole_local_month_of_each_candidate_time(ctx):
    org = make_organisation(admin=make_user())
    karen = volunteer_with_bookings(org)
    for title, starts_at, length in (
            ("Marts, to timer", datetime(2027, 3, 30, 10, 0, tzinfo=UTC), 2),   # 7 + 2 > 8
            ("Marts, en time", datetime(2027, 3, 30, 14, 0, tzinfo=UTC), 1),    # 7 + 1 = 8
            ("April, fem timer", datetime(2027, 4, 6, 8, 0, tzinfo=UTC), 5),    # 3 + 5 = 8
            ("April, seks timer", datetime(2027, 4, 13, 8, 0, tzinfo=UTC), 6)):  # 3 + 6 > 8
        make_slot(make_task(org, title=title), starts_at=starts_at, hours=length)
    db.session.flush()
    shown = {s.task.title for s in suggestions.suggestions_for(karen, now=NOW, limit=20)}
    assert shown == {"Marts, en time", "April, fem timer"}


def add_candidate_times(org, n, *, first):
    for i in range(n):
        task = make_task(org, title=f"Besøgsven {first + i}")
        task.latitude, task.longitude = 55.59 + (first + i) * 0.0005, 12.67
        for week in range(3):
            make_slot(task, starts_at=NOW + timedelta(days=2 + 7 * week, hours=i % 5), capacity=4)
    db.session.flush()


def statements_for_suggestions(app, user):
    db.session.expire_all()
    with counting_queries(app) as statements:
        found = suggestions.suggestions_for(user, now=NOW, limit=10)
    return len(statements), found


def test_suggestions_cost_the_same_statements_for_few_and_many_candidate_times(app, ctx):
    org = make_organisation(admin=make_user())
    karen = volunteer_with_bookings(org, max_hours=40)
    add_candidate_times(org, 2, first=0)
    few, found_few = statements_for_suggestions(app, karen)
    add_candidate_times(org, 40, first=2)
    # More bookings too, in both months the candidate times fall in.
    busy = make_task(org, title="Faste vagter", category_slug="culture-museum")
    for day in range(1, 20):
        slot = make_slot(busy, starts_at=datetime(2027, 3, 1, 6, 0, tzinfo=UTC) + timedelta(days=2 * day))
        db.session.add(Signup(user_id=karen.id, slot_id=slot.id, state=SignupState.confirmed))
    db.session.flush()
    many, found_many = statements_for_suggestions(app, karen)
    assert len(found_few) == 6 and len(found_many) == 10
    assert many == few, (few, many)
