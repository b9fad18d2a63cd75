"""The audit log's and small jobs' demo rows: a believable history (approvals, a roster download,
attendance), four small jobs, Karen's own limit of 15 hours; loading twice adds nothing."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, AuditSubject, Task, User, VolunteerProfile, utcnow
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_auditlog import load
from tools.demo_companies import load_demo_companies
from tools.demo_events import load_demo_events
from tools.demo_recognition import load_demo_recognition


def test_the_demo_has_a_history_small_jobs_and_a_limit_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_companies(now=now)
    load_demo_events(now=now)
    load_demo_recognition(now=now)
    db.session.commit()
    load(now)
    actions = dict(db.session.execute(select(AuditEvent.action, func.count()).group_by(AuditEvent.action)).all())
    assert actions["organisation_approved"] >= 3 and actions["company_approved"] == 1
    assert actions["roster_exported"] == 1 and actions["attendance_changed"] >= 1
    assert db.session.scalar(select(func.count()).select_from(AuditSubject)) >= 2
    small = set(db.session.scalars(select(Task.title).where(Task.is_small_job.is_(True))))
    assert {"Hjælp med havearbejde ved Wiedergården", "Sortering af tøj til loppemarkedet"} <= small
    assert len(small) >= 3
    karen = db.session.scalar(select(User).where(User.email == "frivillig@demo.dragoer.dk"))
    assert db.session.scalar(select(VolunteerProfile.small_job_limit_hours)
                             .where(VolunteerProfile.user_id == karen.id)) == 15
    counts = (db.session.scalar(select(func.count(AuditEvent.id))), db.session.scalar(select(func.count(Task.id))))
    load(now)
    assert (db.session.scalar(select(func.count(AuditEvent.id))), db.session.scalar(select(func.count(Task.id)))) == counts
