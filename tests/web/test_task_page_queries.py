"""No N+1 on the task page and the task's roster CSV: the number of SQL statements does not
grow with the number of times (issue 8)."""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Signup, SignupState, User, utcnow
from portal.signups import services as signups
from tests.conftest import counting_queries, login
from tests.factories import make_organisation, make_slot, make_task, make_user

# Pinned after batching the viewer's facts (before: about 4 statements per time); one more since
# a task links back to the idea it grew out of.
TASK_PAGE_LOGGED_IN = 12
TASK_PAGE_ANONYMOUS = 5
TASK_ROSTER_CSV = 7  # + the audit log: one event, one INSERT for everyone on it (issue 13)


def statements_for(app, client, path):
    with counting_queries(app) as statements:
        response = client.get(path)
        assert response.status_code == 200, path
    return len(statements)


def task_with_times(app, n, *, viewer_email):
    """A task with n upcoming times. The viewer waits on the first (full) time, is signed up
    for the third if there is one, and may sign up for the rest."""
    with app.app_context():
        viewer = db.session.scalar(select(User).where(User.email == viewer_email))
        someone = make_user()
        task = make_task(make_organisation(admin=make_user()), title=f"{n} times")
        slots = [make_slot(task, starts_at=utcnow() + timedelta(days=1 + i, hours=i % 5), capacity=1 if i == 0 else 4)
                 for i in range(n)]
        db.session.commit()
        now = utcnow()
        signups.sign_up(someone, slots[0], now=now)
        signups.join_waitlist(viewer, slots[0], now=now)
        if n > 2:
            signups.sign_up(viewer, slots[2], now=now)
        db.session.commit()
        return task.id


def test_the_task_page_runs_the_same_queries_for_2_and_50_times(app):
    with app.app_context():
        make_user(email="karen@example.dk")
        db.session.commit()
    small, large = (task_with_times(app, n, viewer_email="karen@example.dk") for n in (2, 50))
    client = app.test_client()
    login(client, "karen@example.dk")
    page = client.get(f"/tasks/{large}").get_data(as_text=True)
    assert "Du er nummer 1 på ventelisten." in page and "Du er tilmeldt." in page
    logged_in = statements_for(app, client, f"/tasks/{small}"), statements_for(app, client, f"/tasks/{large}")
    anonymous_client = app.test_client()
    anonymous = (statements_for(app, anonymous_client, f"/tasks/{small}"),
                 statements_for(app, anonymous_client, f"/tasks/{large}"))
    assert logged_in == (TASK_PAGE_LOGGED_IN, TASK_PAGE_LOGGED_IN), logged_in
    assert anonymous == (TASK_PAGE_ANONYMOUS, TASK_PAGE_ANONYMOUS), anonymous


def task_with_people(app, n, organiser_email):
    """n times, half of them past, each with two people coming and one waiting."""
    with app.app_context():
        org = make_organisation(admin=db.session.scalar(select(User).where(User.email == organiser_email)))
        task = make_task(org, title=f"{n} times with people")
        people = [make_user() for _ in range(3)]
        for i in range(n):
            slot = make_slot(task, starts_at=utcnow() + timedelta(days=i - n // 2, hours=1), capacity=2)
            for person, state in zip(people, (SignupState.confirmed, SignupState.confirmed, SignupState.waitlisted)):
                db.session.add(Signup(slot_id=slot.id, user_id=person.id, state=state))
            slot.taken = 2
        db.session.commit()
        return task.id


def test_the_task_roster_csv_runs_the_same_queries_for_2_and_50_times(app):
    with app.app_context():
        make_user(email="mette@example.dk")
        db.session.commit()
    small, large = task_with_people(app, 2, "mette@example.dk"), task_with_people(app, 50, "mette@example.dk")
    client = app.test_client()
    login(client, "mette@example.dk")
    csv = client.get(f"/tasks/{large}/roster.csv").get_data(as_text=True)
    assert csv.count("\n") == 1 + 50 * 3
    counts = (statements_for(app, client, f"/tasks/{small}/roster.csv"),
              statements_for(app, client, f"/tasks/{large}/roster.csv"))
    assert counts == (TASK_ROSTER_CSV, TASK_ROSTER_CSV), counts
