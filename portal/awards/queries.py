"""Read-only questions other features ask about the awards (the front page, the events)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select, union_all
from sqlalchemy.orm import contains_eager, joinedload

from portal.core.awards import Dates, Phase, phase
from portal.extensions import db
from portal.models import (Attendance, AwardCategory, AwardYear, Company, CompanyStatus, HoursEntry, HoursStatus,
                           Nomination, NominationConsent, NominationHeart, Organisation, OrganisationStatus, Signup,
                           Slot)


def dates_of(award_year: AwardYear) -> Dates:
    return Dates(award_year.nominations_open_at, award_year.nominations_close_at, award_year.jury_starts_at,
                 award_year.announce_at)


def phase_of(award_year: AwardYear, now: datetime) -> Phase:
    return phase(dates_of(award_year), now)


def current_year(now: datetime) -> AwardYear | None:
    """The year people should hear about now: the one taking nominations or being judged, else the
    next one coming, else the last one announced."""
    years = db.session.scalars(select(AwardYear).order_by(AwardYear.year)).all()
    live = [y for y in years if phase_of(y, now) in (Phase.nominating, Phase.closed, Phase.jury)]
    if live:
        return live[0]
    coming = [y for y in years if phase_of(y, now) is Phase.upcoming]
    if coming:
        return coming[0]
    return years[-1] if years else None


# --- the public pages and "my nominations" --------------------------------------------------------

def public_clause():
    """SQL: a nomination anyone may see (the same rule as `Nomination.is_public`)."""
    return ((Nomination.consent == NominationConsent.given) & Nomination.confirmed_at.is_not(None)
            & Nomination.hidden_at.is_(None))


@dataclass(frozen=True)
class Shown:
    """A public nomination as the page shows it; hours and tasks only with the nominee's consent."""
    nomination: Nomination
    hours: float | None
    tasks: int | None


def years() -> list[AwardYear]:
    return list(db.session.scalars(select(AwardYear).order_by(AwardYear.year.desc())))


def year_by_number(year: int) -> AwardYear | None:
    return db.session.scalar(select(AwardYear).where(AwardYear.year == year))


def categories(award_year: AwardYear) -> list[AwardCategory]:
    return list(db.session.scalars(select(AwardCategory).where(AwardCategory.award_year_id == award_year.id)
                                   .order_by(AwardCategory.sort_order, AwardCategory.id)))


def public_nominations(award_year: AwardYear) -> list[Shown]:
    """The year's public nominations in category order, most hearts first. Three statements
    whatever their number: the nominations, then (when any nominee allowed it) the hours from
    the one ledger and the tasks for all of those people at once."""
    from portal.core.hours import totals_by
    from portal.hours.services import contributions

    found = list(db.session.scalars(
        select(Nomination).join(Nomination.category).options(contains_eager(Nomination.category))
        .where(Nomination.award_year_id == award_year.id, public_clause())
        .order_by(AwardCategory.sort_order, AwardCategory.id, Nomination.heart_count.desc(), Nomination.id)))
    people = sorted({n.nominee_user_id for n in found if n.show_hours and n.nominee_user_id is not None})
    hours, tasks = {}, {}
    if people:
        hours = totals_by(contributions(users=people), "user")
        tasks = task_counts(people)
    return [Shown(n, hours.get(n.nominee_user_id, 0.0) if n.show_hours and n.nominee_user_id else None,
                  tasks.get(n.nominee_user_id, 0) if n.show_hours and n.nominee_user_id else None)
            for n in found]


def task_counts(user_ids) -> dict[int, int]:
    """{user id: how many different tasks the portal has verified they did} (attended times and
    approved hours), in one statement."""
    attended = (select(Signup.user_id.label("user_id"), Slot.task_id.label("task_id"))
                .join(Slot, Signup.slot_id == Slot.id)
                .where(Signup.attendance == Attendance.attended, Signup.user_id.in_(user_ids)))
    logged = (select(HoursEntry.user_id.label("user_id"), HoursEntry.task_id.label("task_id"))
              .where(HoursEntry.status == HoursStatus.approved, HoursEntry.user_id.in_(user_ids)))
    both = union_all(attended, logged).subquery()
    return dict(db.session.execute(select(both.c.user_id, func.count(distinct(both.c.task_id)))
                                   .group_by(both.c.user_id)).all())


def my_hearts(user, nomination_ids) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False) or not nomination_ids:
        return set()
    return set(db.session.scalars(select(NominationHeart.nomination_id).where(
        NominationHeart.user_id == user.id, NominationHeart.nomination_id.in_(list(nomination_ids)))))


def made_by(user) -> list[Nomination]:
    return list(db.session.scalars(
        select(Nomination).where(Nomination.nominator_id == user.id)
        .options(joinedload(Nomination.category), joinedload(Nomination.award_year))
        .order_by(Nomination.created_at.desc(), Nomination.id.desc())))


def about(user) -> list[Nomination]:
    """Nominations of this person the nominee may see: confirmed ones, not hidden."""
    return list(db.session.scalars(
        select(Nomination).where(Nomination.nominee_user_id == user.id, Nomination.confirmed_at.is_not(None),
                                 Nomination.hidden_at.is_(None))
        .options(joinedload(Nomination.category), joinedload(Nomination.award_year),
                 joinedload(Nomination.nominator))
        .order_by(Nomination.created_at.desc(), Nomination.id.desc())))


def all_nominations(award_year: AwardYear) -> list[Nomination]:
    """Every confirmed nomination of the year, for the coordinator."""
    return list(db.session.scalars(
        select(Nomination).join(Nomination.category).options(contains_eager(Nomination.category))
        .where(Nomination.award_year_id == award_year.id, Nomination.confirmed_at.is_not(None))
        .order_by(AwardCategory.sort_order, AwardCategory.id, Nomination.id)))


def nomination_counts(award_year: AwardYear) -> dict[int, int]:
    """{category id: nominations of any state}: a category with any cannot be deleted."""
    return dict(db.session.execute(select(Nomination.category_id, func.count(Nomination.id))
                                   .where(Nomination.award_year_id == award_year.id)
                                   .group_by(Nomination.category_id)).all())


def organisation_choices() -> list[tuple[int, str]]:
    return list(db.session.execute(select(Organisation.id, Organisation.name)
                                   .where(Organisation.status == OrganisationStatus.approved)
                                   .order_by(Organisation.name)).all())


def company_choices() -> list[tuple[int, str]]:
    return list(db.session.execute(select(Company.id, Company.name).where(Company.status == CompanyStatus.approved)
                                   .order_by(Company.name)).all())



def jury_years(user) -> list[AwardYear]:
    """The award years the person sits on the jury of, newest first."""
    from portal.models import JuryMember

    return list(db.session.scalars(select(AwardYear).join(JuryMember, JuryMember.award_year_id == AwardYear.id)
                                   .where(JuryMember.user_id == user.id).order_by(AwardYear.year.desc())))
