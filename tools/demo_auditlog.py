"""Demo rows for the audit log and small jobs (issue 13).

Small jobs: Wiedergården's "Hjælp med havearbejde ved Wiedergården" and "Sortering af tøj til
loppemarkedet" (new, each with times), and Enggården's garden day and the Frivillig Fredag set-up are
marked as small jobs. Karen Holm keeps a private limit of 15 hours a month and has a few small-job
hours this month, so /me/small-jobs shows a counter with a meter.

The audit log: the coordinator's approvals of the organisations and a company, the Enggården
organiser's look at and download of the cycling trip's list of participants, a few attendance marks and
a børneattest record, spread over the last weeks. Idempotent: nothing is added a second time."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from portal import audit
from portal.auditlog.services import seen_by_staff
from portal.core.timeutil import month_bounds, to_local, to_utc
from portal.extensions import db
from portal.models import (Attendance, AuditEvent, Category, Company, Organisation, PhysicalDemand, Signup,
                           SignupState, Slot, Task, TaskKind, TaskStatus, User, VolunteerProfile)

SMALL_JOBS = [
    ("Hjælp med havearbejde ved Wiedergården", "nature",
     "Vi har brug for et par hænder i haven bag Wiedergården: luge bedene, rive blade og beskære buskene. "
     "Det er et lille job på et par timer, som du kan tage, når det passer dig. Vi har handsker og værktøj, og "
     "der er kaffe bagefter.", time(10), 3),
    ("Sortering af tøj til loppemarkedet", "events-markets",
     "Folk i Dragør har givet mange sække tøj til vores loppemarked. Hjælp os med at sortere det i børnetøj, "
     "voksentøj og det, der skal til genbrug. Du kan sidde ned, og vi holder pause med kaffe og kage.",
     time(13), 2),
]
MARK_AS_SMALL = ("Havedag i Enggårdens sansehave", "Hjælp til Frivillig Fredag")


def _org(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _small_jobs(now: datetime) -> list[Task]:
    wiedergaarden, poul = _org("wiedergaarden"), _user("wiedergaarden@demo.dragoer.dk")
    if wiedergaarden is None:
        return []
    tasks = []
    today = to_local(now).date()
    for title, category, text, starts, hours in SMALL_JOBS:
        task = db.session.scalar(select(Task).where(Task.organisation_id == wiedergaarden.id, Task.title == title))
        if task is None:
            category_id = db.session.scalar(select(Category.id).where(Category.slug == category)) or \
                db.session.scalar(select(Category.id).order_by(Category.id).limit(1))
            task = Task(organisation_id=wiedergaarden.id, category_id=category_id, title=title, description=text,
                        kind=TaskKind.one_off, status=TaskStatus.published, place_name="Wiedergården",
                        address=wiedergaarden.address, postcode=wiedergaarden.postcode, city=wiedergaarden.city,
                        physical_demand=PhysicalDemand.light, contact_name=poul.name if poul else "Poul Nielsen",
                        contact_email=wiedergaarden.contact_email, is_small_job=True)
            db.session.add(task)
            db.session.flush()
            for days in (4, 11, 18):
                begins = to_utc(today + timedelta(days=days), starts)
                db.session.add(Slot(task_id=task.id, starts_at=begins, ends_at=begins + timedelta(hours=hours),
                                    capacity=4))
        tasks.append(task)
    for prefix in MARK_AS_SMALL:
        for task in db.session.scalars(select(Task).where(Task.title.like(f"{prefix}%"))):
            task.is_small_job = True
    db.session.flush()
    return tasks


def _karens_counter(now: datetime, garden: Task | None) -> None:
    """Karen's own limit of 15 hours, six hours this month in the garden (attended), one time booked."""
    karen = _user("frivillig@demo.dragoer.dk")
    if karen is None or garden is None:
        return
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == karen.id))
    if profile is None:
        profile = VolunteerProfile(user_id=karen.id)
        db.session.add(profile)
    if profile.small_job_limit_hours is None:
        profile.small_job_limit_hours = 15
    today = to_local(now).date()
    month_start, _end = month_bounds(today.year, today.month)
    # Two mornings earlier this month (when the month is old enough for them to have passed).
    for day in (1, 2):
        begins = to_utc(today.replace(day=day), time(10))
        if begins + timedelta(hours=3) > now or begins < month_start:
            continue
        slot = db.session.scalar(select(Slot).where(Slot.task_id == garden.id, Slot.starts_at == begins))
        if slot is None:
            slot = Slot(task_id=garden.id, starts_at=begins, ends_at=begins + timedelta(hours=3), capacity=4)
            db.session.add(slot)
            db.session.flush()
            db.session.add(Signup(slot_id=slot.id, user_id=karen.id, state=SignupState.confirmed,
                                  attendance=Attendance.attended))
            slot.taken = 1
    upcoming = db.session.scalar(select(Slot).where(Slot.task_id == garden.id, Slot.starts_at > now)
                                 .order_by(Slot.starts_at).limit(1))
    if upcoming is not None and db.session.scalar(select(Signup.id).where(
            Signup.slot_id == upcoming.id, Signup.user_id == karen.id)) is None:
        db.session.add(Signup(slot_id=upcoming.id, user_id=karen.id, state=SignupState.confirmed))
        upcoming.taken += 1
    db.session.flush()


def _history(now: datetime) -> None:
    """The log lists by id, newest first: the lines are written oldest first."""
    steps = []
    _steps(now, steps)
    for moment, write, args, kwargs in sorted(steps, key=lambda step: step[0]):
        write(*args, now=moment, **kwargs)


def _steps(now: datetime, steps: list) -> None:
    def later(write, *args, now, **kwargs):
        steps.append((now, write, args, kwargs))

    anne, mette = _user("koordinator@demo.dragoer.dk"), _user("enggaarden@demo.dragoer.dk")
    if anne is None:
        return
    for days, slug in ((62, "enggaarden"), (61, "wiedergaarden"), (58, "dragoer-skole"), (40, "repaircafe-dragoer"),
                       (33, "dragoer-bibliotek")):
        org = _org(slug)
        if org is not None:
            later(audit.record, anne, "organisation_approved", obj=org, organisation=org, summary=org.name,
                  before={"status": "pending"}, after={"status": "approved"}, now=now - timedelta(days=days))
    company = db.session.scalar(select(Company).where(Company.slug == "dragoer-koebmand"))
    if company is not None:
        later(audit.record, anne, "company_approved", obj=company, summary=company.name,
              before={"status": "pending"}, after={"status": "approved"}, now=now - timedelta(days=45))
    enggaarden = _org("enggaarden")
    if mette is None or enggaarden is None:
        return
    # The Enggården task with the most people on it (the cycling trips when other demo rows signed up).
    cycling = db.session.scalar(
        select(Task).join(Slot, Slot.task_id == Task.id).join(Signup, Signup.slot_id == Slot.id)
        .where(Task.organisation_id == enggaarden.id, Signup.state != SignupState.cancelled)
        .group_by(Task.id).order_by(func.count(Signup.id).desc(), Task.id).limit(1))
    if cycling is not None:
        signups = list(db.session.scalars(select(Signup).join(Slot).where(
            Slot.task_id == cycling.id, Signup.state != SignupState.cancelled).order_by(Slot.starts_at)))
        people = [s.user_id for s in signups]
        if people:
            first = [s.user_id for s in signups if s.slot_id == signups[0].slot_id]
            later(seen_by_staff, mette, "roster_viewed", slot=signups[0].slot, people=first,
                  now=now - timedelta(days=6, hours=3))
            later(seen_by_staff, mette, "roster_exported", task=cycling, people=people, now=now - timedelta(days=6))
    marked = db.session.scalars(select(Signup).join(Slot).join(Task).where(
        Task.organisation_id == enggaarden.id, Signup.attendance.is_not(None)).order_by(Signup.id).limit(4))
    for n, signup in enumerate(marked):
        task = signup.slot.task
        later(audit.record, mette, "attendance_changed", obj=signup, organisation=enggaarden,
              summary=f"{task.title}, {to_local(signup.slot.starts_at):%d-%m-%Y %H:%M}",
              before={"attendance": None}, after={"attendance": signup.attendance.value},
              subjects=[signup.user_id], now=now - timedelta(days=3, hours=n))
    karen = _user("frivillig@demo.dragoer.dk")
    if karen is not None:
        checked_on = (to_local(now).date() - timedelta(days=20)).isoformat()
        later(audit.record, mette, "clearance_recorded", obj=None, organisation=enggaarden, summary=karen.name,
              before=None, after={"status": "approved", "checked_on": checked_on},
              subjects=[karen.id], now=now - timedelta(days=20))


def load(now: datetime) -> None:
    tasks = _small_jobs(now)
    _karens_counter(now, tasks[0] if tasks else None)
    already = db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "organisation_approved").limit(1))
    if already is None:
        _history(now)
    db.session.commit()
