"""Counts stay exact under concurrency (issue 11): people supporting at once, and one person
double-clicking "Jeg støtter" or "Jeg vil gerne hjælpe". Each click runs in its own thread with
its own app context and session, starts at a Barrier and ends with a commit or a rollback, as a
request would (the harness of tests/services/test_team_race.py). Runs on SQLite and PostgreSQL,
whichever the suite runs on."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.ideas import services
from portal.models import HelpPledge, Idea, IdeaSupport, utcnow
from tests import clicks
from tests.factories import make_idea, make_user

PEOPLE = 12
CLICKS = 8


@pytest.fixture
def arena(app):
    with app.app_context():
        idea = make_idea(make_user(), title="Skak på Enggården")
        people = [make_user().id for _ in range(PEOPLE)]
        db.session.commit()
        ids = idea.id, people
        db.session.remove()
    return ids


def race(app, idea_id, user_ids, action):
    return clicks.race(app, Idea, idea_id, user_ids, action)


def counts(app, idea_id):
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        result = (idea.support_count,
                  db.session.scalar(select(func.count()).select_from(IdeaSupport).where(IdeaSupport.idea_id == idea_id)),
                  idea.help_count,
                  db.session.scalar(select(func.count(HelpPledge.id)).where(HelpPledge.idea_id == idea_id)))
        db.session.remove()
    return result


def support(idea, user):
    return services.support(idea, user, notify=True, now=utcnow())


def pledge(idea, user):
    return services.pledge(idea, user, note="To timer", notify=True, now=utcnow())


def test_many_people_supporting_and_pledging_at_once_are_all_counted(app, arena):
    idea_id, people = arena
    outcomes, errors = race(app, idea_id, people, support)
    assert errors == [] and outcomes == {True: PEOPLE}
    outcomes, errors = race(app, idea_id, people, pledge)
    assert errors == [] and outcomes == {True: PEOPLE}
    assert counts(app, idea_id) == (PEOPLE, PEOPLE, PEOPLE, PEOPLE)


def test_one_person_double_clicking_is_counted_once(app, arena):
    idea_id, people = arena
    one = [people[0]] * CLICKS
    outcomes, errors = race(app, idea_id, one, support)
    assert errors == [] and outcomes == {True: 1, False: CLICKS - 1}
    outcomes, errors = race(app, idea_id, one, pledge)
    assert errors == [] and outcomes == {True: 1, False: CLICKS - 1}
    assert counts(app, idea_id) == (1, 1, 1, 1)


def test_withdrawing_at_once_counts_down_once(app, arena):
    idea_id, people = arena
    race(app, idea_id, people[:2], support)
    outcomes, errors = race(app, idea_id, [people[0]] * CLICKS, lambda idea, user: services.withdraw_support(idea, user))
    assert errors == [] and outcomes == {True: 1, False: CLICKS - 1}
    assert counts(app, idea_id)[:2] == (1, 1)


def test_two_people_supporting_at_once_while_one_double_clicks(app, arena):
    """The issue's case: two people at once, one of them clicking twice."""
    idea_id, people = arena
    outcomes, errors = race(app, idea_id, [people[0], people[1], people[1]], support)
    assert errors == [] and outcomes == {True: 2, False: 1}
    assert counts(app, idea_id)[:2] == (2, 2)
