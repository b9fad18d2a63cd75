"""Read-only questions about stories (the front page, /stories and organisation pages ask them). A
fixed number of statements however many stories there are; a picture's bytes stay in the database."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from portal import access
from portal.extensions import db
from portal.models import Organisation, Story

PER_PAGE = 12
MAX_PAGE = 10_000


def _public_select():
    return (select(Story).join(Organisation, Story.organisation_id == Organisation.id)
            .options(contains_eager(Story.organisation), joinedload(Story.picture))
            .where(access.public_story_clause()))


def latest_public(limit: int = 3) -> list:
    """The newest public stories of approved organisations, with their organisation and picture
    loaded in the same statement, newest first."""
    return list(db.session.scalars(
        _public_select().order_by(Story.published_at.desc(), Story.id.desc()).limit(limit)))


@dataclass
class StoryPage:
    stories: list
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def public_stories(page: int = 1) -> StoryPage:
    """/stories: one page of public stories, newest first (two statements)."""
    total = db.session.scalar(
        select(func.count(Story.id)).join(Organisation, Story.organisation_id == Organisation.id)
        .where(access.public_story_clause())) or 0
    stories = []
    if total > (page - 1) * PER_PAGE:
        stories = list(db.session.scalars(
            _public_select().order_by(Story.published_at.desc(), Story.id.desc())
            .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return StoryPage(stories, total, page)


def organisation_stories(org, *, include_drafts: bool, limit: int = 6) -> list:
    """An organisation's newest stories for its page: public ones for everyone; with `include_drafts`
    (its members and the coordinator), drafts and hidden ones too, drafts first. One statement."""
    query = (select(Story).options(joinedload(Story.picture))
             .where(Story.organisation_id == org.id))
    if not include_drafts:
        query = query.where(Story.published_at.is_not(None), Story.hidden_at.is_(None))
    query = query.order_by(Story.published_at.is_(None).desc(), Story.published_at.desc(), Story.id.desc())
    return list(db.session.scalars(query.limit(limit)))
