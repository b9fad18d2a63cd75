"""Which tasks reach the ranking when there are more than it takes (suggestions.TASK_CANDIDATES):
interested first, then nearest, skipping tasks without an open time for the volunteer (booked by
them, full) and tasks of an organisation that is not approved. The database sorts first and
checks those rules in that order (portal.matching.suggestions._sorted_then_checked), so the
rows that fail a check must be skipped, not cut off, and the limit must count only the others."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.matching import suggestions
from portal.models import Category, OrganisationStatus
from portal.signups import services as signups
from portal.volunteers import services as volunteers
from tests.factories import make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
DRAGOER = (55.5925, 12.67222)     # postcode 2791
KM_NORTH = 1 / 111.32


@pytest.fixture
def karen_and_tasks(ctx):
    approved = make_organisation(admin=make_user())
    pending = make_organisation(admin=make_user(), status=OrganisationStatus.pending)
    karen = make_user(postcode="2791")
    older = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
    volunteers.update_profile(karen, interests=[older], availability=[], skills="", languages="", address="",
                              max_distance_km=None, suggestions_opt_in=True, digest_opt_in=False)
    # (title, km north of Karen, organisation, category, what is in the way)
    places = [("booked", 0.3, approved, "older-people", "booked"), ("pending", 0.5, pending, "older-people", None),
              ("full", 0.7, approved, "older-people", "full"), ("D", 0.9, approved, "older-people", None),
              ("sport", 1.2, approved, "sport", None), ("F", 1.5, approved, "older-people", None),
              ("G", 2.5, approved, "older-people", None), ("H", 3.5, approved, "older-people", None)]
    for title, km, org, category, obstacle in places:
        task = make_task(org, title=title, category_slug=category)
        task.latitude, task.longitude = DRAGOER[0] + km * KM_NORTH, DRAGOER[1]
        slot = make_slot(task, starts_at=NOW + timedelta(days=3, hours=len(title)), capacity=4)
        if obstacle == "full":
            slot.taken = slot.capacity
        db.session.flush()
        if obstacle == "booked":
            signups.sign_up(karen, slot, now=NOW)
    db.session.flush()
    return karen


def shown(karen):
    return {s.task.title for s in suggestions.suggestions_for(karen, now=NOW, limit=10)}


@pytest.mark.parametrize("boxes", [(5.0,), (1.0,), ()], ids=["box-settles", "box-too-small", "no-box"])
def test_the_nearest_interested_with_a_time_for_her_are_taken_in_order(karen_and_tasks, monkeypatch, boxes):
    monkeypatch.setattr(suggestions, "BOXES_KM", boxes)
    monkeypatch.setattr(suggestions, "TASK_CANDIDATES", 3)
    assert shown(karen_and_tasks) == {"D", "F", "G"}
    monkeypatch.setattr(suggestions, "TASK_CANDIDATES", 4)
    assert shown(karen_and_tasks) == {"D", "F", "G", "H"}


def test_the_others_follow_the_interested_and_nothing_blocked_ever_comes(karen_and_tasks, monkeypatch):
    monkeypatch.setattr(suggestions, "TASK_CANDIDATES", 5)
    assert shown(karen_and_tasks) == {"D", "F", "G", "H", "sport"}
    monkeypatch.setattr(suggestions, "TASK_CANDIDATES", 100)
    assert shown(karen_and_tasks) == {"D", "F", "G", "H", "sport"}
