"""JSON-LD on the task page, read back by an independent parser (extruct): the task as a schema.org
JobPosting for volunteers, its upcoming times as Events; stored text cannot break out of the data
block; a task the public may not see as an open posting has none."""

import re
from datetime import timedelta

import extruct
import pytest

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import SlotStatus, TaskStatus, utcnow
from tests.conftest import login
from tests.factories import add_member, make_organisation, make_slot, make_task, make_user
from tests.web.test_security import INLINE_SCRIPT

BREAKOUT = "</script><script>alert(1)</script>"
DATA_BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(html: str) -> list[dict]:
    return extruct.extract(html, base_url="http://localhost/", syntaxes=["json-ld"])["json-ld"]


def graph(html: str) -> dict[str, list[dict]]:
    (document,) = json_ld(html)
    assert document["@context"] == "https://schema.org"
    found: dict[str, list[dict]] = {}
    for node in document["@graph"]:
        found.setdefault(node["@type"], []).append(node)
    return found


@pytest.fixture
def task_with_times(app):
    with app.app_context():
        now = utcnow()
        org = make_organisation(name="Enggården")
        task = make_task(org, title="Besøgsven")
        task.place_name, task.latitude, task.longitude = "Enggården", 55.5921, 12.6705
        first = make_slot(task, starts_at=now + timedelta(days=2), hours=2, capacity=4)
        later = make_slot(task, starts_at=now + timedelta(days=40), hours=3, capacity=2)
        cancelled = make_slot(task, starts_at=now + timedelta(days=50), capacity=2)
        cancelled.status = SlotStatus.cancelled
        make_slot(task, starts_at=now - timedelta(days=3))         # over: not on the page, not in the data
        db.session.commit()
        return {"id": task.id, "slug": org.slug, "cancelled": cancelled.id,
                "first": {"id": first.id, "starts_at": first.starts_at, "ends_at": first.ends_at},
                "later": {"id": later.id, "ends_at": later.ends_at}}


def test_the_task_page_describes_the_task_and_its_times_for_search_engines(client, task_with_times):
    t = task_with_times
    found = graph(client.get(f"/tasks/{t['id']}").get_data(as_text=True))
    (job,) = found["JobPosting"]
    assert job["title"] == "Besøgsven" and job["description"] == "Kom og hjælp."
    assert job["employmentType"] == "VOLUNTEER" and job["url"] == f"http://localhost/tasks/{t['id']}"
    assert job["hiringOrganization"] == {"@type": "Organization", "name": "Enggården",
                                         "url": f"http://localhost/organisations/{t['slug']}"}
    location = job["jobLocation"]
    assert location["address"]["postalCode"] == "2791" and location["address"]["addressLocality"] == "Dragør"
    assert location["geo"] == {"@type": "GeoCoordinates", "latitude": 55.5921, "longitude": 12.6705}
    assert job["datePosted"] == to_local(utcnow()).date().isoformat()
    # Valid until the last time that is held ends (the cancelled one, later still, does not count).
    assert job["validThrough"] == to_local(t["later"]["ends_at"]).isoformat(timespec="seconds")
    events = {e["@id"].rsplit("-", 1)[1]: e for e in found["Event"]}
    assert set(events) == {str(t["first"]["id"]), str(t["later"]["id"]), str(t["cancelled"])}
    first = events[str(t["first"]["id"])]
    assert first["startDate"] == to_local(t["first"]["starts_at"]).isoformat(timespec="seconds")
    assert first["endDate"] == to_local(t["first"]["ends_at"]).isoformat(timespec="seconds")
    assert re.search(r"[+-]\d\d:\d\d$", first["endDate"])             # the offset is written out
    assert first["eventStatus"] == "https://schema.org/EventScheduled"
    assert first["remainingAttendeeCapacity"] == 4 and first["name"] == "Besøgsven"
    assert first["location"]["address"]["streetAddress"] == "Vinkelvej 2"
    assert first["url"] == f"http://localhost/tasks/{t['id']}#slot-{t['first']['id']}"
    assert events[str(t["cancelled"])]["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_title_cannot_break_out_of_the_data_block(app, client):
    with app.app_context():
        task = make_task(make_organisation(name=f"Org {BREAKOUT}"), title=BREAKOUT)
        task.description = "Tom & Jerry <b>hjælper</b> 'altid'"
        make_slot(task, starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
        task_id = task.id
    html = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and not INLINE_SCRIPT.search(html)   # the CSP test's own check
    (block,) = DATA_BLOCK.findall(html)
    assert "<" not in block and ">" not in block and "&" not in block
    (job,) = graph(html)["JobPosting"]
    assert job["title"] == BREAKOUT and job["hiringOrganization"]["name"] == f"Org {BREAKOUT}"
    assert job["description"] == "Tom & Jerry <b>hjælper</b> 'altid'"


def test_an_ongoing_role_is_a_posting_without_an_end(app, client):
    with app.app_context():
        task = make_task(make_organisation(), title="Fast lektiehjælper", kind="ongoing")
        db.session.commit()
        task_id = task.id
    found = graph(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    (job,) = found["JobPosting"]
    assert "validThrough" not in job and "geo" not in job["jobLocation"] and "Event" not in found


@pytest.mark.parametrize("status", [TaskStatus.draft, TaskStatus.paused, TaskStatus.closed])
def test_a_task_that_is_not_public_has_no_json_ld_even_where_its_page_is_shown(app, client, status):
    with app.app_context():
        member = make_user(email="medlem@example.dk")
        org = make_organisation()
        add_member(org, member)
        task = make_task(org, title="Ikke offentlig", status=status.value)
        make_slot(task, starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
        task_id = task.id
    anonymous = client.get(f"/tasks/{task_id}")
    # A draft is 404 for the public; paused and closed pages are shown, but are no open posting.
    assert anonymous.status_code == (404 if status is TaskStatus.draft else 200)
    assert json_ld(anonymous.get_data(as_text=True)) == []
    login(client, "medlem@example.dk")
    page = client.get(f"/tasks/{task_id}")
    assert page.status_code == 200 and "Ikke offentlig" in page.get_data(as_text=True)
    assert json_ld(page.get_data(as_text=True)) == []
