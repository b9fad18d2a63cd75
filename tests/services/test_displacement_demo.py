"""The displacement check's demo rows: the list of what volunteers do not do, one review waiting
(Dragør Skole), one approved with changes (the library), one declined (Enggården's medicine), every
published municipal task with its answers on record; loading twice is loading once."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import DisplacementReview, ExcludedDuty, ReviewStatus, Task, TaskStatus, utcnow
from tools import demo_displacement
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_calls import load_demo_calls
from tools.demo_help import load_demo_help


def _statuses():
    return dict(db.session.execute(select(DisplacementReview.status, func.count(DisplacementReview.id))
                                   .group_by(DisplacementReview.status)).all())


def test_the_demo_has_the_list_and_a_review_of_each_kind_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_help(now=now)      # the library comes with it
    load_demo_calls(now=now)     # and its librarian with the calls
    demo_displacement.load(now)
    db.session.commit()
    duties = db.session.scalars(select(ExcludedDuty).where(ExcludedDuty.active.is_(True))).all()
    assert 6 <= len(duties) <= 8 and any("medicin" in d.text_da for d in duties)
    first = _statuses()
    assert first[ReviewStatus.pending] == 1 and first[ReviewStatus.approved_with_changes] == 1
    assert first[ReviewStatus.declined] == 1
    waiting = db.session.scalar(select(DisplacementReview).where(DisplacementReview.status == ReviewStatus.pending))
    assert waiting.organisation.slug == "dragoer-skole" and waiting.task.status is TaskStatus.draft
    declined = db.session.scalar(select(DisplacementReview).where(DisplacementReview.status == ReviewStatus.declined))
    assert declined.organisation.slug == "enggaarden" and "medicin" in declined.decision_note
    published = db.session.scalars(select(Task).where(Task.status == TaskStatus.published)).all()
    reviewed = set(db.session.scalars(select(DisplacementReview.task_id)))
    assert all(t.id in reviewed for t in published if t.organisation.is_municipal)
    demo_displacement.load(now)
    db.session.commit()
    assert _statuses() == first
    assert db.session.scalar(select(func.count(ExcludedDuty.id))) == len(duties)
