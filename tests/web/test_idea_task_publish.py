"""An organisation publishes the task an idea became: those who pledged help are invited in the
same request, before the task is in anyone's suggestions; the published task links to the idea."""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.ideas import answers
from portal.models import HelpPledge, TaskInvitation, VolunteerProfile, utcnow
from tests.conftest import csrf_token, login
from tests.factories import make_idea, make_organisation, make_slot, make_user


def test_publishing_the_task_invites_the_pledgers_at_once_and_links_back(app, client):
    with app.app_context():
        member, helper = make_user(email="poul@example.dk"), make_user(email="ida@example.dk")
        org = make_organisation(admin=member, name="Wiedergården")
        idea = make_idea(make_user(), title="Skak for alle", state="accepted", help_count=1)
        db.session.add_all([HelpPledge(idea_id=idea.id, user_id=helper.id, note="Tirsdage"),
                            VolunteerProfile(user_id=helper.id, suggestions_opt_in=True)])
        task = answers.take_on(idea, org, member, now=utcnow(), came_from="")
        make_slot(task, starts_at=utcnow() + timedelta(days=4))
        db.session.commit()
        task_id, idea_id = task.id, idea.id
    login(client, "poul@example.dk")
    response = client.post(f"/tasks/{task_id}/status",
                           data={"status": "published", "csrf_token": csrf_token(client, f"/tasks/{task_id}/times")})
    assert response.status_code == 302
    with app.app_context():
        invited = db.session.scalars(select(TaskInvitation.user_id).where(TaskInvitation.task_id == task_id)).all()
        assert invited == [db.session.scalar(select(HelpPledge.user_id).where(HelpPledge.idea_id == idea_id))]
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert f"/ideas/{idea_id}" in page and "Skak for alle" in page
