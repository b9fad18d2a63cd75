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


def test_approving_a_task_the_institution_closed_meanwhile_does_not_claim_it_is_published(app, client, school):
    review_id = _pending(app, school["task"])
    with app.app_context():
        tasks.set_status(db.session.get(Task, school["task"]), "closed")
        db.session.commit()
    login(client, "koordinator@example.dk")
    url = f"/coordinator/reviews/{review_id}"
    page = client.post(url + "/approve", data={"approve-csrf_token": csrf_token(client, url)},
                       follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Task, school["task"]).status is TaskStatus.closed
    assert "approved and published" not in page and "closed" in page


def test_the_mail_about_an_approved_but_closed_task_does_not_say_it_is_published(app, school):
    from sqlalchemy import select

    from portal.displacement import services
    from portal.models import OutboxMessage, User, utcnow

    review_id = _pending(app, school["task"])
    with app.app_context():
        tasks.set_status(db.session.get(Task, school["task"]), "closed")
        coordinator = db.session.scalar(select(User).where(User.email == "koordinator@example.dk"))
        from portal.models import DisplacementReview
        services.decide(db.session.get(DisplacementReview, review_id), coordinator, "approve", now=utcnow())
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "lis@example.dk"))
        assert "not published" in mail.body_text and "now published" not in mail.body_text


def test_approve_from_a_page_read_before_the_institution_changed_the_text_does_not_publish(app, client, school):
    import re

    review_id = _pending(app, school["task"])
    login(client, "koordinator@example.dk")
    url = f"/coordinator/reviews/{review_id}"
    page = client.get(url).get_data(as_text=True)
    seen = re.search(r'name="approve-seen"[^>]*value="([^"]+)"', page).group(1)
    with app.app_context():  # meanwhile, the institution rewrites the task
        task = db.session.get(Task, school["task"])
        tasks.update_task(task, category_id=task.category_id, physical_demand=task.physical_demand.value,
                          **{k: getattr(task, k) for k in tasks.TASK_FIELDS if k != "description"},
                          description="Del elevernes medicin ud, når sundhedsplejersken er syg.")
        db.session.commit()
    answer = client.post(url + "/approve", data={"approve-csrf_token": csrf_token(client, url), "approve-seen": seen},
                         follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Task, school["task"]).status is TaskStatus.draft
    assert "changed the task while you were reading it" in answer and "Del elevernes medicin ud" in answer
