"""Read-only listings for the help pages. Each list page needs a fixed number of queries,
whatever the number of rows (organisations are loaded with their rows)."""

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from portal import access
from portal.extensions import db
from portal.models import (HelpKind, HelpOffer, HelpRequest, HelpRequestStatus, Membership, MembershipStatus,
                           Organisation, OrganisationStatus)

KIND_ORDER = list(HelpKind)
PER_PAGE = 50
MAX_PAGE = 10_000


def offers_by_kind() -> list[tuple[HelpKind, list[HelpOffer]]]:
    """The active offers of approved organisations, grouped by kind in a fixed order; kinds
    nobody offers are left out."""
    offers = db.session.scalars(
        select(HelpOffer).join(Organisation).options(contains_eager(HelpOffer.organisation))
        .where(HelpOffer.active.is_(True), access.public_organisation_clause())
        .order_by(Organisation.name, HelpOffer.title, HelpOffer.id))
    grouped: dict[HelpKind, list[HelpOffer]] = {}
    for offer in offers:
        grouped.setdefault(offer.kind, []).append(offer)
    return [(kind, grouped[kind]) for kind in KIND_ORDER if kind in grouped]


def offers_of(org: Organisation) -> list[HelpOffer]:
    """An organisation's own offers, active ones first."""
    return list(db.session.scalars(select(HelpOffer).where(HelpOffer.organisation_id == org.id)
                                   .order_by(HelpOffer.active.desc(), HelpOffer.title, HelpOffer.id)))


def my_organisations(user) -> list[Organisation]:
    """The organisations `user` may keep offers for (approved membership), by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Organisation).join(Membership).where(Membership.user_id == user.id,
                                                    Membership.status == MembershipStatus.approved,
                                                    Organisation.status != OrganisationStatus.rejected)
        .order_by(Organisation.name)))


# --- the coordinator's queue ------------------------------------------------------------------

_STATUS_ORDER = case((HelpRequest.status == HelpRequestStatus.new, 0),
                     (HelpRequest.status == HelpRequestStatus.passed, 1),
                     (HelpRequest.status == HelpRequestStatus.accepted, 2), else_=3)


def call_list_clause():
    """SQL: requests whose citizen has no e-mail and must be phoned about what happened."""
    return (HelpRequest.email.is_(None) & HelpRequest.citizen_told_at.is_(None)
            & HelpRequest.status.in_((HelpRequestStatus.accepted, HelpRequestStatus.closed)))


@dataclass(frozen=True)
class RequestPage:
    requests: list[HelpRequest]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def _page_of(query, order, page: int) -> RequestPage:
    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(HelpRequest.id).subquery()))
    rows = list(db.session.scalars(query.options(joinedload(HelpRequest.organisation)).order_by(*order)
                                   .limit(PER_PAGE).offset((page - 1) * PER_PAGE))) if total else []
    return RequestPage(rows, total, page)


def queue(view: str, *, page: int = 1) -> RequestPage:
    """`open`: new requests first (the longest waiting on top), then passed, then accepted;
    `closed`: the latest closed first; `call`: the citizens to phone, the oldest news first."""
    query = select(HelpRequest)
    if view == "closed":
        return _page_of(query.where(HelpRequest.status == HelpRequestStatus.closed),
                        (HelpRequest.closed_at.desc(), HelpRequest.id.desc()), page)
    if view == "call":
        return _page_of(query.where(call_list_clause()),
                        (HelpRequest.updated_at, HelpRequest.id), page)
    return _page_of(query.where(HelpRequest.status != HelpRequestStatus.closed),
                    (_STATUS_ORDER, HelpRequest.created_at, HelpRequest.id), page)


def queue_counts() -> dict[str, int]:
    """How many are new and how many citizens are to be phoned, for the coordinator's links."""
    new = func.count(HelpRequest.id).filter(HelpRequest.status == HelpRequestStatus.new)
    call = func.count(HelpRequest.id).filter(call_list_clause())
    row = db.session.execute(select(new, call)).one()
    return {"new": row[0], "call": row[1]}


def organisation_requests(org: Organisation) -> list[HelpRequest]:
    """The requests passed to or accepted by `org`: waiting for its answer first."""
    return list(db.session.scalars(
        select(HelpRequest).where(HelpRequest.organisation_id == org.id,
                                  HelpRequest.status.in_((HelpRequestStatus.passed, HelpRequestStatus.accepted)))
        .order_by(_STATUS_ORDER, HelpRequest.passed_at.desc(), HelpRequest.id.desc())))


def candidate_organisations(kind: HelpKind) -> tuple[list[Organisation], list[Organisation]]:
    """Approved organisations with an active offer of `kind`, then every other approved one."""
    offering = select(HelpOffer.organisation_id).where(HelpOffer.kind == kind, HelpOffer.active.is_(True))
    approved = list(db.session.scalars(select(Organisation).where(access.public_organisation_clause())
                                       .order_by(Organisation.name)))
    fitting_ids = set(db.session.scalars(offering))
    return [o for o in approved if o.id in fitting_ids], [o for o in approved if o.id not in fitting_ids]
