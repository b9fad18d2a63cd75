"""The ideas box's demo rows: every state, believable, counts matching their rows, and idempotent."""

from sqlalchemy import func, select

from portal.database import write_transaction
from portal.extensions import db
from portal.ideas import answers
from portal.models import HelpPledge, Idea, IdeaState, IdeaSupport, Report, Task, TaskStatus, utcnow


def _load_demo(now):
    from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
    from tools.demo_calls import load_demo_calls
    from tools.demo_companies import load_demo_companies
    from tools.demo_ideas import load_demo_ideas

    with write_transaction():
        load_demo_data(now=now)
        load_demo_tasks(now=now)
        load_demo_profiles()
        load_demo_companies(now=now)
        load_demo_calls(now=now)
        made = load_demo_ideas(now=now)
        db.session.commit()
    return made


def test_demo_ideas_show_every_state_and_the_chess_task(ctx):
    now = utcnow()
    assert _load_demo(now) is True
    states = {i.state for i in db.session.scalars(select(Idea))}
    assert states == set(IdeaState)
    chess = db.session.scalar(select(Idea).where(Idea.title == "Skak på Enggården"))
    task = db.session.get(Task, chess.task_id)
    assert task.title == "Skak på Enggården" and task.status is TaskStatus.published
    assert task.organisation.slug == "enggaarden" and len(task.slots) == 2
    assert chess.help_count == 2 and chess.helpers_invited_at is None
    declined = db.session.scalar(select(Idea).where(Idea.state == IdeaState.declined))
    assert declined.answer
    exists = db.session.scalar(select(Idea).where(Idea.state == IdeaState.exists))
    assert exists.answer_link.startswith("/tasks/")
    paper = db.session.scalar(select(Idea).where(Idea.channel == "library"))
    assert paper.entered_by_id is not None and paper.author_id is None
    for idea in db.session.scalars(select(Idea)):
        assert idea.support_count == db.session.scalar(
            select(func.count()).select_from(IdeaSupport).where(IdeaSupport.idea_id == idea.id)), idea.title
        assert idea.help_count == db.session.scalar(
            select(func.count(HelpPledge.id)).where(HelpPledge.idea_id == idea.id)), idea.title
    waiting = answers.needing_answer(now=now)
    assert {w.idea.title for w in waiting} == {"Fælles oprydning i havnen", "Bænke langs Strandstien"}
    assert [w.idea.title for w in waiting if w.overdue] == ["Bænke langs Strandstien"]
    assert db.session.scalar(select(func.count(Report.id)).where(Report.resolved_at.is_(None))) == 1
    # Nothing new passes the threshold on the first tick; the pledgers of the chess task are invited.
    with write_transaction():
        assert answers.mark_thresholds(now=now) == 0
        assert answers.invite_pledged_helpers(now=now) == 2
        db.session.commit()


def test_demo_ideas_load_once(ctx):
    now = utcnow()
    assert _load_demo(now) is True
    count = db.session.scalar(select(func.count(Idea.id)))
    assert _load_demo(now) is False
    assert db.session.scalar(select(func.count(Idea.id))) == count
