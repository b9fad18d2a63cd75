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


def _redis_reachable() -> bool:
    import socket
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_the_message_limit_is_one_count_for_two_workers(app, database_url):
    """Two gunicorn workers are two apps: an organiser whose tabs land on different workers still
    meets one limit (counted in Redis), not one per worker."""
    import uuid

    from portal import create_app
    from portal.extensions import limiter
    from tests.conftest import make_test_config, submit
    from tests.messages_world import build

    with app.app_context():
        w = build()
        db.session.remove()
    settings = dict(RATELIMIT_ENABLED=True, MESSAGE_RATE_LIMIT="2 per hour",
                    RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379", RATELIMIT_KEY_PREFIX=f"msgrev-{uuid.uuid4().hex}")
    workers = [create_app(make_test_config(database_url, **settings)) for _ in range(2)]
    try:
        clients = [worker.test_client() for worker in workers]
        for client in clients:
            login(client, "mette@strand.dk")
        statuses = [submit(clients[n % 2], f"/slots/{w.slot_a}/message", {"subject": f"Nr {n}", "body": "Hej"}).status_code
                    for n in range(4)]
    finally:
        limiter.init_app(app)
    assert statuses == [302, 302, 429, 429]
