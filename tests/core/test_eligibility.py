"""Each hard rule and the overlap warning, with hand-made facts."""

from datetime import date, datetime, timedelta, timezone

from portal.core.eligibility import PersonFacts, Reason, SlotFacts, decide

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
THURSDAY = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)  # 13:00 in Dragør


def slot(**kw):
    values = dict(starts_at=THURSDAY, ends_at=THURSDAY + timedelta(hours=1), capacity=6, taken=0, is_open=True)
    values.update(kw)
    return SlotFacts(**values)


def person(**kw):
    values = dict(birth_date=date(1960, 1, 1))
    values.update(kw)
    return PersonFacts(**values)


def test_an_ordinary_adult_may_sign_up_for_an_open_slot():
    decision = decide(person(), slot(), now=NOW)
    assert decision.can_sign_up and decision.blockers == () and decision.warnings == ()


def test_minimum_age_is_measured_on_the_day_of_the_slot():
    fifteen_on_the_day = person(birth_date=date(2011, 11, 26))
    assert decide(fifteen_on_the_day, slot(min_age=15), now=NOW).can_sign_up
    turns_fifteen_next_day = person(birth_date=date(2011, 11, 27))
    decision = decide(turns_fifteen_next_day, slot(min_age=15), now=NOW)
    assert decision.blockers == (Reason.too_young,) and decision.extra["min_age"] == 15
    assert decide(person(birth_date=None), slot(min_age=15), now=NOW).blockers == (Reason.too_young,)


def test_børneattest_must_be_recorded_by_the_organisation():
    assert decide(person(), slot(needs_clearance=True), now=NOW).blockers == (Reason.needs_clearance,)
    assert decide(person(has_clearance=True), slot(needs_clearance=True), now=NOW).can_sign_up


def test_a_full_slot_offers_only_the_waitlist():
    decision = decide(person(), slot(taken=6), now=NOW)
    assert decision.blockers == (Reason.full,) and decision.can_join_waitlist
    too_young_and_full = decide(person(birth_date=date(2015, 1, 1)), slot(taken=6, min_age=15), now=NOW)
    assert not too_young_and_full.can_join_waitlist


def test_started_or_closed_slots_cannot_be_booked():
    assert Reason.started in decide(person(), slot(), now=THURSDAY).blockers
    assert Reason.not_open in decide(person(), slot(is_open=False), now=NOW).blockers


def test_the_monthly_hours_cap_counts_the_local_month():
    november = ((datetime(2026, 11, 3, 12, tzinfo=timezone.utc), datetime(2026, 11, 3, 15, tzinfo=timezone.utc)),)
    # 3 h booked + 1 h = 4 h: exactly the cap is fine, one hour less is not.
    assert decide(person(max_hours_per_month=4, booked=november), slot(), now=NOW).can_sign_up
    decision = decide(person(max_hours_per_month=3, booked=november), slot(), now=NOW)
    assert decision.blockers == (Reason.over_monthly_cap,) and decision.extra == {"cap": 3, "booked": 3.0}
    # 30 November 23:30 UTC is already 1 December in Dragør: another month.
    late = (datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc), datetime(2026, 12, 1, 2, 30, tzinfo=timezone.utc)),
    assert decide(person(max_hours_per_month=1, booked=late), slot(), now=NOW).can_sign_up


def test_overlap_is_a_warning_not_a_blocker():
    booked = ((THURSDAY + timedelta(minutes=30), THURSDAY + timedelta(hours=2)),)
    decision = decide(person(booked=booked), slot(), now=NOW)
    assert decision.can_sign_up and decision.warnings == (Reason.overlap,)
    touching = ((THURSDAY + timedelta(hours=1), THURSDAY + timedelta(hours=2)),)
    assert decide(person(booked=touching), slot(), now=NOW).warnings == ()
