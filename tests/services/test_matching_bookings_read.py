"""Find volunteers reads bookings only for the best-ranked few (portal.matching.candidates), yet
the organiser sees the same list as if everyone's bookings had been read: someone who cannot come
is never shown, the next best fill the list in their place, and someone who cannot come to the best
time is shown for another time of the task they can come to. And the hundred it ranks are found
free-at-the-time first, in statements of their own, as one sort by "free first" found them."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.core.matching import AFTERNOON
from portal.extensions import db
from portal.matching import candidates
from portal.models import Category, Signup
from portal.volunteers import services as volunteers
from tests.conftest import counting_queries
from tests.factories import make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
THURSDAY_13 = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)     # 13:00 in Dragør


@pytest.fixture
def enggaarden(ctx):
    org = make_organisation(admin=make_user())
    cycling = make_task(org, title="Cykeltur med beboerne", category_slug="older-people")
    cycling.latitude, cycling.longitude = 55.5925, 12.6722
    elsewhere = make_task(make_organisation(admin=make_user()), title="Bankospil", category_slug="culture-museum")
    db.session.flush()
    return cycling, elsewhere


def volunteer(email):
    """Alike in every way the ranking weighs, so they rank by id: the order they were made in."""
    user = make_user(email=email, postcode="2791")
    older = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
    volunteers.update_profile(user, interests=[older], availability=[3 * 3 + AFTERNOON], skills="", languages="",
                              address="", max_distance_km=None, suggestions_opt_in=True, digest_opt_in=False)
    return user


def book(user, slot):
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state="confirmed"))


def shown(task, **kw):
    return [c.user.email for c in candidates.find_volunteers(task, now=NOW, **kw)]


@pytest.mark.parametrize("margin", [0, 10])
def test_the_best_who_cannot_come_are_left_out_and_the_next_fill_the_list(enggaarden, monkeypatch, app, margin):
    cycling, elsewhere = enggaarden
    make_slot(cycling, starts_at=THURSDAY_13, capacity=6)
    clash = make_slot(elsewhere, starts_at=THURSDAY_13 + timedelta(minutes=30))
    people = [volunteer(f"v{n}@example.dk") for n in range(6)]
    for busy in people[:3]:           # the three who would rank first are busy then
        book(busy, clash)
    db.session.flush()
    monkeypatch.setattr(candidates, "BOOKINGS_MARGIN", margin)
    # With no margin the first two read both clash, and so does the first of the next two:
    # bookings are read three times before the list of two is known to be right.
    with counting_queries(app) as statements:
        assert shown(cycling, limit=2) == ["v3@example.dk", "v4@example.dk"]
    bookings_read = [s for s in statements if "FROM signups JOIN slots" in s]
    assert len(bookings_read) == (3 if margin == 0 else 1)
    assert shown(cycling, limit=6) == ["v3@example.dk", "v4@example.dk", "v5@example.dk"]


def test_someone_busy_at_the_best_time_is_shown_for_a_time_they_can_come_to(enggaarden):
    cycling, elsewhere = enggaarden
    soon = make_slot(cycling, starts_at=THURSDAY_13, capacity=6)                 # urgent: scores higher
    later = make_slot(cycling, starts_at=THURSDAY_13 + timedelta(days=14), capacity=6)
    free, busy = volunteer("free@example.dk"), volunteer("busy@example.dk")
    book(busy, make_slot(elsewhere, starts_at=THURSDAY_13))
    db.session.flush()
    found = {c.user.email: c for c in candidates.find_volunteers(cycling, now=NOW)}
    assert found["free@example.dk"].slot == soon and found["busy@example.dk"].slot == later
    assert found["free@example.dk"].score > found["busy@example.dk"].score


def test_asking_for_no_one_shows_no_one(enggaarden):
    cycling, elsewhere = enggaarden
    make_slot(cycling, starts_at=THURSDAY_13, capacity=6)
    for n in range(3):
        volunteer(f"v{n}@example.dk")
    db.session.flush()
    assert shown(cycling, limit=0) == [] and len(shown(cycling, limit=1)) == 1


def test_those_free_at_the_time_are_taken_before_nearer_ones_who_are_not(enggaarden, monkeypatch):
    """When more are interested than are ranked (candidates.VOLUNTEER_CANDIDATES), those free at
    the task's times come first, however far, then the nearest of the others."""
    cycling, elsewhere = enggaarden
    make_slot(cycling, starts_at=THURSDAY_13, capacity=6)            # a Thursday afternoon
    older = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
    for email, postcode, availability in (("far-free@example.dk", "2770", [3 * 3 + AFTERNOON]),
                                          ("near-busy@example.dk", "2791", []),
                                          ("near-free@example.dk", "2791", [3 * 3 + AFTERNOON])):
        volunteers.update_profile(make_user(email=email, postcode=postcode), interests=[older],
                                  availability=availability, skills="", languages="", address="",
                                  max_distance_km=None, suggestions_opt_in=True, digest_opt_in=False)
    db.session.flush()
    monkeypatch.setattr(candidates, "VOLUNTEER_CANDIDATES", 2)
    assert set(shown(cycling)) == {"near-free@example.dk", "far-free@example.dk"}
    monkeypatch.setattr(candidates, "VOLUNTEER_CANDIDATES", 3)
    assert set(shown(cycling)) == {"near-free@example.dk", "far-free@example.dk", "near-busy@example.dk"}
