"""The open data API (/api/v1/…): only public data, every public time exactly once across pages,
ETags and 304, problem details for bad input, CORS, no cookies, read-only. Dates are relative to
now, so the tests hold on any day (and under the faked New Year's Eve and DST clocks)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from portal.core.apiquery import id_cursor, time_cursor
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import OrganisationStatus, Signup, SignupState, Slot, SlotStatus, utcnow
from portal.signups import services as signups
from tests.factories import make_organisation, make_slot, make_task, make_user


@pytest.fixture
def world(app):
    """Two approved organisations with public tasks and times, and everything that must stay out:
    a draft, a paused and a closed task, a pending and a suspended organisation's tasks, a
    cancelled time, a time that has started, and a volunteer signed up."""
    with app.app_context():
        now = utcnow()
        a = make_organisation(name="Enggården")
        b = make_organisation(name="Dragør Bibliotek")
        public_a = make_task(a, title="Besøgsven")
        public_b = make_task(b, title="Lektiehjælp", category_slug="children-young")
        ongoing = make_task(b, title="Fast vagt", kind="ongoing")
        times = []
        for day in range(1, 8):
            times.append(make_slot(public_a, starts_at=now + timedelta(days=day, hours=1), capacity=3))
            # Same start as a's time: the keyset's tie on starts_at is broken by id.
            times.append(make_slot(public_b, starts_at=now + timedelta(days=day, hours=1), capacity=2))
        cancelled = make_slot(public_a, starts_at=now + timedelta(days=3, hours=5))
        cancelled.status = SlotStatus.cancelled
        started = make_slot(public_a, starts_at=now - timedelta(minutes=30), hours=2)
        hidden_orgs = [make_organisation(name=status.value, status=status)
                       for status in (OrganisationStatus.pending, OrganisationStatus.suspended,
                                      OrganisationStatus.rejected)]
        hidden_tasks = [make_task(a, title="Kladde", status="draft"), make_task(a, title="Pause", status="paused"),
                        make_task(a, title="Lukket", status="closed"),
                        *(make_task(org, title=f"Opgave hos {org.name}") for org in hidden_orgs)]
        hidden_times = [make_slot(t, starts_at=now + timedelta(days=2)) for t in hidden_tasks]
        volunteer = make_user(email="karen.hemmelig@example.dk", name="Karen Hemmelig")
        db.session.commit()
        signups.sign_up(volunteer, times[0], now=now)
        db.session.commit()
        return {"a": a.slug, "b": b.slug, "public_tasks": {public_a.id, public_b.id, ongoing.id},
                "public_a": public_a.id, "times": [t.id for t in times], "cancelled": cancelled.id,
                "started": started.id, "hidden_tasks": [t.id for t in hidden_tasks],
                "hidden_times": [t.id for t in hidden_times], "first_time": times[0].id,
                "orgs_hidden": [org.slug for org in hidden_orgs]}


def walk(client, url):
    """Every item of a list, following `next`; checks the Link header says the same."""
    items, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        items += body["items"]
        link = response.headers.get("Link")
        assert (link == f'<{body["next"]}>; rel="next"') if body["next"] else link is None
        url, pages = body["next"], pages + 1
    return items, pages


def test_paging_returns_every_public_time_exactly_once_in_start_order(client, world):
    items, pages = walk(client, "/api/v1/times?limit=3")
    ids = [item["id"] for item in items]
    assert sorted(ids) == sorted(world["times"]) and len(ids) == len(set(ids))
    assert pages == 5                                          # 14 times, 3 a page
    starts = [(item["starts_at"], item["id"]) for item in items]
    assert [s[0] for s in starts] == sorted(s[0] for s in starts)
    first = next(item for item in items if item["id"] == world["first_time"])
    assert (first["capacity"], first["free"]) == (3, 2)       # Karen took one place


def test_a_private_task_never_appears(client, world):
    tasks, _ = walk(client, "/api/v1/tasks?limit=2")
    assert {t["id"] for t in tasks} == world["public_tasks"]
    times, _ = walk(client, "/api/v1/times?limit=100")
    assert not {t["id"] for t in times} & set(world["hidden_times"] + [world["cancelled"], world["started"]])
    for task_id in world["hidden_tasks"]:
        response = client.get(f"/api/v1/tasks/{task_id}")
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
        assert client.get(f"/api/v1/times?task={task_id}").get_json()["items"] == []
    organisations, _ = walk(client, "/api/v1/organisations?limit=1")
    assert {o["slug"] for o in organisations} == {world["a"], world["b"]}
    for slug in world["orgs_hidden"]:
        assert client.get(f"/api/v1/organisations/{slug}").status_code == 404


def test_no_volunteer_and_no_task_e_mail_is_in_any_answer(client, world):
    answers = [client.get(url).get_data(as_text=True) for url in (
        "/api/v1/tasks", f"/api/v1/tasks/{world['public_a']}", "/api/v1/times?limit=100", "/api/v1/organisations",
        f"/api/v1/organisations/{world['a']}")]
    for text in answers:
        assert "karen" not in text.lower() and "Hemmelig" not in text
        assert "mette@example.dk" not in text               # the task's contact e-mail is for signed-in volunteers
    task = client.get(f"/api/v1/tasks/{world['public_a']}").get_json()
    assert task["contact_name"] == "Mette"                   # as on the public page


def test_a_task_has_its_next_times_and_links_to_all_of_them(client, world):
    task = client.get(f"/api/v1/tasks/{world['public_a']}").get_json()
    assert task["title"] == "Besøgsven" and task["organisation"]["slug"] == world["a"]
    assert task["url"] == f"http://localhost/tasks/{world['public_a']}"
    assert len(task["next_times"]) == 7 and world["cancelled"] not in {t["id"] for t in task["next_times"]}
    times = client.get(task["times_url"]).get_json()["items"]
    assert [t["id"] for t in times] == [t["id"] for t in task["next_times"]]


def test_filters_by_organisation_task_kind_and_local_dates(client, world):
    by_org, _ = walk(client, f"/api/v1/times?organisation={world['b']}&limit=2")
    assert len(by_org) == 7 and {t["organisation"]["slug"] for t in by_org} == {world["b"]}
    # The next link keeps the filter.
    first = client.get(f"/api/v1/times?organisation={world['b']}&limit=2").get_json()
    assert parse_qs(urlsplit(first["next"]).query)["organisation"] == [world["b"]]
    ongoing = client.get("/api/v1/tasks?kind=ongoing").get_json()["items"]
    assert [t["title"] for t in ongoing] == ["Fast vagt"]
    assert {t["title"] for t in client.get("/api/v1/tasks?category=children-young").get_json()["items"]} == \
        {"Lektiehjælp"}
    everything, _ = walk(client, "/api/v1/times?limit=100")
    day = to_local(utcnow() + timedelta(days=3, hours=1)).date().isoformat()
    on_day = client.get(f"/api/v1/times?from={day}&to={day}").get_json()["items"]
    assert on_day and {t["starts_at"][:10] for t in on_day} == {day}
    assert len(on_day) == len([t for t in everything if t["starts_at"][:10] == day])
    # A day long past means "from now on"; a day far ahead means "no end".
    assert client.get("/api/v1/times?from=0001-01-01&to=9999-12-31&limit=100").get_json()["items"] == everything
    assert client.get(f"/api/v1/times?from={day}&to=2000-01-01").get_json()["items"] == []


def test_etags_give_304_and_change_when_a_place_is_taken(app, client, world):
    url = f"/api/v1/times?task={world['public_a']}"
    first = client.get(url)
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == tag
    assert client.get(url, headers={"If-None-Match": f"W/{tag}"}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    with app.app_context():
        slot = db.session.get(Slot, world["times"][2])
        signups.sign_up(make_user(), slot, now=utcnow())
        db.session.commit()
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag


@pytest.mark.parametrize("query, parameter", [
    ("cursor=garbage", "cursor"), ("cursor=" + "A" * 500, "cursor"), ("limit=-1", "limit"),
    ("limit=" + "1" + "0" * 20, "limit"), ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"),
    ("limit=5&limit=6", "limit"), ("from=2026-13-45", "from"), ("to=tomorrow", "to"), ("task=0", "task"),
    ("task=99999999999", "task"), ("task=-1", "task"), ("organisation=Not%20a%20slug", "organisation"),
])
def test_bad_input_is_400_problem_details_naming_the_parameter(client, world, query, parameter):
    response = client.get(f"/api/v1/times?{query}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400 and problem["title"] == "Bad Request" and problem["parameter"] == parameter
    assert parameter in problem["detail"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_cursor_from_another_list_and_nul_bytes_are_refused(client, world):
    assert client.get("/api/v1/times?cursor=" + id_cursor(1)).status_code == 400
    assert client.get("/api/v1/tasks?cursor=" + time_cursor(utcnow(), 1)).status_code == 400
    for url in ("/api/v1/times?organisation=a%00b", "/api/v1/tasks?kind=%00", "/api/v1/organisations/a%00b"):
        response = client.get(url)
        assert response.status_code == 400 and response.mimetype == "application/problem+json", url
        assert "NUL" in response.get_json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/tasks/99999999999", "/api/v1/tasks/abc", "/api/v1/nothing-here",
                                 "/api/v1/organisations/no-such-organisation", "/api/v2/tasks"])
def test_what_does_not_exist_is_404_problem_details(client, world, url):
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_api_is_read_only_without_needing_a_csrf_token(client, world, method):
    response = client.open("/api/v1/tasks", method=method)
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_any_site_may_read_it_and_no_cookie_is_set(client, world):
    response = client.get("/api/v1/tasks?lang=en", headers={"Origin": "https://kommune.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Set-Cookie" not in response.headers
    preflight = client.options("/api/v1/times", headers={"Origin": "https://kommune.example",
                                                         "Access-Control-Request-Method": "GET",
                                                         "Access-Control-Request-Headers": "If-None-Match"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Set-Cookie" not in client.get("/api/v1/nothing?lang=en").headers


def test_a_logged_in_visitor_gets_the_same_public_answer(app, client, world):
    from tests.conftest import login
    anonymous = client.get("/api/v1/tasks").get_json()
    with app.app_context():
        make_user(email="admin@example.dk")
        db.session.commit()
    login(client, "admin@example.dk")
    assert client.get("/api/v1/tasks").get_json() == anonymous


def test_a_cancelled_time_leaves_the_list(app, client, world):
    first = {t["id"] for t in walk(client, "/api/v1/times?limit=100")[0]}
    with app.app_context():
        slot = db.session.get(Slot, world["times"][5])
        slot.status = SlotStatus.cancelled
        for signup in db.session.scalars(select(Signup).where(Signup.slot_id == slot.id)):
            signup.state = SignupState.cancelled
        db.session.commit()
    assert {t["id"] for t in walk(client, "/api/v1/times?limit=100")[0]} == first - {world["times"][5]}


def test_answers_are_json_with_absolute_links(client, world):
    body = client.get("/api/v1/organisations").get_json()
    org = next(o for o in body["items"] if o["slug"] == world["a"])
    assert org["url"] == f"http://localhost/organisations/{world['a']}"
    assert re.fullmatch(r"http://localhost/api/v1/tasks\?organisation=" + world["a"], org["tasks_url"])
    assert org["contact"] == {"name": "Kontakt", "email": "kontakt@example.dk", "phone": "32 89 01 00"}
    assert body["next"] is None and body["limit"] == 20
