"""Read-only questions about agreements: the coordinator's lists, an organisation's own agreements,
the evaluation answers, and what the dashboards ask. Each runs a constant number of queries."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.core.agreements import Summary, local_today, summarise
from portal.extensions import db
from portal.models import (MUNICIPAL_KINDS, Agreement, AgreementEvaluation, AgreementStatus, Organisation,
                           OrganisationStatus, Slot, SlotStatus, Task, TaskKind, TaskStatus, agreement_tasks)

_PARTIES = (joinedload(Agreement.party_a), joinedload(Agreement.party_b))


def _active_agreement_for(task_id_column):
    return exists().where(agreement_tasks.c.task_id == task_id_column,
                          agreement_tasks.c.agreement_id == Agreement.id,
                          Agreement.status == AgreementStatus.active)


def tasks_without_agreement(*, now: datetime, organisation_ids=None, limit: int = 50) -> list:
    """Published tasks of municipal institutions with upcoming times and no active agreement behind
    them, as (task, organisation) pairs, oldest first. `organisation_ids` narrows to some organisations."""
    upcoming = exists().where(Slot.task_id == Task.id, Slot.status == SlotStatus.open, Slot.starts_at >= now)
    query = (select(Task, Organisation).join(Organisation, Organisation.id == Task.organisation_id)
             .where(Organisation.kind.in_(list(MUNICIPAL_KINDS)), Organisation.status == OrganisationStatus.approved,
                    Task.status == TaskStatus.published, or_(Task.kind == TaskKind.ongoing, upcoming),
                    ~_active_agreement_for(Task.id))
             .order_by(Task.created_at, Task.id).limit(limit))
    if organisation_ids is not None:
        query = query.where(Task.organisation_id.in_(list(organisation_ids)))
    return [(task, org) for task, org in db.session.execute(query)]


def agreements_past_review(*, now: datetime, organisation_ids=None) -> list:
    """Active agreements whose review date has passed, as Agreement rows, most overdue first."""
    query = (select(Agreement).options(*_PARTIES)
             .where(Agreement.status == AgreementStatus.active, Agreement.review_on < local_today(now))
             .order_by(Agreement.review_on, Agreement.id))
    if organisation_ids is not None:
        ids = list(organisation_ids)
        query = query.where(or_(Agreement.party_a_id.in_(ids), Agreement.party_b_id.in_(ids)))
    return list(db.session.scalars(query).unique())


_STATUS_ORDER = {AgreementStatus.active: 0, AgreementStatus.draft: 1, AgreementStatus.ended: 2}


def all_agreements() -> list[Agreement]:
    """Every agreement for the coordinator: active first, then drafts, then ended; by review date."""
    rows = list(db.session.scalars(select(Agreement).options(*_PARTIES)
                                   .order_by(Agreement.review_on, Agreement.id)).unique())
    return sorted(rows, key=lambda a: _STATUS_ORDER[a.status])


def of_organisation(org: Organisation) -> list[Agreement]:
    """The agreements an organisation is a party to (drafts included: they are being agreed)."""
    rows = list(db.session.scalars(select(Agreement).options(*_PARTIES)
                                   .where(or_(Agreement.party_a_id == org.id, Agreement.party_b_id == org.id))
                                   .order_by(Agreement.review_on, Agreement.id)).unique())
    return sorted(rows, key=lambda a: _STATUS_ORDER[a.status])


def with_tasks(agreement_id: int) -> Agreement | None:
    return db.session.scalar(select(Agreement).options(*_PARTIES, selectinload(Agreement.tasks).joinedload(
        Task.organisation)).where(Agreement.id == agreement_id))


def evaluation_rounds(agreement: Agreement, *, with_answers: bool) -> list[dict]:
    """One entry per review date, newest first: {review_on, summary, answers}. `answers` (the
    answered evaluations, for the coordinator only) is empty unless `with_answers`."""
    rows = list(db.session.scalars(select(AgreementEvaluation).where(AgreementEvaluation.agreement_id == agreement.id)
                                   .order_by(AgreementEvaluation.review_on.desc(), AgreementEvaluation.answered_at,
                                             AgreementEvaluation.id)))
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[row.review_on].append(row)
    rounds = []
    for review_on, items in grouped.items():
        summary: Summary = summarise((e.answered_at is not None, e.rating, e.carry_on) for e in items)
        answers = [e for e in items if e.answered_at is not None] if with_answers else []
        rounds.append({"review_on": review_on, "summary": summary, "answers": answers})
    return rounds


def task_choices(organisation_ids) -> list[tuple[Task, Organisation]]:
    """The tasks an agreement between these organisations can link (closed ones left out)."""
    ids = [i for i in organisation_ids if i is not None]
    if not ids:
        return []
    return [(t, o) for t, o in db.session.execute(
        select(Task, Organisation).join(Organisation, Organisation.id == Task.organisation_id)
        .where(Task.organisation_id.in_(ids), Task.status != TaskStatus.closed)
        .order_by(Organisation.name, Task.title, Task.id))]


def approved_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(Organisation.status == OrganisationStatus.approved)
                                   .order_by(Organisation.name)))


def answered_counts(agreement_ids) -> dict[int, tuple[int, int]]:
    """{agreement id: (asked, answered)} for a list page, in one query."""
    ids = list(agreement_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(AgreementEvaluation.agreement_id, func.count(AgreementEvaluation.id),
                                     func.count(AgreementEvaluation.answered_at))
                              .where(AgreementEvaluation.agreement_id.in_(ids))
                              .group_by(AgreementEvaluation.agreement_id))
    return {a: (n, k) for a, n, k in rows}


__all__ = ["tasks_without_agreement", "agreements_past_review", "all_agreements", "of_organisation", "with_tasks",
           "evaluation_rounds", "task_choices", "approved_organisations", "answered_counts"]
