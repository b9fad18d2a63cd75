"""The anonymous page cache (portal/pagecache.py): a visitor who is not logged in gets the front
page, the task list, task pages and organisation pages from the cache, and still sees every change
on the very next request; logged-in visitors, flashed messages and junk addresses never touch it."""

import uuid
from datetime import timedelta

import pytest

from portal import create_app
from portal.extensions import cache, db
from portal.models import Task, utcnow
from tests.conftest import REDIS_URL, login, make_test_config, redis_or_skip, submit
from tests.factories import make_organisation, make_slot, make_task, make_user


@pytest.fixture
def world(app):
    """One organisation with one published task and one time with three places."""
    with app.app_context():
        cache.clear()
        org = make_organisation(admin=make_user(email="mette@example.dk"), name="Dragør Strandvenner")
        task = make_task(org, title="Strandrensning ved fortet")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=4), capacity=3)
        make_user(email="karen@example.dk")
        db.session.commit()
        return {"org": org.slug, "org_id": org.id, "task": task.id, "slot": slot.id}


def page(client, path, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.headers.get("X-Cache"), response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/tasks", "/tasks?view=month", "/tasks/{task}", "/organisations",
                                  "/organisations?page=1", "/organisations/{org}"])
def test_an_anonymous_page_is_built_once_then_served_from_the_cache(app, world, path):
    path = path.format(**world)
    anyone = app.test_client()
    first, body = page(anyone, path)
    second, again = page(app.test_client(), path)
    assert (first, second) == ("miss", "hit")
    assert again == body


def test_a_new_task_is_on_the_list_at_the_next_request(app, world):
    anyone = app.test_client()
    page(anyone, "/tasks")
    assert page(anyone, "/tasks")[0] == "hit"
    with app.app_context():
        org = make_organisation(admin=make_user(), name="Kastrup Søspejdere")
        make_slot(make_task(org, title="Kajakdag for nybegyndere"), starts_at=utcnow() + timedelta(days=6))
        db.session.commit()
    state, body = page(anyone, "/tasks")
    assert state == "miss" and "Kajakdag for nybegyndere" in body


def test_an_edited_title_shows_on_the_task_page_and_the_list_at_the_next_request(app, world):
    anyone = app.test_client()
    for path in ("/tasks", f"/tasks/{world['task']}"):
        page(anyone, path)
    with app.app_context():
        db.session.get(Task, world["task"]).title = "Strandrensning ved Kongelunden"
        db.session.commit()
    for path in ("/tasks", f"/tasks/{world['task']}"):
        body = page(anyone, path)[1]
        assert "Strandrensning ved Kongelunden" in body and "Strandrensning ved fortet" not in body


def test_a_sign_up_changes_the_free_places_anonymous_visitors_see_at_once(app, world):
    task_page = f"/tasks/{world['task']}"
    anyone = app.test_client()
    assert "3 pladser tilbage" in page(anyone, task_page)[1]
    assert page(anyone, task_page)[0] == "hit"
    karen = app.test_client()
    login(karen, "karen@example.dk")
    response = submit(karen, f"/slots/{world['slot']}/signup", {"action": "signup"}, form_url=task_page)
    assert response.status_code == 302
    state, body = page(anyone, task_page)
    assert state == "miss" and "2 pladser tilbage" in body and "3 pladser tilbage" not in body


def test_a_logged_in_volunteer_never_gets_a_cached_page_nor_leaves_one_behind(app, world):
    anyone, karen = app.test_client(), app.test_client()
    page(anyone, "/tasks")  # cached for anonymous visitors
    login(karen, "karen@example.dk")
    for path in ("/", "/tasks", f"/tasks/{world['task']}", f"/organisations/{world['org']}"):
        first, body = page(karen, path)
        second, _ = page(karen, path)
        assert (first, second) == ("bypass", "bypass"), path
        assert "Log ud" in body  # her own page, with her menu
    # Nothing Karen saw was stored: the next anonymous visitor gets a freshly built page.
    for path in ("/", f"/tasks/{world['task']}", f"/organisations/{world['org']}"):
        state, body = page(app.test_client(), path)
        assert state == "miss" and "Log ud" not in body, path


def test_a_flashed_message_is_shown_to_its_visitor_only_and_never_cached(app, world):
    karen = app.test_client()
    page(app.test_client(), "/")  # the front page is cached
    login(karen, "karen@example.dk")
    response = submit(karen, "/logout", form_url="/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    state, body = page(karen, "/")
    assert state == "bypass" and "Du er logget ud." in body
    # The message is gone, and it was not stored for anyone else.
    assert "Du er logget ud." not in page(karen, "/")[1]
    assert "Du er logget ud." not in page(app.test_client(), "/")[1]


def test_danish_and_english_are_cached_apart(app, world):
    danish, english = app.test_client(), app.test_client()
    assert "Find en opgave" in page(danish, "/tasks")[1]
    state, body = page(english, "/tasks?lang=en")
    assert state == "miss" and "Find a task" in body and "Find en opgave" not in body
    # The choice is remembered in the session; the English visitor now gets English hits.
    state, body = page(english, "/tasks")
    assert state == "miss" and "Find a task" in body
    state, body = page(english, "/tasks")
    assert state == "hit" and "Find a task" in body
    state, body = page(danish, "/tasks")
    assert state == "hit" and "Find en opgave" in body


def test_a_hit_carries_the_security_headers(app, world):
    page(app.test_client(), "/tasks")
    response = app.test_client().get("/tasks")
    assert response.headers["X-Cache"] == "hit"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-cache"  # browsers revalidate; proxies may not share it
    assert response.mimetype == "text/html" and response.mimetype_params["charset"] == "utf-8"
    assert "Set-Cookie" not in response.headers


def test_unknown_parameters_and_searches_do_not_fill_the_cache(app, world):
    anyone = app.test_client()
    for path in ("/tasks?utm_source=nyhedsbrev", "/tasks?junk=1", "/tasks?q=strand", "/tasks?postcode=2791",
                 "/tasks?lang=xx", "/tasks?view=list&" + "category=a&" * 300):
        assert [page(anyone, path)[0] for _ in range(2)] == ["bypass", "bypass"], path
    # A submitted filter form leaves the search box empty: that page is cached like any other.
    form = "/tasks?q=&postcode=&category=&sort=soonest"
    assert [page(anyone, form)[0] for _ in range(2)] == ["miss", "hit"]
    # A value that holds "&" and "=" is one parameter, not two: it gets a copy of its own.
    page(anyone, "/tasks?organisation=x%26sort%3Dnearest")
    assert page(anyone, "/tasks?organisation=x&sort=nearest")[0] == "miss"
    # The order of parameters does not make a new copy.
    page(anyone, "/tasks?view=month&sort=soonest")
    assert page(anyone, "/tasks?sort=soonest&view=month")[0] == "hit"


def test_a_page_that_is_not_found_is_not_cached(app, world):
    anyone = app.test_client()
    for _ in range(2):
        response = anyone.get("/tasks/999999")
        assert response.status_code == 404 and response.headers["X-Cache"] == "miss"


def test_page_cache_switch_off_builds_every_page(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE", False)
    anyone = app.test_client()
    assert [anyone.get("/tasks").headers.get("X-Cache") for _ in range(2)] == [None, None]


# --- Redis --------------------------------------------------------------------------------------

REDIS = REDIS_URL


def test_two_app_instances_on_redis_share_the_cache_and_see_each_others_writes(app, world, database_url):
    redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    nodes = [create_app(make_test_config(database_url, CACHE_REDIS_URL=REDIS, RATELIMIT_KEY_PREFIX=prefix))
             for _ in range(2)]
    a, b = (node.test_client() for node in nodes)
    task_page = f"/tasks/{world['task']}"
    assert page(a, task_page)[0] == "miss"
    assert page(b, task_page)[0] == "hit"
    with nodes[0].app_context():
        db.session.get(Task, world["task"]).title = "Strandrensning i regnvejr"
        db.session.commit()
        db.session.remove()
    state, body = page(b, task_page)
    assert state == "miss" and "Strandrensning i regnvejr" in body


def test_with_redis_down_pages_are_served_uncached(app, world, database_url):
    node = create_app(make_test_config(database_url, CACHE_REDIS_URL="redis://127.0.0.1:9/0"))
    client = node.test_client()
    for _ in range(2):
        state, body = page(client, "/tasks")
        assert state == "bypass" and "Strandrensning ved fortet" in body
