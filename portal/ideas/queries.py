"""Read-only listings of the ideas box: the public list and what an idea page shows. A fixed
number of statements however many ideas, comments or supporters there are."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, defer, joinedload

from portal import access
from portal.extensions import db
from portal.models import (Category, Idea, IdeaComment, IdeaState, Membership, MembershipStatus, Organisation)

PER_PAGE = 24
MAX_PAGE = 10_000
SORTS = ("newest", "supported")


@dataclass
class IdeaPage:
    ideas: list
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def public_ideas(*, state: IdeaState | None = None, category_id: int | None = None, sort: str = "newest",
                 page: int = 1) -> IdeaPage:
    """Published ideas that are not hidden. The picture's bytes stay in the database."""
    where = [access.public_idea_clause()]
    if state is not None:
        where.append(Idea.state == state)
    if category_id is not None:
        where.append(Idea.category_id == category_id)
    total = db.session.scalar(select(func.count(Idea.id)).where(*where)) or 0
    ideas = []
    if total > (page - 1) * PER_PAGE:
        order = ((Idea.support_count.desc(), Idea.published_at.desc(), Idea.id.desc()) if sort == "supported"
                 else (Idea.published_at.desc(), Idea.id.desc()))
        ideas = list(db.session.scalars(
            select(Idea).outerjoin(Category, Idea.category_id == Category.id)
            .options(contains_eager(Idea.category), defer(Idea.picture), defer(Idea.draft_answer))
            .where(*where).order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return IdeaPage(ideas, total, page)


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).where(Category.active.is_(True))
                                   .order_by(Category.sort_order, Category.id)))


@dataclass
class CommentRow:
    comment: IdeaComment
    name: str
    role: str | None          # "author", "municipality", "staff" or None
    hidden_for_me: bool = False


def comments(idea: Idea, viewer) -> list[CommentRow]:
    """Oldest first. A hidden comment is shown only to its author (with the reason) and to the
    coordinator; everyone else does not see it at all."""
    from portal.ideas.services import first_name

    rows = list(db.session.scalars(
        select(IdeaComment).options(joinedload(IdeaComment.author))
        .where(IdeaComment.idea_id == idea.id).order_by(IdeaComment.created_at, IdeaComment.id)))
    viewer_id = viewer.id if getattr(viewer, "is_authenticated", False) else None
    coordinator = access.is_coordinator(viewer)
    author_ids = {c.author_id for c in rows if c.author_id is not None}
    staff_ids = set()
    if author_ids:
        staff_ids = set(db.session.scalars(
            select(Membership.user_id).join(Organisation)
            .where(Membership.user_id.in_(author_ids), Membership.status == MembershipStatus.approved,
                   access.public_organisation_clause())))
    out = []
    for c in rows:
        mine = viewer_id is not None and c.author_id == viewer_id
        if c.hidden_at is not None and not (mine or coordinator):
            continue
        role = None
        if c.author is not None:
            if c.author.is_coordinator:
                role = "municipality"
            elif idea.author_id is not None and c.author_id == idea.author_id:
                role = "author"
            elif c.author_id in staff_ids:
                role = "staff"
        name = first_name(c.author.name) if c.author is not None else None
        out.append(CommentRow(c, name or "", role, hidden_for_me=c.hidden_at is not None))
    return out


def public_idea_ids_after(after_id: int | None, limit: int, *, state: IdeaState | None = None):
    """For the API: public ideas by id."""
    where = [access.public_idea_clause()]
    if after_id is not None:
        where.append(Idea.id > after_id)
    if state is not None:
        where.append(Idea.state == state)
    return list(db.session.scalars(
        select(Idea).outerjoin(Category, Idea.category_id == Category.id)
        .options(contains_eager(Idea.category), defer(Idea.picture))
        .where(*where).order_by(Idea.id).limit(limit + 1)))



def ideas_of(user, *, limit: int = 10) -> list[tuple[Idea, bool]]:
    """For "Min side": the ideas a person wrote or offered to help with, newest first, each with
    whether they wrote it. One statement."""
    from sqlalchemy import or_, select

    from portal.extensions import db
    from portal.models import HelpPledge

    pledged = select(HelpPledge.idea_id).where(HelpPledge.user_id == user.id)
    rows = db.session.scalars(select(Idea).where(or_(Idea.author_id == user.id, Idea.id.in_(pledged)))
                              .order_by(Idea.created_at.desc(), Idea.id.desc()).limit(limit)).all()
    return [(idea, idea.author_id == user.id) for idea in rows]
