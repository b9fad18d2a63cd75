"""Find volunteers takes the hundred it ranks (candidates.VOLUNTEER_CANDIDATES) nearest first from
inside the search box, then those without a place, as if a degree away; those free at the task's
times before the others. The box and the people without a place are searched apart (each a range
of the index on opt-in and latitude), and the profiles are put in order before their users are
checked, so this pins that together they keep that one order."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from portal.core.matching import AFTERNOON
from portal.extensions import db
from portal.matching import candidates
from portal.models import Category
from portal.volunteers import services as volunteers
from tests.factories import make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
THURSDAY_13 = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)     # 13:00 in Dragør
DRAGOER = (55.5925, 12.6722)
KM_NORTH = 1 / 111.32


@pytest.fixture
def cycling(ctx):
    task = make_task(make_organisation(admin=make_user()), title="Cykeltur med beboerne", category_slug="older-people")
    task.latitude, task.longitude = DRAGOER
    make_slot(task, starts_at=THURSDAY_13, capacity=6)
    db.session.flush()
    return task


def volunteer(name, *, km_north=None, free=True, interested=True, **person):
    """Someone opted in, km_north of the task (None: no place saved, only a postcode)."""
    user = make_user(name=name, email=f"{name.lower()}@example.dk", postcode="2791", **person)
    older = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
    volunteers.update_profile(user, interests=[older] if interested else [],
                              availability=[3 * 3 + AFTERNOON] if free else [], skills="", languages="", address="",
                              max_distance_km=None, suggestions_opt_in=True, digest_opt_in=False)
    profile = user.volunteer_profile
    if km_north is None:
        profile.latitude = profile.longitude = None
    else:
        profile.latitude, profile.longitude = DRAGOER[0] + km_north * KM_NORTH, DRAGOER[1]
    db.session.flush()
    return user


def ranked(task, monkeypatch, how_many):
    """The names of the people the ranking got to see, when it sees how_many."""
    monkeypatch.setattr(candidates, "VOLUNTEER_CANDIDATES", how_many)
    return {c.user.name for c in candidates.find_volunteers(task, now=NOW, limit=50)}


def test_the_nearest_in_the_area_come_before_those_without_a_place_and_those_far_away_never(cycling, monkeypatch):
    # Made first, so the lowest ids: an order by id alone would take them first.
    volunteer("Nowhere", km_north=None)
    volunteer("Far", km_north=40)          # outside the 25 km searched
    for name, km in (("Twenty", 20), ("One", 1), ("Five", 5)):
        volunteer(name, km_north=km)
    assert ranked(cycling, monkeypatch, 2) == {"One", "Five"}
    assert ranked(cycling, monkeypatch, 3) == {"One", "Five", "Twenty"}
    assert ranked(cycling, monkeypatch, 10) == {"One", "Five", "Twenty", "Nowhere"}


def test_those_free_then_come_first_even_without_a_place_then_the_interested_then_the_rest(cycling, monkeypatch):
    volunteer("BusyNear", km_north=1, free=False)
    volunteer("FreeNowhere", km_north=None)
    volunteer("FreeFar", km_north=15)
    volunteer("BusyUninterestedNowhere", km_north=None, free=False, interested=False)
    volunteer("BusyUninterestedNear", km_north=0.2, free=False, interested=False)
    volunteer("FreeUninterested", km_north=10, interested=False)
    interested = {"FreeFar", "FreeNowhere", "BusyNear"}
    assert ranked(cycling, monkeypatch, 2) == {"FreeFar", "FreeNowhere"}
    assert ranked(cycling, monkeypatch, 3) == interested
    # Of the rest, one sort: free first, then nearest, then those without a place.
    assert ranked(cycling, monkeypatch, 4) == interested | {"FreeUninterested"}
    assert ranked(cycling, monkeypatch, 5) == interested | {"FreeUninterested", "BusyUninterestedNear"}
    assert "BusyUninterestedNowhere" in ranked(cycling, monkeypatch, 6)


def test_the_nearest_who_may_not_be_asked_leave_room_for_the_next(cycling, monkeypatch):
    """Profiles are put in order before their users are read: someone who never confirmed their
    e-mail, or is too young for the task, is passed over and the next nearest take their place."""
    from datetime import date
    cycling.min_age = 18
    volunteer("Unconfirmed", km_north=0.5, confirmed=False)
    volunteer("Young", km_north=1, birth_date=date(2012, 3, 1))
    volunteer("YoungNowhere", km_north=None, birth_date=date(2012, 3, 1))
    for name, km in (("Two", 2), ("Three", 3), ("Four", 4)):
        volunteer(name, km_north=km)
    volunteer("Nowhere", km_north=None)
    assert ranked(cycling, monkeypatch, 2) == {"Two", "Three"}
    assert ranked(cycling, monkeypatch, 10) == {"Two", "Three", "Four", "Nowhere"}


def test_a_task_without_a_place_searches_everyone_free_first(cycling, monkeypatch):
    cycling.latitude = cycling.longitude = None
    volunteer("BusyNear", km_north=1, free=False)
    volunteer("FreeFar", km_north=300)
    volunteer("FreeNowhere", km_north=None)
    assert ranked(cycling, monkeypatch, 2) == {"FreeFar", "FreeNowhere"}
    assert ranked(cycling, monkeypatch, 3) == {"FreeFar", "FreeNowhere", "BusyNear"}
