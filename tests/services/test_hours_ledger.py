"""The hours ledger (portal/hours): one count of volunteer hours, from times marked as attended and
approved hour entries, filtered by person, organisation, category and period."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from portal.core.hours import Period
from portal.extensions import db
from portal.hours import services as ledger
from portal.models import (Attendance, Category, HoursEntry, HoursStatus, Signup, SignupState)
from tests.factories import make_organisation, make_slot, make_task, make_user

UTC = timezone.utc


def attend(user, slot, attendance=Attendance.attended):
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed, attendance=attendance))
    slot.taken += 1
    db.session.flush()


def log(user, task, day, minutes, status=HoursStatus.approved):
    db.session.add(HoursEntry(task_id=task.id, user_id=user.id, worked_on=day, minutes=minutes, status=status))
    db.session.flush()


@pytest.fixture
def world(ctx):
    """Karen and Poul at two organisations, in two categories, in March and April 2026."""
    karen, poul = make_user(name="Karen"), make_user(name="Poul")
    enggaarden, skolen = make_organisation(name="Enggården"), make_organisation(name="Skolen")
    visits = make_task(enggaarden, category_slug="older-people")
    reading = make_task(skolen, category_slug="homework-reading")
    garden = make_task(enggaarden, kind="ongoing", category_slug="nature")

    march = make_slot(visits, starts_at=datetime(2026, 3, 10, 12, tzinfo=UTC), hours=2)
    april = make_slot(reading, starts_at=datetime(2026, 4, 2, 14, tzinfo=UTC), hours=1.5)
    missed = make_slot(visits, starts_at=datetime(2026, 4, 20, 12, tzinfo=UTC), hours=3)
    unmarked = make_slot(reading, starts_at=datetime(2026, 4, 21, 12, tzinfo=UTC), hours=4)
    attend(karen, march)
    attend(karen, april)
    attend(poul, march)
    attend(karen, missed, Attendance.no_show)      # a no-show counts nothing
    attend(karen, unmarked, attendance=None)       # not marked yet: nothing either
    log(karen, garden, date(2026, 4, 5), 90)
    log(karen, garden, date(2026, 4, 6), 600, HoursStatus.pending)   # waiting for approval
    log(karen, garden, date(2026, 4, 7), 600, HoursStatus.rejected)  # declined
    log(poul, garden, date(2026, 3, 31), 30)
    categories = {slug: db.session.scalar(select(Category.id).where(Category.slug == slug))
                  for slug in ("older-people", "homework-reading", "nature")}
    return {"karen": karen, "poul": poul, "enggaarden": enggaarden, "skolen": skolen, **categories}


def test_a_persons_hours_are_attended_times_and_approved_entries_only(world):
    # 2 h (March) + 1.5 h (April) attended + 1.5 h approved; the no-show, the unmarked time,
    # the pending and the declined entries count nothing.
    assert ledger.total_hours(user=world["karen"]) == 5.0
    assert ledger.total_hours(user=world["poul"].id) == 2.5


def test_hours_per_organisation_and_per_person(world):
    assert ledger.total_hours(organisation=world["enggaarden"]) == 2 + 2 + 1.5 + 0.5
    assert ledger.total_hours(organisation=world["skolen"]) == 1.5
    assert ledger.hours_by("user", organisation=world["enggaarden"]) == {
        world["karen"].id: 3.5, world["poul"].id: 2.5}


def test_hours_per_category(world):
    assert ledger.hours_by("category") == {
        world["older-people"]: 4.0, world["homework-reading"]: 1.5, world["nature"]: 2.0}
    assert ledger.total_hours(category=world["nature"], user=world["karen"]) == 1.5


def test_hours_in_a_period_by_the_local_date_the_work_was_done(world):
    assert ledger.total_hours(period=Period.month(2026, 3)) == 2 + 2 + 0.5
    assert ledger.total_hours(user=world["karen"], period=Period.month(2026, 4)) == 3.0
    assert ledger.total_hours(period=Period(start=date(2026, 4, 3))) == 1.5
    assert ledger.total_hours(period=Period.year(2025)) == 0
    assert ledger.hours_by("month", user=world["karen"]) == {(2026, 3): 2.0, (2026, 4): 3.0}


def test_a_time_late_in_the_evening_belongs_to_the_danish_date(ctx):
    karen = make_user()
    task = make_task(make_organisation())
    # 23:30 UTC on 31 March is 01:30 on 1 April in Copenhagen.
    attend(karen, make_slot(task, starts_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC), hours=1))
    assert ledger.total_hours(user=karen, period=Period.month(2026, 3)) == 0
    assert ledger.total_hours(user=karen, period=Period.month(2026, 4)) == 1.0


def test_min_side_shows_the_ledgers_total(world):
    from portal.signups.services import overview

    assert overview(world["karen"], now=datetime(2026, 5, 1, tzinfo=UTC)).hours == 5.0
