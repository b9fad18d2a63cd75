"""No N+1: the pages that show suggestions run a fixed number of SQL statements, however
many tasks there are."""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Category, utcnow
from portal.volunteers.services import update_profile as update_volunteer_profile
from tests.conftest import counting_queries, login
from tests.factories import make_organisation, make_slot, make_task, make_user




def add_tasks(app, n):
    with app.app_context():
        orgs = [make_organisation(admin=make_user()) for _ in range(3)]
        for i in range(n):
            task = make_task(orgs[i % 3], title=f"Opgave {i}", category_slug="older-people")
            task.latitude, task.longitude = 55.59 + i * 0.0005, 12.67
            for d in (2, 9):
                make_slot(task, starts_at=utcnow() + timedelta(days=d, hours=i % 5), capacity=4)
        db.session.commit()


def statements_for(app, client, path):
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_suggestion_pages_use_a_fixed_number_of_queries(app):
    with app.app_context():
        karen = make_user(email="karen@example.dk", postcode="2791")
        older = db.session.scalar(select(Category.id).where(Category.slug == "older-people"))
        update_volunteer_profile(karen, interests=[older], availability=list(range(21)), skills="", languages="",
                                 address="", max_distance_km=None, suggestions_opt_in=True, digest_opt_in=False)
        db.session.commit()
    client = app.test_client()
    login(client, "karen@example.dk")
    add_tasks(app, 15)
    front_small, me_small = statements_for(app, client, "/"), statements_for(app, client, "/me")
    add_tasks(app, 30)
    front_large, me_large = statements_for(app, client, "/"), statements_for(app, client, "/me")
    assert front_large == front_small and me_large == me_small
    # Two of these are the suggestions' first look within 5 km, which a few tasks never settle; the
    # front page's own need, awards, stories and next event are 5 more (tests/web/test_query_counts_home.py).
    assert front_small <= 17 and me_small <= 20, (front_small, me_small)


TASK_SEARCHES = ("/tasks", "/tasks?sort=nearest", "/tasks?postcode=2791&within=10&sort=nearest",
                 "/tasks?sort=needed&q=opgave&time=morning&time=afternoon&time=evening")


def test_the_task_search_page_costs_the_same_for_2_and_50_tasks_for_a_volunteer_and_for_anyone(app):
    """Pins the /tasks list (and "near me" from the volunteer's own place) at 2 and at 50 tasks."""
    with app.app_context():
        make_user(email="karen@example.dk", postcode="2791")
        db.session.commit()
    anyone, karen = app.test_client(), app.test_client()
    login(karen, "karen@example.dk")
    add_tasks(app, 2)
    small = {(who, url): statements_for(app, client, url)
             for who, client in (("anyone", anyone), ("karen", karen)) for url in TASK_SEARCHES}
    add_tasks(app, 48)
    large = {(who, url): statements_for(app, client, url)
             for who, client in (("anyone", anyone), ("karen", karen)) for url in TASK_SEARCHES}
    # "Nearest" looks within 5, then 25 km (listing.NEAREST_RADII_KM) and sorts everything only when
    # the page is not filled there: with 2 tasks up to two statements more, never more with more tasks.
    nearest = {k for k in small if "nearest" in k[1] and (k[0] == "karen" or "postcode" in k[1])}
    assert {k: v for k, v in large.items() if k not in nearest} == {k: v for k, v in small.items() if k not in nearest}
    assert all(large[k] <= small[k] <= large[k] + 2 for k in nearest), (small, large)
    assert max(small.values()) <= 9, small
