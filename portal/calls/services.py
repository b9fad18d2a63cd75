"""The rules of calls for input: who may ask, answering until the deadline (one answer per person,
counted in the same transaction), closing with a published "what came of it" note that everyone who
answered is told about, and reminding owners who have not closed an overdue call.

Services flush; the route (or tick) commits once."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal import access
from portal.calls import errors
from portal.core import safetext
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (Call, CallAnswer, CallAudience, CallStatus, Membership, MembershipRole, MembershipStatus,
                           Organisation, OrganisationStatus, Task, TaskStatus, User)
from portal.outbox import queue_email

# An owner who has not closed an overdue call hears from us at most this often.
REMIND_EVERY = timedelta(days=3)
# A deadline further away than this is a typing slip (or a call nobody will remember).
LONGEST_CALL = timedelta(days=366)
# Ids arrive from forms; PostgreSQL refuses anything beyond its integer.
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class CallFields:
    """What the form says about a call, as plain values."""
    title: str
    question: str
    background: str
    closes_on: date
    closes_time: time
    audience: str = "everyone"
    place_name: str = ""
    postcode: str = ""
    radius_km: float | None = None
    meeting_task_id: int | None = None
    answers_public: bool = False


# --- who may post ---------------------------------------------------------------------------------

def my_organisations(user) -> list[Organisation]:
    """The approved organisations `user` may ask the citizens for (access.may_manage)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Organisation).join(Membership).where(Membership.user_id == user.id,
                                                    Membership.status == MembershipStatus.approved,
                                                    Organisation.status == OrganisationStatus.approved)
        .order_by(Organisation.name)))


def may_post(user) -> bool:
    return access.is_coordinator(user) or bool(my_organisations(user))


def _check_poster(user, organisation: Organisation | None) -> None:
    if organisation is None:
        if not access.is_coordinator(user):
            raise errors.not_poster()
        return
    if not access.may_manage(user, organisation):
        raise errors.not_poster()
    if organisation.status is not OrganisationStatus.approved:
        raise errors.organisation_not_approved()


def meeting_tasks(organisation: Organisation | None) -> list[Task]:
    """Tasks a call can offer as its meeting: the organisation's published tasks; for the
    municipality's own calls, any approved organisation's (a citizens' meeting held at
    Wiedergården, say)."""
    query = select(Task).join(Organisation).where(Task.status == TaskStatus.published,
                                                  access.public_organisation_clause())
    if organisation is not None:
        query = query.where(Task.organisation_id == organisation.id)
    return list(db.session.scalars(query.order_by(Organisation.name, Task.title, Task.id).limit(300)))


def _meeting_task(organisation: Organisation | None, task_id: int | None) -> int | None:
    if not task_id:
        return None
    if not 0 < task_id <= MAX_ID:
        raise errors.meeting_not_ours()
    task = db.session.get(Task, task_id)
    if task is None or not access.is_public_task(task) or (
            organisation is not None and task.organisation_id != organisation.id):
        raise errors.meeting_not_ours()
    return task.id


def _place(fields: CallFields) -> dict:
    """Where a "near" call's residents live: the place placed by the geocoder (the gazetteer)."""
    if fields.audience != CallAudience.near.value:
        return dict(place_name=None, postcode=None, latitude=None, longitude=None, radius_km=None)
    if not (fields.place_name or fields.postcode):
        raise errors.place_missing()
    if not fields.radius_km:
        raise errors.radius_missing()
    from portal.geocoding import configured_geocoder

    found = configured_geocoder().locate(address=fields.place_name or "", postcode=fields.postcode or "")
    if found is None:
        raise errors.place_unknown()
    return dict(place_name=fields.place_name or found.name, postcode=fields.postcode or found.postcode,
                latitude=found.latitude, longitude=found.longitude, radius_km=float(fields.radius_km))


def _values(organisation: Organisation | None, fields: CallFields, *, now: datetime) -> dict:
    closes_at = to_utc(fields.closes_on, fields.closes_time)
    if closes_at <= now:
        raise errors.deadline_past()
    if closes_at > now + LONGEST_CALL:
        raise errors.deadline_far()
    return dict(title=fields.title, question=fields.question, background=fields.background or "",
                closes_at=closes_at, audience=CallAudience(fields.audience), answers_public=bool(fields.answers_public),
                meeting_task_id=_meeting_task(organisation, fields.meeting_task_id), **_place(fields))


def create_call(user: User, organisation: Organisation | None, fields: CallFields, *, publish: bool,
                now: datetime) -> Call:
    """A new call by the municipality (`organisation` None: the coordinator) or an organisation's
    contact person; saved as a draft, or published at once."""
    _check_poster(user, organisation)
    call = Call(organisation_id=organisation.id if organisation else None, owner_id=user.id,
                status=CallStatus.open if publish else CallStatus.draft, published_at=now if publish else None,
                created_at=now, updated_at=now, **_values(organisation, fields, now=now))
    db.session.add(call)
    db.session.flush()
    return call


def is_editable(call: Call, *, now: datetime) -> bool:
    """A draft, or an open call before its deadline. After the deadline the call is closed,
    not changed (people answered *that* question)."""
    return call.status is CallStatus.draft or (call.status is CallStatus.open and call.closes_at > now)


def _same_text(text: str | None) -> str:
    """The question as a form sends it back: line breaks as "\\n", no surrounding blanks."""
    return safetext.text_block(text).strip()


def update_call(call: Call, user: User, fields: CallFields, *, publish: bool, now: datetime) -> Call:
    if not access.may_own_call(user, call):
        raise errors.not_poster()
    if not is_editable(call, now=now):
        raise errors.not_editable()
    if fields.answers_public and not call.answers_public and call.answer_count > 0:
        raise errors.cannot_go_public()
    # Answers are read (and may be shown) under the question: changed afterwards, they would seem
    # to say yes to something nobody was asked (Decidim #3622, for ideas).
    if call.answer_count > 0 and _same_text(fields.question) != _same_text(call.question):
        raise errors.question_locked()
    for name, value in _values(call.organisation, fields, now=now).items():
        setattr(call, name, value)
    if publish and call.status is CallStatus.draft:
        call.status, call.published_at = CallStatus.open, now
    call.updated_at = now
    db.session.flush()
    return call


# --- answering ------------------------------------------------------------------------------------

def accepts_answers(call: Call, *, now: datetime) -> bool:
    return call.status is CallStatus.open and call.closes_at > now


def my_answer(call: Call, user) -> CallAnswer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(CallAnswer).where(CallAnswer.call_id == call.id, CallAnswer.user_id == user.id))


def answer(call: Call, user: User, *, body: str, show_name: bool, now: datetime) -> CallAnswer:
    """Saves `user`'s answer, or changes it until the deadline. A new answer moves the call's
    count in the same transaction, by a conditional UPDATE that also checks the call is still
    open (a deadline passing between the page and the click refuses the answer); a double
    click hits the unique (call, user) and rolls the count back with it."""
    existing = my_answer(call, user)
    if existing is not None:
        if not accepts_answers(call, now=now):
            raise errors.answers_closed()
        existing.body, existing.show_name, existing.updated_at = body, bool(show_name), now
        db.session.flush()
        return existing
    counted = db.session.execute(
        update(Call).where(Call.id == call.id, Call.status == CallStatus.open, Call.closes_at > now)
        .values(answer_count=Call.answer_count + 1).execution_options(synchronize_session=False))
    if not counted.rowcount:
        raise errors.answers_closed()
    new = CallAnswer(call_id=call.id, user_id=user.id, body=body, show_name=bool(show_name),
                     created_at=now, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(new)
            db.session.flush()
    except IntegrityError:
        raise errors.already_answered() from None
    db.session.refresh(call)
    return new


def set_answer_hidden(call: Call, answer_row: CallAnswer, user: User, *, hidden: bool, now: datetime) -> None:
    """The owner hides an answer from the public page (personal data about others, advertising,
    hate) or shows it again. It stays in the owner's list and export."""
    if not access.may_own_call(user, call):
        raise errors.not_poster()
    answer_row.hidden_at = now if hidden else None
    db.session.flush()


# --- closing and reminding ------------------------------------------------------------------------

def is_overdue(call: Call, *, now: datetime) -> bool:
    return call.status is CallStatus.open and call.closes_at <= now


def close_call(call: Call, user: User, *, outcome: str, now: datetime) -> int:
    """Closes an overdue call with its published "what came of it" note and tells everyone who
    answered, in their language. Returns how many were told."""
    if not access.may_own_call(user, call):
        raise errors.not_poster()
    if call.status is CallStatus.closed:
        raise errors.already_closed()
    if call.status is not CallStatus.open or call.closes_at > now:
        raise errors.too_early_to_close()
    # Conditional: two owners closing at once publish one note and send one round of mail.
    closed = db.session.execute(
        update(Call).where(Call.id == call.id, Call.status == CallStatus.open)
        .values(status=CallStatus.closed, outcome=outcome, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False))
    if not closed.rowcount:
        raise errors.already_closed()
    db.session.refresh(call)
    told = 0
    for person in db.session.scalars(
            select(User).join(CallAnswer, CallAnswer.user_id == User.id).where(CallAnswer.call_id == call.id)
            .order_by(User.id)):
        queue_email(person.email, "call_closed", locale=person.locale, user=person, call=call)
        told += 1
    return told


def asker_name(call: Call) -> str:
    """Who asks: the organisation's name, or the municipality's."""
    from flask_babel import gettext as _

    return call.organisation.name if call.organisation is not None else _("Dragør Municipality")


def owners_to_remind(call: Call) -> list[User]:
    """The owner while they still may own the call; else the organisation's admins; for the
    municipality's calls (or an organisation without admins), the coordinators."""
    owner = call.owner
    if owner is not None and (owner.is_coordinator if call.organisation is None
                              else access.is_member(owner, call.organisation)):
        return [owner]
    if call.organisation is not None:
        admins = list(db.session.scalars(
            select(User).join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == call.organisation_id, Membership.status == MembershipStatus.approved,
                   Membership.role == MembershipRole.admin).order_by(User.id)))
        if admins:
            return admins
    return list(db.session.scalars(select(User).where(User.is_coordinator.is_(True)).order_by(User.id)))


def _due_for_reminder(now: datetime):
    return and_(Call.status == CallStatus.open, Call.closes_at <= now,
                or_(Call.last_reminded_at.is_(None), Call.last_reminded_at <= now - REMIND_EVERY))


def remind_overdue_owners(*, now: datetime) -> int:
    """tick: a call past its deadline and still open reminds its owner to close it with a note,
    at most once every three days. Each call is claimed by a conditional UPDATE of
    last_reminded_at first, so ticks running at once on several machines send one reminder.
    Returns the number of calls reminded about."""
    due = db.session.scalars(select(Call.id).where(_due_for_reminder(now)).order_by(Call.id)).all()
    sent = 0
    for call_id in due:
        claimed = db.session.execute(
            update(Call).where(Call.id == call_id, _due_for_reminder(now))
            .values(last_reminded_at=now).execution_options(synchronize_session=False))
        if not claimed.rowcount:
            continue
        call = db.session.get(Call, call_id)
        db.session.refresh(call)
        for person in owners_to_remind(call):
            queue_email(person.email, "call_overdue", locale=person.locale, user=person, call=call)
        sent += 1
    db.session.flush()
    return sent


def overdue_days(call: Call, *, now: datetime) -> int:
    """Whole local days since the deadline's day (0 on the day itself)."""
    return max(0, (to_local(now).date() - to_local(call.closes_at).date()).days)
