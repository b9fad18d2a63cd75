"""The frivilligbørs' rules: offers, wishes, deals and their follow-up."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import contains_eager, joinedload

from portal import access
from portal.core import exchange as rules
from portal.core.timeutil import to_local
from portal.errors import InvalidState, NotAllowed
from portal.exchange import errors
from portal.extensions import db
from portal.models import (Company, CompanyMembership, CompanyStatus, Deal, DealSide, DealStatus,
                           ExchangeStatus, Membership, MembershipRole, MembershipStatus, Offer, Organisation,
                           OrganisationStatus, SupportKind, User, Wish)
from portal.organisations.services import coordinators
from portal.outbox import queue_email

# A deal both sides said yes to; from then on it is a partnership agreement.
AGREED = (DealStatus.agreed, DealStatus.done, DealStatus.evaluated)


def partners_of(company) -> list[Organisation]:
    """The approved organisations `company` has a partnership agreement with, by name."""
    return list(db.session.scalars(
        select(Organisation).where(
            Organisation.id.in_(select(Deal.organisation_id).where(Deal.company_id == company.id,
                                                                   Deal.status.in_(AGREED))),
            Organisation.status == OrganisationStatus.approved)
        .order_by(Organisation.name)))


# --- the public børs ------------------------------------------------------------------------

# A page of offers and one of wishes: the børs weighs the same with ten posts or ten thousand.
PER_PAGE = 20
MAX_PAGE = 10_000
SIDES = ("offers", "wishes")


@dataclass(frozen=True)
class ExchangePage:
    offers: list[Offer]
    wishes: list[Wish]
    offer_total: int
    wish_total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-max(self.offer_total, self.wish_total) // PER_PAGE))


def listing(*, kind: SupportKind | None = None, side: str | None = None, page: int = 1) -> ExchangePage:
    """Open offers of approved companies and open wishes of approved organisations, newest first."""
    offers, wishes, offer_total, wish_total = [], [], 0, 0
    if side in (None, "offers"):
        where = [Offer.status == ExchangeStatus.open, access.public_company_clause()]
        if kind is not None:
            where.append(Offer.kind == kind)
        offer_total = db.session.scalar(select(func.count(Offer.id)).join(Company).where(*where))
        if offer_total > (page - 1) * PER_PAGE:
            offers = list(db.session.scalars(
                select(Offer).join(Company).options(contains_eager(Offer.company)).where(*where)
                .order_by(Offer.created_at.desc(), Offer.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    if side in (None, "wishes"):
        where = [Wish.status == ExchangeStatus.open, access.public_organisation_clause()]
        if kind is not None:
            where.append(Wish.kind == kind)
        wish_total = db.session.scalar(select(func.count(Wish.id)).join(Organisation).where(*where))
        if wish_total > (page - 1) * PER_PAGE:
            wishes = list(db.session.scalars(
                select(Wish).join(Organisation).options(contains_eager(Wish.organisation)).where(*where)
                .order_by(Wish.created_at.desc(), Wish.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return ExchangePage(offers, wishes, offer_total, wish_total, page)


def may_see_offer(user, offer: Offer) -> bool:
    if offer.status is ExchangeStatus.open and offer.company.status is CompanyStatus.approved:
        return True
    return access.is_coordinator(user) or access.is_company_admin(user, offer.company)


def may_see_wish(user, wish: Wish) -> bool:
    if wish.status is ExchangeStatus.open and wish.organisation.status is OrganisationStatus.approved:
        return True
    return access.is_coordinator(user) or access.is_member(user, wish.organisation)


# --- posting offers and wishes --------------------------------------------------------------

def _no_money(**texts) -> None:
    for field, text in texts.items():
        if rules.mentions_money(text):
            raise errors.money(field)


def post_offer(company: Company, user: User, *, kind: str, title: str, description: str,
               now: datetime) -> Offer:
    if company.status is not CompanyStatus.approved:
        raise InvalidState(_l("Your company can post offers once the volunteer coordinator has approved it."))
    _no_money(title=title, description=description)
    offer = Offer(company_id=company.id, kind=SupportKind(kind), title=title, description=description,
                  created_by_id=user.id, created_at=now, updated_at=now)
    db.session.add(offer)
    db.session.flush()
    return offer


def update_post(post: Offer | Wish, *, kind: str, title: str, description: str) -> None:
    """An offer or a wish changed by its own side: the same three fields and the same rule."""
    _no_money(title=title, description=description)
    post.kind, post.title, post.description = SupportKind(kind), title, description
    db.session.flush()


def post_wish(org: Organisation, user: User, *, kind: str, title: str, description: str,
              now: datetime) -> Wish:
    if org.status is not OrganisationStatus.approved:
        raise InvalidState(_l("Your organisation can post wishes once the volunteer coordinator has approved it."))
    _no_money(title=title, description=description)
    wish = Wish(organisation_id=org.id, kind=SupportKind(kind), title=title, description=description,
                created_by_id=user.id, created_at=now, updated_at=now)
    db.session.add(wish)
    db.session.flush()
    return wish



def set_open(post: Offer | Wish, is_open: bool) -> None:
    """Closes (or opens again) an offer or a wish; deals already made stay as they are."""
    post.status = ExchangeStatus.open if is_open else ExchangeStatus.closed
    db.session.flush()


# --- who acts for whom ----------------------------------------------------------------------

def my_companies(user) -> list[Company]:
    """The approved companies `user` administers: the ones they may post and propose for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Company).join(CompanyMembership).where(CompanyMembership.user_id == user.id,
                                                      CompanyMembership.removed_at.is_(None),
                                                      Company.status == CompanyStatus.approved)
        .order_by(Company.name)))


def my_organisations(user) -> list[Organisation]:
    """The approved organisations `user` is a member of (access.may_manage)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Organisation).join(Membership).where(Membership.user_id == user.id,
                                                    Membership.status == MembershipStatus.approved,
                                                    Organisation.status == OrganisationStatus.approved)
        .order_by(Organisation.name)))


def sides_of(user, deal: Deal) -> set[str]:
    """The parties of `deal` that `user` acts for: "company", "organisation", both or none."""
    sides = set()
    if access.is_company_admin(user, deal.company):
        sides.add(rules.COMPANY)
    if access.may_manage(user, deal.organisation):
        sides.add(rules.ORGANISATION)
    return sides


def may_see_deal(user, deal: Deal) -> bool:
    return access.is_coordinator(user) or bool(sides_of(user, deal))


def company_contacts(company: Company) -> list[User]:
    return list(db.session.scalars(
        select(User).join(CompanyMembership, CompanyMembership.user_id == User.id)
        .where(CompanyMembership.company_id == company.id, CompanyMembership.removed_at.is_(None))
        .order_by(User.id)))


def organisation_contacts(org: Organisation) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == org.id, Membership.status == MembershipStatus.approved,
               Membership.role == MembershipRole.admin)
        .order_by(User.id)))


def _contacts(deal: Deal, side: str) -> list[User]:
    return company_contacts(deal.company) if side == rules.COMPANY else organisation_contacts(deal.organisation)


def _mail(people, template: str, deal: Deal, **context) -> int:
    seen = set()
    for person in people:
        if person.email in seen:
            continue
        seen.add(person.email)
        queue_email(person.email, template, locale=person.locale, user=person, deal=deal,
                    company=deal.company, organisation=deal.organisation, **context)
    return len(seen)


# --- deals ----------------------------------------------------------------------------------

def propose_deal(user: User, *, side: str, company: Company, organisation: Organisation, company_gives: str,
                 organisation_gives: str, follow_up_on: date, now: datetime, offer: Offer | None = None,
                 wish: Wish | None = None) -> Deal:
    """`user`, acting for `side` ("company" or "organisation"), proposes a partnership to the
    other party, who is told by e-mail and answers."""
    acts = access.is_company_admin(user, company) if side == rules.COMPANY else access.may_manage(user, organisation)
    if not acts:
        raise NotAllowed()
    if company.status is not CompanyStatus.approved or organisation.status is not OrganisationStatus.approved:
        raise errors.party_not_open()
    if (offer is not None and (offer.company_id != company.id or offer.status is not ExchangeStatus.open)) or \
            (wish is not None and (wish.organisation_id != organisation.id or wish.status is not ExchangeStatus.open)):
        raise errors.closed()
    _no_money(company_gives=company_gives, organisation_gives=organisation_gives)
    problem = rules.follow_up_problem(follow_up_on, today=to_local(now).date())
    if problem == "past":
        raise errors.follow_up_past()
    if problem == "far":
        raise errors.follow_up_far()
    deal = Deal(company_id=company.id, organisation_id=organisation.id,
                offer_id=offer.id if offer else None, wish_id=wish.id if wish else None,
                proposed_by=DealSide(side), proposed_by_user_id=user.id, company_gives=company_gives,
                organisation_gives=organisation_gives, follow_up_on=follow_up_on, status=DealStatus.proposed,
                created_at=now, updated_at=now)
    db.session.add(deal)
    db.session.flush()
    _mail(_contacts(deal, rules.other_side(side)), "deal_proposed", deal, proposer=user)
    return deal


def _move(deal: Deal, user: User, action: rules.Action, *, now: datetime, **values) -> Deal:
    sides = sides_of(user, deal)
    if not sides:
        raise errors.not_a_party()
    if not rules.may(action, status=deal.status.value, proposed_by=deal.proposed_by.value, sides=sides):
        # The right moment but the wrong side (answering one's own proposal) is refused; the wrong
        # moment means the deal moved on since the page was shown.
        raise NotAllowed() if deal.status.value == rules.starts_from(action) else errors.not_now()
    start = DealStatus(rules.starts_from(action))
    # Conditional: if the other side answered or withdrew a moment ago, this changes nothing.
    moved = db.session.execute(
        update(Deal).where(Deal.id == deal.id, Deal.status == start)
        .values(status=DealStatus(rules.result(action)), updated_at=now, **values)
        .execution_options(synchronize_session=False))
    if not moved.rowcount:
        raise errors.not_now()
    db.session.refresh(deal)
    return deal


def accept(deal: Deal, user: User, *, now: datetime) -> Deal:
    _move(deal, user, rules.Action.accept, now=now, decided_by_id=user.id, decided_at=now)
    _mail(_contacts(deal, deal.proposed_by.value), "deal_accepted", deal, answerer=user)
    return deal


def decline(deal: Deal, user: User, *, now: datetime) -> Deal:
    _move(deal, user, rules.Action.decline, now=now, decided_by_id=user.id, decided_at=now)
    _mail(_contacts(deal, deal.proposed_by.value), "deal_declined", deal, answerer=user)
    return deal


def withdraw(deal: Deal, user: User, *, now: datetime) -> Deal:
    _move(deal, user, rules.Action.withdraw, now=now, decided_by_id=user.id, decided_at=now)
    _mail(_contacts(deal, rules.other_side(deal.proposed_by.value)), "deal_withdrawn", deal)
    return deal


def mark_done(deal: Deal, user: User, *, now: datetime) -> Deal:
    return _move(deal, user, rules.Action.mark_done, now=now, done_at=now)


def evaluate(deal: Deal, user: User, *, evaluation: str, now: datetime) -> Deal:
    return _move(deal, user, rules.Action.evaluate, now=now, evaluation=evaluation, evaluated_at=now)


def actions_for(user, deal: Deal) -> list[str]:
    """What `user` may do with `deal` now, for the page's buttons."""
    return [a.value for a in rules.allowed_actions(status=deal.status.value, proposed_by=deal.proposed_by.value,
                                                   sides=sides_of(user, deal))]


# --- lists of deals -------------------------------------------------------------------------

DEALS_PER_PAGE = 50


@dataclass(frozen=True)
class DealPage:
    deals: list[Deal]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // DEALS_PER_PAGE))


def _visible_deals(user):
    query = select(Deal).join(Deal.company).join(Deal.organisation).options(
        contains_eager(Deal.company), contains_eager(Deal.organisation))
    if access.is_coordinator(user):
        return query
    return query.where(or_(
        Deal.company_id.in_(select(CompanyMembership.company_id).where(CompanyMembership.user_id == user.id,
                                                                       CompanyMembership.removed_at.is_(None))),
        Deal.organisation_id.in_(select(Membership.organisation_id).where(
            Membership.user_id == user.id, Membership.status == MembershipStatus.approved))))


def deals_for(user, *, status: DealStatus | None = None, page: int = 1) -> DealPage:
    """The coordinator's every deal; a party's own deals. Newest first."""
    query = _visible_deals(user)
    if status is not None:
        query = query.where(Deal.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(Deal.id).subquery()))
    deals = list(db.session.scalars(query.order_by(Deal.created_at.desc(), Deal.id.desc())
                                    .limit(DEALS_PER_PAGE).offset((page - 1) * DEALS_PER_PAGE)))
    return DealPage(deals, total, page)


def all_deals(*, status: DealStatus | None = None) -> list[Deal]:
    """Every deal, for the coordinator's spreadsheet."""
    query = select(Deal).options(joinedload(Deal.company), joinedload(Deal.organisation))
    if status is not None:
        query = query.where(Deal.status == status)
    return list(db.session.scalars(query.order_by(Deal.created_at.desc(), Deal.id.desc())))


def posts_of(companies: list[Company], organisations: list[Organisation]) -> tuple[list[Offer], list[Wish]]:
    """The offers of `companies` and wishes of `organisations`, open ones first."""
    offers = list(db.session.scalars(
        select(Offer).options(joinedload(Offer.company)).where(Offer.company_id.in_([c.id for c in companies]))
        .order_by(Offer.status, Offer.created_at.desc()))) if companies else []
    wishes = list(db.session.scalars(
        select(Wish).options(joinedload(Wish.organisation))
        .where(Wish.organisation_id.in_([o.id for o in organisations]))
        .order_by(Wish.status, Wish.created_at.desc()))) if organisations else []
    return offers, wishes


# --- the follow-up reminder -----------------------------------------------------------------

def send_follow_up_reminders(*, now: datetime) -> int:
    """tick: on an agreed deal's follow-up date (local), one e-mail to each side's contacts and
    the coordinator. Each deal is claimed with a conditional UPDATE first, so two ticks at once
    (two nodes) send it once. Returns the number of deals reminded of."""
    today = to_local(now).date()
    due = db.session.scalars(
        select(Deal.id).where(Deal.status == DealStatus.agreed, Deal.follow_up_sent_at.is_(None),
                              Deal.follow_up_on <= today).order_by(Deal.id)).all()
    sent = 0
    for deal_id in due:
        claimed = db.session.execute(
            update(Deal).where(Deal.id == deal_id, Deal.status == DealStatus.agreed,
                               Deal.follow_up_sent_at.is_(None))
            .values(follow_up_sent_at=now).execution_options(synchronize_session=False))
        if not claimed.rowcount:
            continue
        deal = db.session.get(Deal, deal_id)
        _mail(company_contacts(deal.company) + organisation_contacts(deal.organisation) + coordinators(),
              "deal_follow_up", deal)
        sent += 1
    db.session.flush()
    return sent
