"""The winners: recorded by the coordinator, public from the announcement time, kept by year in the
hall of fame; after the announcement every consenting nominee is thanked once with a certificate."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from portal.extensions import db
from portal.links import base_url
from portal.models import AwardCategory, AwardWinner, AwardYear, Nomination, NominationConsent, User


@dataclass(frozen=True)
class Winner:
    year: int
    category_name_da: str
    category_name_en: str
    nominee_name: str
    motivation: str
    nomination_id: int


def _public(nomination=Nomination):
    return ((nomination.consent == NominationConsent.given) & nomination.confirmed_at.is_not(None)
            & nomination.hidden_at.is_(None))


def hall_of_fame(*, now: datetime) -> dict[int, list[Winner]]:
    """{year: winners in category order}, newest year first, only years whose announcement time has passed."""
    rows = db.session.execute(
        select(AwardYear.year, AwardCategory.name_da, AwardCategory.name_en, Nomination.nominee_name,
               AwardWinner.motivation, Nomination.id)
        .select_from(AwardWinner)
        .join(AwardCategory, AwardCategory.id == AwardWinner.category_id)
        .join(AwardYear, AwardYear.id == AwardCategory.award_year_id)
        .join(Nomination, Nomination.id == AwardWinner.nomination_id)
        .where(AwardYear.announce_at <= now, _public())
        .order_by(AwardYear.year.desc(), AwardCategory.sort_order, AwardCategory.id)).all()
    found: dict[int, list[Winner]] = {}
    for year, name_da, name_en, nominee, motivation, nomination_id in rows:
        found.setdefault(year, []).append(Winner(year, name_da, name_en, nominee, motivation, nomination_id))
    return found


def _claim(award_year_id: int, now: datetime) -> bool:
    """One conditional UPDATE: of two ticks running at once, exactly one gets the row."""
    return db.session.execute(
        update(AwardYear).where(AwardYear.id == award_year_id, AwardYear.thanked_at.is_(None),
                                AwardYear.announce_at <= now)
        .values(thanked_at=now).execution_options(synchronize_session=False)).rowcount == 1


def _recipient(nomination: Nomination) -> tuple[str | None, str]:
    """(address, language): the nominee's account wins, else the address consent was asked at (Danish)."""
    if nomination.nominee_user_id is not None:
        user = db.session.get(User, nomination.nominee_user_id)
        if user is not None and user.email:
            return user.email, (user.locale or "da")
    return nomination.nominee_email or None, "da"


def certificate_url(certificate) -> str:
    return f"{base_url()}/certificates/{certificate.code}"


def thank_nominees(*, now: datetime) -> int:
    """After a year's announcement: a thank-you mail and a certificate for every nominee who agreed.
    Returns how many nominees were thanked (with a mail or, without an address, a certificate only)."""
    from portal.outbox import queue_email
    from portal.recognition.certificates import issue_award_certificate

    due = db.session.scalars(select(AwardYear.id).where(AwardYear.announce_at <= now,
                                                        AwardYear.thanked_at.is_(None))
                             .order_by(AwardYear.year)).all()
    thanked = 0
    for award_year_id in due:
        if not _claim(award_year_id, now):
            continue
        award_year = db.session.get(AwardYear, award_year_id)
        winners = {w.nomination_id: w for w in db.session.scalars(
            select(AwardWinner).join(AwardCategory, AwardCategory.id == AwardWinner.category_id)
            .where(AwardCategory.award_year_id == award_year_id))}
        nominations = db.session.scalars(
            select(Nomination).where(Nomination.award_year_id == award_year_id, _public())
            .order_by(Nomination.id)).all()
        for nomination in nominations:
            winner = winners.get(nomination.id)
            certificate = issue_award_certificate(nomination, winner=winner is not None, now=now)
            email, locale = _recipient(nomination)
            if email:
                category = nomination.category
                queue_email(email, "award_thanks", locale=locale, name=nomination.nominee_name,
                            year=award_year.year,
                            category=category.name_en if locale.startswith("en") else category.name_da,
                            winner=winner is not None, motivation=winner.motivation if winner else "",
                            certificate_url=certificate_url(certificate),
                            awards_url=f"{base_url()}/awards/{award_year.year}")
            thanked += 1
    return thanked
