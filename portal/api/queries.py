"""The open data API's reads: only what anyone may see, by the same rule as the public pages
(portal.access), one keyset page at a time. Each function runs one or two statements whatever
the size of the data; a page asks for one row more than it shows, to know whether another follows."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import contains_eager, defer, joinedload, selectinload

from portal.access import public_company_clause, public_idea_clause, public_organisation_clause, public_task_clause
from portal.extensions import db
from portal.models import (Category, Company, CompanySupport, Idea, IdeaState, Organisation, Slot, SlotStatus,
                           SupportKind, Task, TaskKind)


@dataclass
class Page:
    items: list
    has_more: bool


def _page(statement, limit: int) -> Page:
    rows = list(db.session.scalars(statement.limit(limit + 1)))
    return Page(rows[:limit], len(rows) > limit)


def _tasks():
    return (select(Task).join(Task.organisation).join(Task.category)
            .options(contains_eager(Task.organisation), contains_eager(Task.category))
            .where(public_task_clause()))


def public_tasks(*, limit: int, after_id: int | None = None, organisation: str | None = None,
                 category: str | None = None, kind: str | None = None) -> Page:
    statement = _tasks()
    if after_id is not None:
        statement = statement.where(Task.id > after_id)
    if organisation:
        statement = statement.where(Organisation.slug == organisation)
    if category:
        statement = statement.where(Category.slug == category)
    if kind:
        statement = statement.where(Task.kind == TaskKind(kind))
    return _page(statement.order_by(Task.id), limit)


def public_task(task_id: int) -> Task | None:
    return db.session.scalar(_tasks().where(Task.id == task_id))


def _open_times(now: datetime):
    """Open times of public tasks that have not started yet."""
    return (select(Slot).join(Slot.task).join(Task.organisation)
            .options(contains_eager(Slot.task).contains_eager(Task.organisation))
            .where(public_task_clause(), Slot.status == SlotStatus.open, Slot.starts_at >= now))


def next_times(task: Task, *, now: datetime, limit: int) -> list[Slot]:
    return list(db.session.scalars(select(Slot).where(Slot.task_id == task.id, Slot.status == SlotStatus.open,
                                                      Slot.starts_at >= now)
                                   .order_by(Slot.starts_at, Slot.id).limit(limit)))


def public_times(*, now: datetime, start: datetime, end: datetime | None, limit: int,
                 after: tuple[datetime, int] | None = None, task_id: int | None = None,
                 organisation: str | None = None) -> Page:
    """Upcoming open times in [start, end), ordered by (starts_at, id): the keyset."""
    statement = _open_times(now).where(Slot.starts_at >= start)
    if end is not None:
        statement = statement.where(Slot.starts_at < end)
    if after is not None:
        starts_at, slot_id = after
        statement = statement.where(or_(Slot.starts_at > starts_at,
                                        and_(Slot.starts_at == starts_at, Slot.id > slot_id)))
    if task_id is not None:
        statement = statement.where(Slot.task_id == task_id)
    if organisation:
        statement = statement.where(Organisation.slug == organisation)
    return _page(statement.order_by(Slot.starts_at, Slot.id), limit)


def public_organisations(*, limit: int, after_id: int | None = None) -> Page:
    statement = select(Organisation).where(public_organisation_clause())
    if after_id is not None:
        statement = statement.where(Organisation.id > after_id)
    return _page(statement.order_by(Organisation.id), limit)


def public_organisation(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(public_organisation_clause(), Organisation.slug == slug))


def _companies():
    # Three statements a page whatever its size: the companies, their kinds of support, their skills
    # (the policy is one-to-one and joined).
    return (select(Company).where(public_company_clause())
            .options(selectinload(Company.supports), selectinload(Company.skills), selectinload(Company.policy)))


def public_companies(*, limit: int, after_id: int | None = None, support: str | None = None) -> Page:
    statement = _companies()
    if after_id is not None:
        statement = statement.where(Company.id > after_id)
    if support:
        statement = statement.where(Company.id.in_(select(CompanySupport.company_id)
                                                   .where(CompanySupport.kind == SupportKind(support))))
    return _page(statement.order_by(Company.id), limit)


def public_company(slug: str) -> Company | None:
    return db.session.scalar(_companies().where(Company.slug == slug))


def _ideas():
    # The picture's bytes stay in the database (the answer links to them); the author is joined for
    # the name the page shows, the category for its names.
    return (select(Idea).outerjoin(Category, Idea.category_id == Category.id)
            .options(contains_eager(Idea.category), joinedload(Idea.author), defer(Idea.picture),
                     defer(Idea.draft_answer), defer(Idea.draft_link))
            .where(public_idea_clause()))


def public_ideas(*, limit: int, after_id: int | None = None, state: str | None = None,
                 category: str | None = None) -> Page:
    statement = _ideas()
    if after_id is not None:
        statement = statement.where(Idea.id > after_id)
    if state:
        statement = statement.where(Idea.state == IdeaState(state))
    if category:
        statement = statement.where(Category.slug == category)
    return _page(statement.order_by(Idea.id), limit)


def public_idea(idea_id: int) -> Idea | None:
    """One public idea with its corrections and, if it became one, its task (when public)."""
    return db.session.scalar(_ideas().options(selectinload(Idea.corrections),
                                              selectinload(Idea.task).joinedload(Task.organisation))
                             .where(Idea.id == idea_id))
