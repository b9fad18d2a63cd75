"""Reviewer's findings on the displacement check (displacementrev), through the test client."""

from portal.extensions import db
from portal.models import Task, TaskStatus
from portal.tasks import services as tasks
from tests.conftest import csrf_token, login
from tests.web.test_displacement_web import _pending, school  # noqa: F401 (fixture)


def test_text_changed_while_waiting_is_what_the_coordinator_reads_before_approving(app, client, school):
    review_id = _pending(app, school["task"])
    with app.app_context():
        task = db.session.get(Task, school["task"])
        tasks.update_task(task, category_id=task.category_id, physical_demand=task.physical_demand.value,
                          **{k: getattr(task, k) for k in tasks.TASK_FIELDS
                             if k not in ("title", "description")},
                          title="Giv medicin i frokostpausen",
                          description="Del elevernes medicin ud, når sundhedsplejersken er syg.")
        db.session.commit()
    login(client, "koordinator@example.dk")
    url = f"/coordinator/reviews/{review_id}"
    page = client.get(url).get_data(as_text=True)
    # "Approve as it is" publishes the task's text now, so that is the text the coordinator must see.
    submitted = page.split("The task as submitted")[1].split("The answers")[0]
    assert "Giv medicin i frokostpausen" in submitted and "Del elevernes medicin ud" in submitted
    client.post(url + "/approve", data={"approve-csrf_token": csrf_token(client, url)})
    with app.app_context():
        task = db.session.get(Task, school["task"])
        assert task.status is TaskStatus.published
