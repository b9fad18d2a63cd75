"""The award year's phase follows from its dates and the clock (portal/core/awards.py): each
boundary belongs to the phase it starts, a microsecond before it to the one before."""

from datetime import datetime, timedelta, timezone

import pytest

from portal.core.awards import Dates, Phase, dates_in_order, phase

UTC = timezone.utc
DATES = Dates(nominations_open_at=datetime(2027, 5, 1, 8, tzinfo=UTC),
              nominations_close_at=datetime(2027, 8, 1, 22, tzinfo=UTC),
              jury_starts_at=datetime(2027, 8, 15, 7, tzinfo=UTC),
              announce_at=datetime(2027, 9, 24, 12, tzinfo=UTC))
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize("moment, expected", [
    (DATES.nominations_open_at - timedelta(days=400), Phase.upcoming),
    (DATES.nominations_open_at - TICK, Phase.upcoming),
    (DATES.nominations_open_at, Phase.nominating),
    (DATES.nominations_close_at - TICK, Phase.nominating),
    (DATES.nominations_close_at, Phase.closed),
    (DATES.jury_starts_at - TICK, Phase.closed),
    (DATES.jury_starts_at, Phase.jury),
    (DATES.announce_at - TICK, Phase.jury),
    (DATES.announce_at, Phase.announced),
    (DATES.announce_at + timedelta(days=3650), Phase.announced),
])
def test_each_boundary_starts_its_own_phase(moment, expected):
    assert phase(DATES, moment) is expected


def test_the_same_instant_in_copenhagen_time_is_the_same_phase():
    from zoneinfo import ZoneInfo
    local = DATES.nominations_close_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    assert phase(DATES, local) is Phase.closed
    assert phase(DATES, local - TICK) is Phase.nominating


def test_closing_and_jury_start_may_coincide_then_closed_is_skipped():
    dates = Dates(DATES.nominations_open_at, DATES.nominations_close_at, DATES.nominations_close_at,
                  DATES.announce_at)
    assert dates_in_order(dates)
    assert phase(dates, DATES.nominations_close_at) is Phase.jury


@pytest.mark.parametrize("dates", [
    Dates(DATES.nominations_close_at, DATES.nominations_open_at, DATES.jury_starts_at, DATES.announce_at),
    Dates(DATES.nominations_open_at, DATES.nominations_open_at, DATES.jury_starts_at, DATES.announce_at),
    Dates(DATES.nominations_open_at, DATES.jury_starts_at, DATES.nominations_close_at, DATES.announce_at),
    Dates(DATES.nominations_open_at, DATES.nominations_close_at, DATES.announce_at, DATES.announce_at),
    Dates(DATES.nominations_open_at, DATES.nominations_close_at, DATES.announce_at, DATES.jury_starts_at),
])
def test_dates_out_of_order_are_refused(dates):
    assert not dates_in_order(dates)


def test_dates_in_order_are_accepted():
    assert dates_in_order(DATES)
