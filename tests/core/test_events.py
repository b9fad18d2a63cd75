"""Pure event rules: the date of Frivillig Fredag, who counts as a first-timer, event slugs."""

from datetime import date, datetime, timedelta, timezone

import pytest

from portal.core.events import SignupFact, event_slug, first_timers, last_friday_of_september, next_volunteer_day


@pytest.mark.parametrize("year, day", [
    (2011, 30),   # the first national Frivillig Fredag: 30 September was itself a Friday
    (2017, 29),   # Dragør's Initiativpris was handed out that day
    (2021, 24),
    (2024, 27),
    (2025, 26),
    (2026, 25),
    (2027, 24),
    (2028, 29),   # a leap year changes nothing in September
    (2032, 24),
])
def test_frivillig_fredag_is_the_last_friday_of_september(year, day):
    found = last_friday_of_september(year)
    assert found == date(year, 9, day)
    assert found.weekday() == 4
    assert (found + timedelta(days=7)).month == 10


def test_the_next_volunteer_day_is_this_years_until_it_has_passed():
    assert next_volunteer_day(date(2026, 1, 1)) == date(2026, 9, 25)
    assert next_volunteer_day(date(2026, 9, 25)) == date(2026, 9, 25)     # the day itself still counts
    assert next_volunteer_day(date(2026, 9, 26)) == date(2027, 9, 24)
    assert next_volunteer_day(date(2026, 12, 31)) == date(2027, 9, 24)


T0 = datetime(2026, 9, 1, 12, 0, tzinfo=timezone.utc)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def test_a_person_whose_very_first_sign_up_is_for_the_event_is_a_first_timer():
    assert first_timers([SignupFact(1, at(0), on_event=True, live=True)]) == 1


def test_an_earlier_sign_up_anywhere_even_cancelled_means_not_a_first_timer():
    facts = [SignupFact(1, at(0), on_event=False, live=True), SignupFact(1, at(5), on_event=True, live=True),
             SignupFact(2, at(1), on_event=False, live=False), SignupFact(2, at(6), on_event=True, live=True)]
    assert first_timers(facts) == 0


def test_a_later_sign_up_elsewhere_does_not_undo_a_first_timer():
    facts = [SignupFact(1, at(0), on_event=True, live=True), SignupFact(1, at(9), on_event=False, live=True)]
    assert first_timers(facts) == 1


def test_someone_who_cancelled_every_event_time_is_not_counted_and_each_person_counts_once():
    facts = [SignupFact(1, at(0), on_event=True, live=False),
             SignupFact(2, at(0), on_event=True, live=True), SignupFact(2, at(1), on_event=True, live=True),
             SignupFact(3, at(2), on_event=True, live=False), SignupFact(3, at(3), on_event=True, live=True)]
    assert first_timers(facts) == 2      # 2 (two times, one person) and 3 (came back)


def test_event_slugs_are_readable_and_dated():
    assert event_slug("Frivillig Fredag", date(2027, 9, 24)) == "frivillig-fredag-2027-09-24"
    assert event_slug("Velfærdsmøde på Rådhuset", date(2027, 1, 14)) == "velfaerdsmoede-paa-raadhuset-2027-01-14"
    assert event_slug("🎉🎉", date(2027, 1, 14)) == "event-2027-01-14"
    assert len(event_slug("x" * 500, date(2027, 1, 14))) <= 80


def test_an_evening_that_ends_in_the_small_hours_ends_the_next_day():
    from datetime import time

    from portal.core.events import ends_next_day
    assert ends_next_day(time(20, 0), time(1, 0))
    assert ends_next_day(time(22, 0), time(0, 0))
    assert ends_next_day(time(12, 0), time(6, 0))
    assert not ends_next_day(time(18, 0), time(10, 0))     # a typo, not a 16-hour night
    assert not ends_next_day(time(9, 0), time(1, 0))       # a morning start: a typo
    assert not ends_next_day(time(13, 0), time(17, 0))     # an ordinary afternoon
