"""Cooperation agreements: the coordinator saves them; at each review date the tick sends an
evaluation survey to both contact persons and the volunteers involved; answers go to the coordinator.

Services flush; the route or the tick commits once (design.md, house rule 3)."""

from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update

from portal.agreements import errors
from portal.core.agreements import due_for_evaluation, link_expired, local_today
from portal.core.text import hash_token, new_token
from portal.core.timeutil import to_utc
from portal.extensions import db
from portal.hardening import MAX_ID
from portal.models import (Agreement, AgreementEvaluation, AgreementStatus, Attendance, EvaluationRole, Organisation,
                           OrganisationStatus, Signup, SignupState, Slot, Task, User, agreement_tasks, email_key)
from portal.outbox import queue_email

TEXT_FIELDS = ("title", "purpose", "party_b_label", "duties_a", "duties_b", "contact_a_name", "contact_a_email",
               "contact_a_phone", "contact_b_name", "contact_b_email", "contact_b_phone")


def _approved(org_id: int | None, field: str, keep=()) -> Organisation | None:
    """An approved organisation, or one the agreement already has as a party (suspended since: the
    coordinator must still be able to change or end the agreement)."""
    if org_id is None:
        return None
    # An id no column can hold (PostgreSQL refuses it) names no organisation.
    org = db.session.get(Organisation, org_id) if 0 < org_id <= MAX_ID else None
    if org is None or (org.status is not OrganisationStatus.approved and org.id not in keep):
        raise errors.party_not_approved(field)
    return org


def save_agreement(agreement: Agreement | None, by: User, *, party_a_id: int | None, party_b_id: int | None,
                   starts_on: date, review_on: date, ends_on: date | None, status: AgreementStatus,
                   task_ids=(), now: datetime, **text) -> Agreement:
    """Creates (`agreement` None) or changes an agreement. Party A None is the municipality itself.
    Linked tasks must belong to one of the two parties: an id of another organisation's task is
    refused, never linked."""
    if party_b_id is None:
        raise errors.party_b_required()
    keep = {agreement.party_a_id, agreement.party_b_id} if agreement is not None else set()
    party_a = _approved(party_a_id, "party_a", keep)
    party_b = _approved(party_b_id, "party_b", keep)
    if party_a is not None and party_a.id == party_b.id:
        raise errors.same_parties()
    if review_on < starts_on:
        raise errors.review_before_start()
    if ends_on is not None and ends_on < starts_on:
        raise errors.end_before_start()
    wanted = sorted(set(task_ids))
    if any(not 0 < i <= MAX_ID for i in wanted):
        raise errors.foreign_task()
    tasks = []
    if wanted:
        parties = [party_b.id] + ([party_a.id] if party_a else [])
        tasks = list(db.session.scalars(select(Task).where(Task.id.in_(wanted), Task.organisation_id.in_(parties))))
        if len(tasks) != len(wanted):
            raise errors.foreign_task()
    if agreement is None:
        agreement = Agreement(created_by_id=by.id, created_at=now)
        db.session.add(agreement)
    for name in TEXT_FIELDS:
        value = text.get(name)
        setattr(agreement, name, value if value else (None if name in _OPTIONAL else ""))
    agreement.contact_a_email = _email(agreement.contact_a_email)
    agreement.contact_b_email = _email(agreement.contact_b_email)
    agreement.party_a_id = party_a.id if party_a else None
    agreement.party_b_id = party_b.id
    agreement.starts_on, agreement.review_on, agreement.ends_on = starts_on, review_on, ends_on
    agreement.status = status
    agreement.updated_at = now
    agreement.tasks = tasks
    db.session.flush()
    return agreement


_OPTIONAL = {"party_b_label", "contact_a_email", "contact_a_phone", "contact_b_email", "contact_b_phone"}


def _email(value: str | None) -> str | None:
    return email_key(value) if value else None


# --- evaluation at the review date ------------------------------------------------------------

def _volunteers(agreement: Agreement, *, now: datetime) -> list[User]:
    """People with a confirmed or attended sign-up on the linked tasks' times since the agreement
    started (up to now), each once; not someone the organiser marked as not come."""
    since = to_utc(agreement.starts_on, time(0))
    return list(db.session.scalars(
        select(User).where(User.id.in_(
            select(Signup.user_id).join(Slot, Slot.id == Signup.slot_id)
            .join(agreement_tasks, agreement_tasks.c.task_id == Slot.task_id)
            .where(agreement_tasks.c.agreement_id == agreement.id, Slot.starts_at >= since, Slot.starts_at <= now,
                   # confirmed and not marked as not come, or marked as come
                   or_(and_(Signup.state == SignupState.confirmed,
                            or_(Signup.attendance.is_(None), Signup.attendance != Attendance.no_show)),
                       Signup.attendance == Attendance.attended))))
        .order_by(User.id)))


def _recipients(agreement: Agreement, *, now: datetime) -> list[tuple[EvaluationRole, str, str, User | None]]:
    """(role, e-mail, name, account) for each person asked, each address once. A volunteer without
    e-mail (an assisted profile) is not asked: the survey is a web page, and reading a link out on the
    phone helps nobody; the coordinator hears from them by phone anyway."""
    seen: set[str] = set()
    out = []
    contacts = [(EvaluationRole.party_a, agreement.contact_a_email, agreement.contact_a_name),
                (EvaluationRole.party_b, agreement.contact_b_email, agreement.contact_b_name)]
    emails = [email_key(e) for _, e, _ in contacts if e]
    accounts = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))} if emails else {}
    for role, email, name in contacts:
        if email and email_key(email) not in seen:
            key = email_key(email)
            seen.add(key)
            out.append((role, key, name, accounts.get(key)))
    for person in _volunteers(agreement, now=now):
        if person.email and email_key(person.email) not in seen:
            seen.add(email_key(person.email))
            out.append((EvaluationRole.volunteer, email_key(person.email), person.name, person))
    return out


def _claim(agreement_id: int, today: date) -> bool:
    """Marks the agreement's current review as sent, only if no other tick did: the conditional
    UPDATE is the lock (a second tick at the same moment waits for the row, then changes nothing)."""
    result = db.session.execute(
        update(Agreement).where(Agreement.id == agreement_id, Agreement.status == AgreementStatus.active,
                                Agreement.review_on <= today,
                                or_(Agreement.evaluation_sent_for.is_(None),
                                    Agreement.evaluation_sent_for != Agreement.review_on))
        .values(evaluation_sent_for=Agreement.review_on).execution_options(synchronize_session=False))
    return result.rowcount == 1


def send_evaluations(*, now: datetime) -> int:
    """The tick step `agreement_evaluations`: for every active agreement whose review date has come
    (a Copenhagen calendar day), one survey mail to each person, once per review date. Returns the
    number of people asked."""
    today = local_today(now)
    due = list(db.session.scalars(select(Agreement).where(
        Agreement.status == AgreementStatus.active, Agreement.review_on <= today,
        or_(Agreement.evaluation_sent_for.is_(None), Agreement.evaluation_sent_for != Agreement.review_on))
        .order_by(Agreement.id)))
    asked = 0
    max_age = current_app.config["EVALUATION_MAX_AGE_DAYS"]
    for agreement in due:
        if not due_for_evaluation(active=True, review_on=agreement.review_on,
                                  evaluation_sent_for=agreement.evaluation_sent_for, today=today):
            continue
        if not _claim(agreement.id, today):
            continue
        db.session.refresh(agreement, ["evaluation_sent_for"])
        # A review date moved back to one already evaluated: whoever was asked then is not asked again
        # (and the once-per-date constraint does not roll back every other agreement's survey).
        asked_before = set(db.session.scalars(select(AgreementEvaluation.email).where(
            AgreementEvaluation.agreement_id == agreement.id, AgreementEvaluation.review_on == agreement.review_on)))
        for role, email, name, account in _recipients(agreement, now=now):
            if email in asked_before:
                continue
            token = new_token()
            db.session.add(AgreementEvaluation(agreement_id=agreement.id, review_on=agreement.review_on, role=role,
                                               user_id=account.id if account else None, email=email,
                                               token_hash=hash_token(token), sent_at=now))
            queue_email(email, "agreement_evaluation", locale=account.locale if account else "da",
                        user=account, agreement=agreement, name=name, role=role.value, token=token,
                        max_age_days=max_age)
            asked += 1
        db.session.flush()
    return asked


def evaluation_by_token(token: str, *, now: datetime) -> AgreementEvaluation:
    """The evaluation a link opens; an unknown or expired link is an InvalidToken."""
    if not token or len(token) > 200:
        raise errors.evaluation_link_invalid()
    evaluation = db.session.scalar(select(AgreementEvaluation).where(AgreementEvaluation.token_hash == hash_token(token)))
    if evaluation is None:
        raise errors.evaluation_link_invalid()
    if evaluation.answered_at is None and link_expired(sent_at=evaluation.sent_at, now=now,
                                                       max_age_days=current_app.config["EVALUATION_MAX_AGE_DAYS"]):
        raise errors.evaluation_link_expired()
    return evaluation


def answer_evaluation(evaluation: AgreementEvaluation, *, rating: int, went_well: str | None, to_change: str | None,
                      carry_on: bool, now: datetime) -> AgreementEvaluation:
    """Saves the answers once: a second submit (a double click, the back button) changes nothing."""
    result = db.session.execute(
        update(AgreementEvaluation).where(and_(AgreementEvaluation.id == evaluation.id,
                                               AgreementEvaluation.answered_at.is_(None)))
        .values(answered_at=now, rating=rating, went_well=went_well or None, to_change=to_change or None,
                carry_on=carry_on).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise errors.AlreadyAnswered()
    db.session.flush()
    db.session.refresh(evaluation)
    return evaluation


def forget_person(user: User) -> int:
    """For account deletion (portal/account/services.py): unanswered evaluation links to the person
    are deleted; answered ones keep their answers for the coordinator but lose the address and the
    link to the account. Returns the number of rows touched."""
    addresses = [email_key(a) for a in (user.email, user.pending_email) if a]
    mine = or_(AgreementEvaluation.user_id == user.id, AgreementEvaluation.email.in_(addresses))
    removed = db.session.execute(delete(AgreementEvaluation).where(mine, AgreementEvaluation.answered_at.is_(None))
                                 .execution_options(synchronize_session=False)).rowcount
    kept = list(db.session.scalars(select(AgreementEvaluation).where(mine)))
    for evaluation in kept:
        evaluation.user_id = None
        evaluation.email = f"deleted-{evaluation.id}@invalid"
    db.session.flush()
    return removed + len(kept)
