"""The calls' demo rows: a library call with public answers, a municipal call with a meeting time,
one closed with its note and one overdue for the coordinator's list; loading twice adds nothing."""

from sqlalchemy import func, select

from portal.calls import queries
from portal.extensions import db
from portal.models import Call, CallAnswer, CallStatus, utcnow
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_calls import load_demo_calls


def test_the_demo_shows_every_state_of_a_call_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    assert load_demo_calls(now=now) is True
    db.session.commit()
    calls = {c.title: c for c in db.session.scalars(select(Call))}
    library = calls["Hvad skal bibliotekets frivillige lave?"]
    assert library.organisation.name == "Dragør Bibliotek" and library.answers_public
    assert 4 <= library.answer_count == len(queries.answers(library)) <= 6
    municipal = calls["Hvordan skal Frivillighedens dag se ud i 2027?"]
    assert municipal.organisation_id is None and queries.meeting_times(municipal, now=now)
    closed = [c for c in calls.values() if c.status is CallStatus.closed]
    assert len(closed) == 1 and closed[0].outcome
    assert [row.call.title for row in queries.overdue(now=now)] == ["Hvornår passer lektiecaféen bedst?"]
    listing = queries.listing(None, now=now)
    assert len(listing.open) == 2 and len(listing.waiting) == 1 and len(listing.closed) == 1
    answers = db.session.scalar(select(func.count(CallAnswer.id)))
    assert load_demo_calls(now=now) is False
    assert db.session.scalar(select(func.count(Call.id))) == 4
    assert db.session.scalar(select(func.count(CallAnswer.id))) == answers


def test_karen_is_told_the_municipal_call_is_for_her(ctx):
    from portal.models import User
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_calls(now=now)
    karen = db.session.scalar(select(User).where(User.email == "frivillig@demo.dragoer.dk"))
    municipal = db.session.scalar(select(Call).where(Call.organisation_id.is_(None)))
    assert queries.is_for(municipal, karen, today=queries.local_today(now))
