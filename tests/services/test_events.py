"""The coordinator's event services: local times stored as UTC on either side of a daylight-saving
change, programme lines within the event and moving with it, and the first-timer count in SQL
agreeing with the pure rule."""

import random
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.core.events import SignupFact, first_timers
from portal.core.timeutil import to_local
from portal.errors import DomainError
from portal.events import queries, services
from portal.extensions import db
from portal.models import Signup, SignupState, utcnow
from tests.factories import make_event, make_organisation, make_slot, make_task, make_user


def new_event(coordinator, day: date, **fields):
    values = dict(kind="volunteer_day", title="Frivillig Fredag", summary="", day=day, starts=time(13),
                  ends=time(19), place_name="Wiedergården", address="", award_year_id=None)
    values.update(fields)
    return services.create_event(coordinator, **values, now=utcnow())


@pytest.mark.parametrize("day, utc_hour", [(date(2027, 9, 24), 11), (date(2027, 1, 21), 12)])
def test_local_times_are_stored_in_utc_summer_and_winter(ctx, day, utc_hour):
    event = new_event(make_user(coordinator=True), day)
    assert event.starts_at.hour == utc_hour and to_local(event.starts_at).hour == 13
    assert event.slug == f"frivillig-fredag-{day.isoformat()}"
    again = new_event(make_user(coordinator=True), day)
    assert again.slug == f"frivillig-fredag-{day.isoformat()}-2"


def test_an_end_before_the_start_and_an_unknown_award_year_are_refused_by_field(ctx):
    coordinator = make_user(coordinator=True)
    with pytest.raises(DomainError) as ends:
        new_event(coordinator, date(2027, 9, 24), starts=time(18), ends=time(9))
    assert ends.value.field == "ends"
    with pytest.raises(DomainError) as year:
        new_event(coordinator, date(2027, 9, 24), award_year_id=99999)
    assert year.value.field == "award_year"


def test_programme_lines_stay_within_the_event_and_move_with_its_day(ctx):
    event = new_event(make_user(coordinator=True), date(2027, 9, 24))
    with pytest.raises(DomainError) as early:
        services.add_item(event, at=time(9), title="For tidligt")
    assert early.value.field == "at"
    awards = services.add_item(event, at=time(16), title="Priserne uddeles")
    services.update_event(event, kind="volunteer_day", title="Frivillig Fredag", summary="", day=date(2027, 10, 1),
                          starts=time(13), ends=time(19), place_name="Wiedergården", address="", award_year_id=None)
    assert to_local(awards.starts_at).date() == date(2027, 10, 1) and to_local(awards.starts_at).hour == 16
    assert event.slug == "frivillig-fredag-2027-09-24"        # links already shared keep working
    other = new_event(make_user(coordinator=True), date(2027, 11, 1))
    with pytest.raises(DomainError):
        services.remove_item(other, awards.id)                # not that event's line
    services.remove_item(event, awards.id)
    assert queries.items_of(event) == []


def test_publishing_twice_keeps_the_first_time_and_hiding_takes_it_off_the_list(ctx):
    event = new_event(make_user(coordinator=True), to_local(utcnow() + timedelta(days=30)).date())
    first = utcnow()
    services.publish_event(event, now=first)
    services.publish_event(event, now=first + timedelta(hours=1))
    assert event.published_at == first
    assert queries.upcoming_events(now=utcnow()) == [event]
    services.unpublish_event(event)
    assert queries.upcoming_events(now=utcnow()) == []


def test_the_first_timer_count_in_sql_agrees_with_the_pure_rule(ctx):
    rng = random.Random(12)
    org = make_organisation(admin=make_user())
    event = make_event()
    on_event = [make_slot(make_task(org), starts_at=event.starts_at, capacity=500) for _ in range(2)]
    for slot in on_event:
        slot.task.event_id = event.id
    elsewhere = [make_slot(make_task(org), starts_at=utcnow() + timedelta(days=3), capacity=500) for _ in range(2)]
    people = [make_user() for _ in range(25)]
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    facts = []
    for person in people:
        chosen = rng.sample(on_event + elsewhere, rng.randint(1, 4))
        for slot in chosen:
            created = base + timedelta(hours=rng.randint(0, 500))
            state = rng.choices([SignupState.confirmed, SignupState.cancelled, SignupState.waitlisted],
                                [6, 2, 2])[0]
            live = state is SignupState.confirmed                          # the waitlist is not coming yet
            db.session.add(Signup(slot_id=slot.id, user_id=person.id, created_at=created, state=state))
            facts.append(SignupFact(person.id, created, on_event=slot in on_event, live=live))
    db.session.flush()
    expected = first_timers(facts)
    assert 0 < expected < len(people)
    assert queries.first_timer_count(event) == expected
    assert queries.first_timer_count(make_event()) == 0


def test_a_first_timer_only_on_the_waitlist_is_not_counted_until_they_have_a_place(ctx):
    org = make_organisation(admin=make_user())
    event = make_event()
    task = make_task(org)
    task.event_id = event.id
    slot = make_slot(task, starts_at=event.starts_at, capacity=1)
    newcomer = make_user()
    waiting = Signup(slot_id=slot.id, user_id=newcomer.id, state=SignupState.waitlisted)
    db.session.add(waiting)
    db.session.flush()
    assert queries.first_timer_count(event) == 0
    waiting.state = SignupState.confirmed
    db.session.flush()
    assert queries.first_timer_count(event) == 1
    assert first_timers([SignupFact(newcomer.id, waiting.created_at, on_event=True, live=False)]) == 0
