"""Read-only listings of the displacement reviews: the coordinator's queue, the log export and the
count on the coordinator's page. Each is one query, however many reviews there are."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased, joinedload

from portal.core.timeutil import to_utc
from portal.extensions import db
from portal.models import DisplacementReview, ReviewStatus, User

QUEUE_LIMIT = 200
STATUS_FILTERS = ("all", "pending", "decided")


def waiting_count() -> int:
    return db.session.scalar(select(func.count(DisplacementReview.id))
                             .where(DisplacementReview.status == ReviewStatus.pending)) or 0


def _in_period(query, first: date | None, last: date | None):
    if first is not None:
        query = query.where(DisplacementReview.created_at >= to_utc(first, time(0)))
    if last is not None:
        query = query.where(DisplacementReview.created_at < to_utc(last + timedelta(days=1), time(0)))
    return query


def queue(*, status: str = "all", first: date | None = None, last: date | None = None,
          limit: int = QUEUE_LIMIT) -> list[DisplacementReview]:
    """Pending first (oldest first: they have waited longest), then decided (newest first)."""
    query = select(DisplacementReview).options(joinedload(DisplacementReview.organisation),
                                                joinedload(DisplacementReview.task))
    if status == "pending":
        query = query.where(DisplacementReview.status == ReviewStatus.pending)
    elif status == "decided":
        query = query.where(DisplacementReview.status != ReviewStatus.pending)
    pending_first = case((DisplacementReview.status == ReviewStatus.pending, 0), else_=1)
    # Pending oldest first; decided newest first (a sortable number of the time, negated).
    age = case((DisplacementReview.status == ReviewStatus.pending, DisplacementReview.id),
               else_=-DisplacementReview.id)
    query = _in_period(query, first, last).order_by(pending_first, age).limit(limit)
    return list(db.session.scalars(query).unique())


def log_rows(*, first: date | None, last: date | None) -> list[tuple[DisplacementReview, str | None]]:
    """Every review of the period with the name of whoever decided, oldest first."""
    decider = aliased(User)
    query = (select(DisplacementReview, decider.name)
             .outerjoin(decider, decider.id == DisplacementReview.decided_by_id)
             .options(joinedload(DisplacementReview.organisation), joinedload(DisplacementReview.task))
             .order_by(DisplacementReview.created_at, DisplacementReview.id))
    return [(review, name) for review, name in db.session.execute(_in_period(query, first, last)).unique()]


def decider_name(review: DisplacementReview) -> str | None:
    if review.decided_by_id is None:
        return None
    return db.session.scalar(select(User.name).where(User.id == review.decided_by_id))


def first_review_at() -> datetime | None:
    return db.session.scalar(select(func.min(DisplacementReview.created_at)))
