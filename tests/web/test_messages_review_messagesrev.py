"""Review of the organisers' messages and posters (issue 13): what a reader of a paused or closed
task's poster would be told, and the mail headers with hostile organisation names."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import TaskStatus, utcnow
from tests.conftest import login
from tests.factories import make_organisation, make_slot, make_task, make_user


@pytest.mark.parametrize("status", [TaskStatus.paused, TaskStatus.closed])
def test_a_paused_or_closed_tasks_poster_does_not_invite_the_public_to_sign_up(client, app, status):
    """The poster says "Scan the code and sign up" and lists the times; for a task that takes no
    sign-ups the public gets no poster (as for a draft), while its organisation still may."""
    with app.app_context():
        org = make_organisation(admin=make_user(email="mette@strand.dk"), name="Dragør Strandlaug")
        task = make_task(org, title="Strandrydning")
        make_slot(task, starts_at=utcnow() + timedelta(days=3), hours=2)
        task.status = status
        db.session.commit()
        task_id = task.id
        db.session.remove()
    assert client.get(f"/tasks/{task_id}/poster.pdf").status_code == 404
    login(client, "mette@strand.dk")
    response = client.get(f"/tasks/{task_id}/poster.pdf")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
