"""The displacement check (fortrængningstjek): a municipal institution answers four questions before
a task is published; any "yes" sends it to the coordinator, who approves, approves with changes or
declines with a reason. Every answer and decision is a row: the log for the annual account and the
MED committee. The published list of what volunteers do not do (ExcludedDuty) is kept here too.

Services flush; the caller commits (design.md, house rule 3)."""

import hashlib
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.core.displacement import Answers, needs_review
from portal.displacement.errors import error_messages
from portal.errors import DomainError, InvalidState
from portal.extensions import db
from portal.models import (DisplacementReview, ExcludedDuty, Membership, MembershipStatus, ReviewStatus, Task,
                           TaskStatus, User)
from portal.outbox import queue_email

DECISIONS = ("approve", "approve_with_changes", "decline")


class AlreadyDecided(InvalidState):
    """Two coordinators at once: the other one's decision stands."""


def pending_review(task: Task) -> DisplacementReview | None:
    return db.session.scalar(select(DisplacementReview).where(
        DisplacementReview.task_id == task.id, DisplacementReview.status == ReviewStatus.pending))


def latest_review(task: Task) -> DisplacementReview | None:
    return db.session.scalar(select(DisplacementReview).where(DisplacementReview.task_id == task.id)
                             .order_by(DisplacementReview.created_at.desc(), DisplacementReview.id.desc()).limit(1))


def _coordinators() -> list[User]:
    return list(db.session.scalars(select(User).where(User.is_coordinator.is_(True)).order_by(User.id)))


def _members(org_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == org_id, Membership.status == MembershipStatus.approved)
        .order_by(User.id)))


def create_checked_task(answers: Answers, org, author, **fields) -> Task:
    """A task created with the institution's answers given at once (imports, demo data): all "no"
    publishes it, any "yes" leaves it waiting for the coordinator."""
    from portal.tasks.services import create_task

    task = create_task(org, author, **fields)
    if fields.get("publish") and org.is_municipal:
        submit_check(task, author, answers, now=fields["now"])
    return task


def submit_check(task: Task, user: User | None, answers: Answers, *, now: datetime) -> DisplacementReview:
    """The institution's answers. All "no": the task is published now and the answers kept as an
    approved review nobody had to decide. Any "yes": a pending review, the task stays a draft and the
    coordinators are told. A double click cannot queue two (a partial unique index backs this)."""
    from portal.tasks.services import publish_task

    if not task.organisation.is_municipal:
        raise InvalidState(error_messages["not_municipal"])
    if task.status is TaskStatus.published:
        raise InvalidState(error_messages["already_published"])
    if task.status is TaskStatus.closed:
        raise InvalidState(error_messages["task_closed"])
    if pending_review(task) is not None:
        raise InvalidState(error_messages["already_waiting"])
    if answers.needs_explanation:
        raise DomainError(error_messages["explain"], field="explanation")
    waits = needs_review(answers)
    review = DisplacementReview(
        task_id=task.id, organisation_id=task.organisation_id,
        paid_staff_do_it=answers.paid_staff_do_it, regulated_work=answers.regulated_work,
        on_excluded_list=answers.on_excluded_list, other_concern=answers.other_concern,
        explanation=answers.explanation.strip() or None, title_submitted=task.title,
        description_submitted=task.description,
        status=ReviewStatus.pending if waits else ReviewStatus.approved,
        decided_at=None if waits else now, submitted_by_id=getattr(user, "id", None), created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(review)
    except IntegrityError:
        # A double click: the other request queued the review first.
        raise InvalidState(error_messages["already_waiting"]) from None
    if not waits:
        publish_task(task, user, now=now)
        return review
    for coordinator in _coordinators():
        queue_email(coordinator.email, "displacement_to_review", locale=coordinator.locale, user=coordinator,
                    review=review, task=task, organisation=task.organisation)
    return review


def text_seen(task: Task) -> str:
    """A fingerprint of the task's text as the coordinator read it on the review page."""
    return hashlib.sha256(f"{task.title}\0{task.description}".encode()).hexdigest()[:20]


def decide(review: DisplacementReview, coordinator: User, decision: str, *, now: datetime, note: str = "",
           title: str | None = None, description: str | None = None, seen: str | None = None) -> DisplacementReview:
    """Approve (publishes the task), approve with changes (the coordinator's title and description
    replace the institution's, with a note on what changed and why; publishes) or decline with a
    reason (the task stays a draft). Two coordinators at once: the conditional UPDATE lets one win;
    the other gets AlreadyDecided and their request rolls back."""
    from portal.tasks.services import publish_task

    if decision not in DECISIONS:
        raise InvalidState(error_messages["already_decided"])
    note = (note or "").strip()
    task = review.task
    status = {"approve": ReviewStatus.approved, "approve_with_changes": ReviewStatus.approved_with_changes,
              "decline": ReviewStatus.declined}[decision]
    if decision == "approve" and seen is not None and seen != text_seen(task):
        # The institution changed the text after the coordinator opened the page.
        raise DomainError(error_messages["changed_meanwhile"])
    if decision == "decline" and not note:
        raise DomainError(error_messages["reason_needed"], field="reason")
    if decision == "approve_with_changes":
        if not note:
            raise DomainError(error_messages["changes_needed"], field="note")
        if (title or "").strip() == task.title and (description or "").strip() == task.description:
            raise DomainError(error_messages["nothing_changed"], field="title")
    won = db.session.execute(
        update(DisplacementReview)
        .where(DisplacementReview.id == review.id, DisplacementReview.status == ReviewStatus.pending)
        .values(status=status, decided_by_id=coordinator.id, decided_at=now, decision_note=note or None)
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        raise AlreadyDecided(error_messages["already_decided"])
    db.session.refresh(review)
    before = {"status": "pending", "task_status": task.status.value, "title": task.title}
    if decision == "approve_with_changes":
        task.title, task.description = title.strip(), description.strip()
        db.session.flush()
    if status is not ReviewStatus.declined and task.status is not TaskStatus.closed:
        publish_task(task, coordinator, now=now)
    audit.record(coordinator, "displacement_decided", obj=review, organisation=review.organisation,
                 summary=f"{task.title}: {status.value}"[:300], before=before,
                 after={"status": status.value, "task_status": task.status.value, "title": task.title,
                        "note": note or None}, now=now)
    for member in _members(review.organisation_id):
        queue_email(member.email, "displacement_decided", locale=member.locale, user=member, review=review,
                    task=task, organisation=review.organisation)
    return review


# --- what volunteers do not do ----------------------------------------------------------------------

def active_duties() -> list[ExcludedDuty]:
    return list(db.session.scalars(select(ExcludedDuty).where(ExcludedDuty.active.is_(True))
                                   .order_by(ExcludedDuty.sort_order, ExcludedDuty.id)))


def all_duties() -> list[ExcludedDuty]:
    return list(db.session.scalars(select(ExcludedDuty)
                                   .order_by(ExcludedDuty.active.desc(), ExcludedDuty.sort_order, ExcludedDuty.id)))


def add_duty(*, text_da: str, text_en: str, sort_order: int | None = None) -> ExcludedDuty:
    if sort_order is None:
        last = db.session.scalar(select(ExcludedDuty.sort_order).order_by(ExcludedDuty.sort_order.desc()).limit(1))
        sort_order = (last or 0) + 10
    duty = ExcludedDuty(text_da=text_da.strip(), text_en=text_en.strip(), sort_order=sort_order, active=True)
    db.session.add(duty)
    db.session.flush()
    return duty


def update_duty(duty: ExcludedDuty, *, text_da: str, text_en: str, sort_order: int, active: bool) -> None:
    duty.text_da, duty.text_en = text_da.strip(), text_en.strip()
    duty.sort_order, duty.active = sort_order, bool(active)
    db.session.flush()
