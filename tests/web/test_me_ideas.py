"""Min side lists the ideas a person wrote and those they offered to help with, not others'."""

from portal.extensions import db
from portal.models import HelpPledge
from tests.conftest import login
from tests.factories import make_idea, make_user


def test_min_side_lists_my_ideas_and_pledges_only(app, client):
    with app.app_context():
        ida, bo = make_user(email="ida@example.dk"), make_user()
        make_idea(ida, title="Bænke ved stranden")
        helped = make_idea(bo, title="Skak på Enggården", state="accepted")
        make_idea(bo, title="Loppemarked på Torvet")
        db.session.add(HelpPledge(idea_id=helped.id, user_id=ida.id))
        db.session.commit()
    login(client, "ida@example.dk")
    page = client.get("/me?lang=da").get_data(as_text=True)
    assert "Bænke ved stranden" in page and "Du skrev den" in page
    assert "Skak på Enggården" in page and "Du har tilbudt at hjælpe" in page
    assert "Loppemarked på Torvet" not in page
