"""No N+1 in the open data API: each endpoint runs the same number of SQL statements for a few
rows as for many (pinned), so a page costs the same at Dragør scale and at national scale."""

from datetime import timedelta

from portal.extensions import db
from portal.models import utcnow
from tests.conftest import counting_queries
from tests.factories import make_organisation, make_slot, make_task

# One statement per list page or detail; a task's detail adds one for its next times.
PINNED = {"/api/v1/tasks": 1, "/api/v1/tasks?organisation={slug}&kind=one_off": 1, "/api/v1/tasks/{task}": 2,
          "/api/v1/times": 1, "/api/v1/times?organisation={slug}&from={today}": 1, "/api/v1/times?task={task}": 1,
          "/api/v1/organisations": 1, "/api/v1/organisations/{slug}": 1}


def add(app, organisations, tasks_each, times_each):
    with app.app_context():
        now = utcnow()
        for _ in range(organisations):
            org = make_organisation()
            for _ in range(tasks_each):
                task = make_task(org)
                for day in range(times_each):
                    make_slot(task, starts_at=now + timedelta(days=day + 1, hours=day % 4))
        db.session.commit()
        return org.slug, task.id


def statements(app, client, urls):
    counts = {}
    for name, url in urls.items():
        with counting_queries(app) as executed:
            response = client.get(url)
            assert response.status_code == 200, (url, response.get_data(as_text=True))
        counts[name] = len(executed)
    return counts


def urls(slug, task_id):
    today = utcnow().date().isoformat()
    return {k: k.format(slug=slug, task=task_id, today=today) for k in PINNED}


def test_each_endpoint_costs_the_same_for_a_few_rows_and_for_many(app, client):
    slug, task_id = add(app, 1, 1, 2)
    small = statements(app, client, urls(slug, task_id))
    slug, task_id = add(app, 6, 5, 12)     # 30 tasks, 360 times: pages are full, more follow
    large = statements(app, client, urls(slug, task_id))
    assert small == large == PINNED, (small, large)
    # A full page really was served (so the large case is not trivially small).
    assert len(client.get("/api/v1/times?limit=100").get_json()["items"]) == 100
