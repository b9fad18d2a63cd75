"""An organiser writes to everyone signed up for a time or a task (and, if chosen, its waitlist).

Each person gets a mail of their own, in their own language, with the organisation as the sender's
name and the reply going to the organisation's contact for volunteers (or the organiser). Nobody
sees who else got it. A person without e-mail (an assisted profile) gets a line on the coordinator's
call list instead (portal/outbox.py does that). The message, its recipients and an audit event are
written in the caller's transaction; the route commits once."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.core.safetext import one_line, text_block
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.mail import single_address
from portal.messages import errors
from portal.messages.forms import BODY_MAX, SUBJECT_MAX
from portal.models import (Message, MessageRecipient, Organisation, Signup, SignupState, Slot, SlotStatus, Task,
                           User)
from portal.outbox import queue_email
from portal.ratelimits import TooMany, hit, wait_text

WAITING = (SignupState.waitlisted, SignupState.offered)
LIVE = (SignupState.confirmed, *WAITING)
DOUBLE_CLICK = timedelta(seconds=30)


@dataclass
class Audience:
    """Who a message would reach: the people with a place, and the people waiting (not counting
    anyone who also has a place on another of the task's times)."""
    signed_up: list[User] = field(default_factory=list)
    waiting: list[User] = field(default_factory=list)

    def recipients(self, include_waitlist: bool) -> list[User]:
        return self.signed_up + (self.waiting if include_waitlist else [])

    @property
    def without_email(self) -> int:
        return sum(1 for user in self.signed_up + self.waiting if not user.email)


def _slot_filter(task: Task, slot: Slot | None, now: datetime):
    if slot is not None:
        return [Signup.slot_id == slot.id]
    # A task's message goes to the times still ahead (or under way), not to last month's.
    return [Slot.task_id == task.id, Slot.status == SlotStatus.open, Slot.ends_at > now]


def audience(task: Task, *, slot: Slot | None = None, now: datetime) -> Audience:
    """Two queries: the live sign-ups, then the people."""
    rows = db.session.execute(
        select(Signup.user_id, Signup.state).join(Slot, Slot.id == Signup.slot_id)
        .where(Signup.state.in_(LIVE), *_slot_filter(task, slot, now))).all()
    with_place = {user_id for user_id, state in rows if state is SignupState.confirmed}
    waiting = {user_id for user_id, state in rows if state in WAITING} - with_place
    if not rows:
        return Audience()
    people = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(with_place | waiting)))}
    order = lambda ids: sorted((people[i] for i in ids if i in people), key=lambda u: ((u.name or "").lower(), u.id))  # noqa: E731
    return Audience(signed_up=order(with_place), waiting=order(waiting))


@dataclass(frozen=True)
class TimeCount:
    slot: Slot
    signed_up: int
    waiting: int


def counts_by_time(task: Task, *, now: datetime) -> list[TimeCount]:
    """The task's upcoming open times with how many have a place and how many wait (two queries)."""
    slots = list(db.session.scalars(select(Slot).where(Slot.task_id == task.id, Slot.status == SlotStatus.open,
                                                       Slot.ends_at > now).order_by(Slot.starts_at, Slot.id)))
    if not slots:
        return []
    counts = {(slot_id, state): n for slot_id, state, n in db.session.execute(
        select(Signup.slot_id, Signup.state, func.count()).where(Signup.slot_id.in_([s.id for s in slots]),
                                                                 Signup.state.in_(LIVE))
        .group_by(Signup.slot_id, Signup.state))}
    return [TimeCount(slot, counts.get((slot.id, SignupState.confirmed), 0),
                      sum(counts.get((slot.id, state), 0) for state in WAITING)) for slot in slots]


def upcoming_times(task: Task, *, now: datetime, limit: int) -> tuple[list[Slot], int]:
    """The next `limit` open times of a task and how many more there are (two queries)."""
    where = (Slot.task_id == task.id, Slot.status == SlotStatus.open, Slot.ends_at > now)
    slots = list(db.session.scalars(select(Slot).where(*where).order_by(Slot.starts_at, Slot.id).limit(limit)))
    total = db.session.scalar(select(func.count()).select_from(Slot).where(*where)) if len(slots) == limit else len(slots)
    return slots, total - len(slots)


def reply_address(organisation: Organisation, sender: User) -> str | None:
    """Where a volunteer's answer goes: the organisation's contact for volunteers, else the organiser,
    else the organisation's general address; never a stored value that is not one plain address."""
    for candidate in (organisation.volunteer_contact_email, getattr(sender, "email", None),
                      organisation.contact_email):
        if candidate:
            try:
                return single_address(candidate)
            except ValueError:
                continue
    return None


def send_message(sender: User, *, task: Task, slot: Slot | None = None, subject: str, body: str,
                 include_waitlist: bool, now: datetime) -> Message:
    """Writes to everyone signed up for `slot` (or, without one, for any upcoming time of `task`);
    with `include_waitlist`, to the people waiting too. Returns the logged Message."""
    if slot is not None and slot.task_id != task.id:
        raise errors.not_this_task()
    if slot is not None and slot.status is SlotStatus.cancelled:
        raise errors.slot_cancelled()
    subject = one_line(subject)[:SUBJECT_MAX]
    body = text_block(body).strip()[:BODY_MAX]
    if not subject:
        raise errors.MessageError(_l("Write a subject."), field="subject")
    if not body:
        raise errors.MessageError(_l("Write the message."), field="body")
    people = audience(task, slot=slot, now=now)
    recipients = people.recipients(include_waitlist)
    if not recipients:
        raise errors.nobody() if people.waiting else errors.nobody_at_all()

    # A double click sends once: the organiser's row is locked (PostgreSQL; SQLite's writers queue
    # anyway), then the same words to the same people within half a minute are the same message.
    db.session.execute(select(User.id).where(User.id == sender.id).with_for_update())
    same = db.session.scalar(select(Message).where(
        Message.sender_id == sender.id, Message.task_id == task.id,
        Message.slot_id.is_(None) if slot is None else Message.slot_id == slot.id,
        Message.subject == subject, Message.include_waitlist == bool(include_waitlist),
        Message.created_at > now - DOUBLE_CLICK).order_by(Message.id.desc()).limit(1))
    if same is not None and same.body == body:
        return same

    limit = current_app.config.get("MESSAGE_RATE_LIMIT", "10 per hour;30 per day")
    if blocked := hit("organiser-message", limit, sender.id):
        raise TooMany(_l("You have sent many messages in a short time. Try again %(wait)s.",
                         wait=wait_text(blocked)), field="body")

    organisation = task.organisation
    message = Message(organisation_id=organisation.id, task_id=task.id, slot_id=slot.id if slot else None,
                      sender_id=sender.id, subject=subject, body=body, include_waitlist=bool(include_waitlist),
                      recipient_count=len(recipients), created_at=now)
    db.session.add(message)
    db.session.flush()
    db.session.add_all(MessageRecipient(message_id=message.id, user_id=user.id) for user in recipients)
    reply_to = reply_address(organisation, sender)
    waiting = {user.id for user in people.waiting}
    for user in recipients:
        queue_email(user.email, "message_from_organiser", locale=user.locale or "da", user=user,
                    from_name=organisation.name, reply_to=reply_to, organisation=organisation, task=task,
                    slot=slot, message_subject=subject, message_body=body, on_waitlist=user.id in waiting)
    where = task.title + (f", {to_local(slot.starts_at):%d-%m-%Y %H.%M}" if slot else "")
    audit.record(sender, "message_sent", obj=message, organisation=organisation,
                 subjects=[user.id for user in recipients],
                 summary=f"{where}: {subject} ({len(recipients)})", now=now)
    return message


# --- the organisation's log ------------------------------------------------------------------

LOG_LIMIT = 200


@dataclass(frozen=True)
class LogLine:
    message: Message
    sender_name: str | None


def message_log(organisation: Organisation, *, limit: int = LOG_LIMIT) -> list[LogLine]:
    """The newest messages first, with the sender's name, the task and the time; one query."""
    rows = db.session.execute(
        select(Message, User.name).outerjoin(User, User.id == Message.sender_id)
        .where(Message.organisation_id == organisation.id)
        .options(joinedload(Message.task), joinedload(Message.slot))
        .order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)).all()
    return [LogLine(message, name) for message, name in rows]


def message_of(organisation: Organisation, message_id: int) -> LogLine | None:
    """One message of this organisation (None for another's: its existence is not theirs to know)."""
    row = db.session.execute(
        select(Message, User.name).outerjoin(User, User.id == Message.sender_id)
        .where(Message.id == message_id, Message.organisation_id == organisation.id)).first()
    return LogLine(row[0], row[1]) if row else None
