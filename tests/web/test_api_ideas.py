"""/api/v1/ideas: published, visible ideas only, with their counts and published answer, paged by
cursor, with ETags, and a fixed number of statements however many ideas there are."""

from datetime import date, timedelta

from portal.extensions import db
from portal.models import IdeaCorrection, utcnow
from tests.conftest import counting_queries
from tests.factories import make_idea, make_organisation, make_task, make_user


def seed(app, n=3):
    with app.app_context():
        author = make_user(name="Freja Holm")
        ideas = [make_idea(author, title=f"Idé {i}", support_count=i, help_count=1) for i in range(n)]
        hidden = make_idea(author, title="Skjult", hidden_at=utcnow(), hidden_reason="Reklame")
        unconfirmed = make_idea(None, title="Ubekræftet", published=False, channel="email",
                                author_email="hemmelig@example.dk")
        task = make_task(make_organisation(), title="Skak på Enggården")
        answered = make_idea(None, title="Skak", author_name="Grethe", state="accepted", answer="Ja tak!",
                             answer_published_at=utcnow(), task_id=task.id, draft_answer="Hemmeligt udkast")
        db.session.add(IdeaCorrection(idea_id=answered.id, body="Om tirsdagen."))
        ideas[0].answer_due_on = date.today() + timedelta(days=30)
        db.session.commit()
        return [i.id for i in ideas], hidden.id, unconfirmed.id, answered.id


def test_the_list_has_only_visible_ideas_and_no_private_facts(app, client):
    ids, hidden, unconfirmed, answered = seed(app)
    response = client.get("/api/v1/ideas")
    assert response.status_code == 200
    body = response.get_json()
    got = [item["id"] for item in body["items"]]
    assert got == sorted([*ids, answered]) and hidden not in got and unconfirmed not in got
    text = response.get_data(as_text=True)
    assert "hemmelig@example.dk" not in text and "Hemmeligt udkast" not in text and "Holm" not in text
    first = body["items"][0]
    assert first["author_name"] == "Freja" and first["supporters"] == 0 and first["helpers"] == 1
    assert first["answer"] is None and first["answer_due_on"]
    assert client.get("/api/v1/ideas", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_one_idea_with_its_answer_corrections_and_task(app, client):
    ids, hidden, unconfirmed, answered = seed(app)
    body = client.get(f"/api/v1/ideas/{answered}").get_json()
    assert body["author_name"] == "Grethe" and body["answer"]["state"] == "accepted"
    assert body["answer"]["text"] == "Ja tak!" and body["corrections"][0]["text"] == "Om tirsdagen."
    assert body["task"]["title"] == "Skak på Enggården"
    for missing in (hidden, unconfirmed, 2147483647):
        assert client.get(f"/api/v1/ideas/{missing}").status_code == 404
    assert client.get("/api/v1/ideas?state=accepted").get_json()["items"][0]["id"] == answered
    assert client.get("/api/v1/ideas?state=nonsense").status_code == 400


def test_paging_follows_next_to_the_end(app, client):
    seed(app, n=5)
    seen, url = [], "/api/v1/ideas?limit=2"
    while url:
        body = client.get(url).get_json()
        seen += [i["id"] for i in body["items"]]
        url = body["next"].replace("http://localhost", "") if body["next"] else None
    assert len(seen) == 6 and seen == sorted(seen)


def test_the_ideas_endpoints_cost_the_same_for_few_and_many(app, client):
    ids, _, _, answered = seed(app, n=2)

    def count(url):
        with counting_queries(app) as executed:
            assert client.get(url).status_code == 200
        return len(executed)

    small = (count("/api/v1/ideas"), count(f"/api/v1/ideas/{answered}"))
    seed(app, n=30)
    large = (count("/api/v1/ideas?limit=100"), count(f"/api/v1/ideas/{answered}"))
    assert small == large and small[0] == 1, (small, large)


# --- the ideas operations keep to the document, with ideas in the database -----------------------
# (tests/web/test_api_openapi.py drives every operation on its own seed, which has no ideas.)

import pytest  # noqa: E402
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402


@pytest.fixture
def ideas_schema(app):
    seed(app, n=4)
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app).include(path_regex="^/api/v1/ideas")


ideas_schema_tests = schemathesis.pytest.from_fixture("ideas_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@ideas_schema_tests.parametrize()
@settings(max_examples=30, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_the_ideas_endpoints_keep_to_the_openapi_document(case):
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
