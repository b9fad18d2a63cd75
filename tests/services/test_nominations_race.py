"""Hearts stay exact under concurrency (issue 12): twelve people giving a heart at once, and one
person double-clicking "Give a heart" or "Take back my heart". Each click runs in its own thread
with its own session, starts at a Barrier and ends with a commit or a rollback, as a request would.
Runs on SQLite and PostgreSQL, whichever the suite runs on."""

from collections import Counter

import pytest
from sqlalchemy import func, select

from portal.awards import services
from portal.extensions import db
from portal.models import Nomination, NominationHeart, utcnow
from tests import clicks
from tests.factories import make_award_category, make_award_year, make_nomination, make_user

PEOPLE = 12
CLICKS = 8


@pytest.fixture
def arena(app):
    with app.app_context():
        category = make_award_category(make_award_year(phase="nominating"))
        nomination = make_nomination(category, nominee_name="Karen Holm")
        people = [make_user().id for _ in range(PEOPLE)]
        db.session.commit()
        ids = nomination.id, people
        db.session.remove()
    return ids


def race(app, nomination_id, user_ids, action):
    return clicks.race(app, Nomination, nomination_id, user_ids, action)


def counts(app, nomination_id):
    with app.app_context():
        result = (db.session.get(Nomination, nomination_id).heart_count,
                  db.session.scalar(select(func.count()).select_from(NominationHeart)
                                    .where(NominationHeart.nomination_id == nomination_id)))
        db.session.remove()
    return result


def give(nomination, user):
    return services.give_heart(nomination, user, now=utcnow())


def test_twelve_people_at_once_give_twelve_hearts(app, arena):
    nomination_id, people = arena
    outcomes, errors = race(app, nomination_id, people, give)
    assert errors == []
    assert outcomes == Counter({True: PEOPLE})
    assert counts(app, nomination_id) == (PEOPLE, PEOPLE)


def test_one_person_double_clicking_gives_one_heart_and_takes_it_back_once(app, arena):
    nomination_id, people = arena
    outcomes, errors = race(app, nomination_id, [people[0]] * CLICKS, give)
    assert errors == []
    assert outcomes == Counter({True: 1, False: CLICKS - 1})
    assert counts(app, nomination_id) == (1, 1)

    outcomes, errors = race(app, nomination_id, [people[0]] * CLICKS, services.withdraw_heart)
    assert errors == []
    assert outcomes == Counter({True: 1, False: CLICKS - 1})
    assert counts(app, nomination_id) == (0, 0)


def test_giving_and_taking_back_at_once_leaves_the_count_equal_to_the_rows(app, arena):
    nomination_id, people = arena
    race(app, nomination_id, people[:6], give)

    def toggle(nomination, user):
        if user.id in people[:6]:
            return services.withdraw_heart(nomination, user)
        return give(nomination, user)

    outcomes, errors = race(app, nomination_id, people, toggle)
    assert errors == []
    assert counts(app, nomination_id) == (6, 6)
