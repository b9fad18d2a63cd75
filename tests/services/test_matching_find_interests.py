"""Find volunteers ranks its candidates from plain columns and knows who is interested in the
task's category from the query that found them: only those get the interest's points and
reason, whatever else they are interested in."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from portal.extensions import db
from portal.matching import candidates
from portal.models import Category
from portal.volunteers import services as volunteers
from tests.factories import make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


def category_id(slug):
    return db.session.scalar(select(Category.id).where(Category.slug == slug))


def test_only_those_interested_in_the_tasks_category_are_shown_as_interested(ctx):
    org = make_organisation(admin=make_user())
    task = make_task(org, title="Cykeltur", category_slug="older-people")
    task.latitude, task.longitude = 55.5925, 12.6722
    make_slot(task, starts_at=NOW + timedelta(days=4), capacity=6)
    for name, interests in (("Ida", ["older-people", "sport"]), ("Bo", ["sport", "nature"]), ("Aya", [])):
        volunteers.update_profile(make_user(name=name, postcode="2791"),
                                  interests=[category_id(slug) for slug in interests], availability=[],
                                  skills="", languages="", address="", max_distance_km=None,
                                  suggestions_opt_in=True, digest_opt_in=False)
    db.session.flush()
    found = {c.user.name: c for c in candidates.find_volunteers(task, now=NOW)}
    assert set(found) == {"Ida", "Bo", "Aya"}
    assert "interesseret i Ældre" in found["Ida"].reasons
    assert not any(r.startswith("interesseret") for r in found["Bo"].reasons + found["Aya"].reasons)
    assert found["Ida"].score > found["Bo"].score == found["Aya"].score
    assert all(c.profile.user_id == c.user.id for c in found.values())   # each with their own profile
