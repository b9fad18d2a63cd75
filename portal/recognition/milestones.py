"""Thank-you mails at milestones: the first task, 10, 50 and 100 hours, counted by the one hours
ledger (portal/hours/services.py).

Once per person per milestone: the MilestoneMail row is the claim, inserted with INSERT … ON
CONFLICT DO NOTHING in the same transaction as the mail, and only the tick whose insert returned
the row writes the mail; two nodes running tick at once send it once.

No flood: someone who passed several milestones since the last run (or before this feature
existed: a person with 120 hours on the day it is switched on) gets one mail, for the highest;
the lower ones are recorded as passed, so they never arrive later. A person who has switched the
mails off is skipped. Only people whose ledger changed in the last RECENT days are looked at: a
volunteer who last helped years ago is thanked the next time they help."""

from datetime import datetime, timedelta

from sqlalchemy import or_, select, union

from portal.core.hours import Period
from portal.extensions import db
from portal.hours import services as ledger
from portal.links import base_url
from portal.models import Attendance, HoursEntry, HoursStatus, MilestoneMail, Signup, User
from portal.outbox import queue_email
from portal.recognition.services import milestone_optout_token

# (milestone, hours that reach it), lowest first; "first_task": any counted time at all.
MILESTONES: tuple[tuple[str, float], ...] = (("first_task", 0.0), ("hours_10", 10.0), ("hours_50", 50.0),
                                              ("hours_100", 100.0))
# How far back a change to someone's ledger makes the tick look at them: generous, so a tick that
# did not run for days (or an attendance marked late) still thanks them.
RECENT = timedelta(days=30)
# People handled per statement (each needs up to 4 rows of 3 parameters in the claiming INSERT).
SLICE = 2000
RANK = {name: rank for rank, (name, _) in enumerate(MILESTONES)}


def reached(hours: float, *, has_worked: bool) -> list[str]:
    """The milestones a total reaches, lowest first."""
    found = []
    for name, threshold in MILESTONES:
        if name == "first_task":
            if has_worked:
                found.append(name)
        elif hours >= threshold:
            found.append(name)
    return found


def _insert_if_absent(rows: list[dict]) -> set[tuple[int, str]]:
    """The (user_id, milestone) rows this call inserted; rows another tick already holds are skipped."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    # Sorted, so two ticks take the rows' locks in the same order and neither waits on the other.
    rows = sorted(rows, key=lambda row: (row["user_id"], RANK[row["milestone"]]))
    statement = (insert(MilestoneMail).values(rows)
                 .on_conflict_do_nothing(index_elements=["user_id", "milestone"])
                 .returning(MilestoneMail.user_id, MilestoneMail.milestone))
    return {(user_id, milestone) for user_id, milestone in db.session.execute(statement).all()}


def send_milestone_mails(*, now: datetime) -> int:
    """Thank-you mails at the first task and at 10, 50 and 100 hours, once each, unless switched off.
    Returns the number of mails queued."""
    # Only people whose ledger moved lately (an attendance marked, an entry logged or approved) and who
    # may still get a mail: switched on, confirmed, not yet thanked for 100 hours. Their whole ledger is
    # read; everyone else's is not, so a tick stays cheap at national scale.
    since = now - RECENT
    moved = union(
        select(Signup.user_id).where(Signup.attendance == Attendance.attended, Signup.updated_at >= since),
        select(HoursEntry.user_id).where(HoursEntry.status == HoursStatus.approved,
                                         or_(HoursEntry.decided_at >= since, HoursEntry.created_at >= since)))
    done = select(MilestoneMail.user_id).where(MilestoneMail.milestone == MILESTONES[-1][0])
    candidates = select(User.id).where(User.id.in_(moved), User.milestone_mails.is_(True),
                                       User.email_confirmed_at.is_not(None), User.id.not_in(done))
    contributions = ledger.contributions(period=Period(), users=candidates)
    seconds: dict[int, int] = {}
    for c in contributions:
        seconds[c.user_id] = seconds.get(c.user_id, 0) + c.seconds
    if not seconds:
        return 0
    sent: dict[int, set[str]] = {}
    # Only the candidates' mails: the table holds a row per person per milestone, everyone's, for ever.
    for user_id, milestone in db.session.execute(select(MilestoneMail.user_id, MilestoneMail.milestone)
                                                 .where(MilestoneMail.user_id.in_(candidates))):
        sent.setdefault(user_id, set()).add(milestone)

    due: dict[int, list[str]] = {}
    for user_id, total in seconds.items():
        new = [m for m in reached(round(total / 3600, 1), has_worked=total > 0) if m not in sent.get(user_id, ())]
        if new:
            due[user_id] = new
    if not due:
        return 0
    # In slices, so no statement carries more parameters than a database takes (PostgreSQL: 65,535)
    # however many people passed a milestone at once; ascending, so two ticks lock in the same order.
    ordered = sorted(due)
    mails = 0
    for start in range(0, len(ordered), SLICE):
        mails += _thank({user_id: due[user_id] for user_id in ordered[start:start + SLICE]}, seconds, now=now)
    db.session.flush()
    return mails


def _thank(due: dict[int, list[str]], seconds: dict[int, int], *, now: datetime) -> int:
    """Claims and queues the mails of a slice of the people due one."""
    people = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_(list(due)), User.milestone_mails.is_(True),
                           User.email_confirmed_at.is_not(None)))}
    rows = [{"user_id": user_id, "milestone": m, "sent_at": now}
            for user_id, new in due.items() if user_id in people for m in new]
    if not rows:
        return 0
    claimed = _insert_if_absent(rows)
    mails = 0
    for user_id, new in sorted(due.items()):
        person = people.get(user_id)
        highest = new[-1]
        if person is None or (user_id, highest) not in claimed or not person.email:
            continue
        queue_email(person.email, f"milestone_{highest}", locale=person.locale or "da", user=person,
                    hours=round(seconds[user_id] / 3600, 1),
                    hours_url=base_url() + "/me/hours", settings_url=f"{base_url()}/milestone-mails/off/{milestone_optout_token(person)}")
        mails += 1
    return mails
