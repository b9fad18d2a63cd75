"""The stories' demo rows: stories with described pictures from three public organisations (and the
naturvogterne's, public once the coordinator approves them), pictures for organisations; loading
twice adds nothing."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Organisation, Picture, Story, utcnow
from portal.stories import queries
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_companies import load_demo_companies
from tools.demo_exchange import load_demo_exchange
from tools.demo_stories import load_demo_stories


def test_the_demo_shows_stories_with_pictures_from_three_organisations_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_companies(now=now)
    load_demo_exchange(now=now)   # the repair café comes with it
    load_demo_stories(now=now)
    db.session.commit()
    public = queries.public_stories().stories
    assert len({s.organisation_id for s in public}) >= 3
    assert all(s.picture is not None and len(s.picture.alt) > 20 for s in public)
    assert all(s.published_at <= now for s in public)
    pictured = db.session.scalar(select(func.count(Organisation.id)).where(Organisation.picture_id.is_not(None)))
    assert pictured >= 2
    stories, pictures = db.session.scalar(select(func.count(Story.id))), db.session.scalar(select(func.count(Picture.id)))
    load_demo_stories(now=now)
    assert db.session.scalar(select(func.count(Story.id))) == stories
    assert db.session.scalar(select(func.count(Picture.id))) == pictures
