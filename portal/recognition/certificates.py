"""Issuing certificates: a snapshot of what the hours ledger or the award said that day, with a
public code the QR code on the PDF opens.

A certificate never changes after it is issued (an employer checks what the volunteer was given);
it can only be withdrawn (`revoked_at`)."""

import json
import secrets
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from portal.core.hours import Period
from portal.extensions import db
from portal.hours import services as ledger
from portal.models import AwardWinner, Certificate, CertificateKind, Organisation, User
from portal.recognition import errors


DOUBLE_CLICK = timedelta(seconds=10)


def new_code() -> str:
    """22 URL-safe characters (128 bits): guessing one is hopeless, and it fits the 32-char column."""
    return secrets.token_urlsafe(16)


def _unique_code() -> str:
    while True:
        code = new_code()
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def _signer() -> tuple[str, str]:
    config = current_app.config
    return config.get("CERTIFICATE_SIGNER_NAME", ""), config.get("CERTIFICATE_SIGNER_TITLE", "")


def details_of(certificate: Certificate) -> dict:
    try:
        found = json.loads(certificate.details or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def issue_award_certificate(nomination, *, winner: bool, now: datetime) -> Certificate:
    """A certificate for a consenting nominee ("Nomineret til Årets frivillige 2027") or a winner;
    returns the Certificate (flushed). Issuing twice for the same nomination and kind returns the first."""
    kind = CertificateKind.winner if winner else CertificateKind.nominee
    existing = db.session.scalar(select(Certificate).where(Certificate.nomination_id == nomination.id,
                                                          Certificate.kind == kind)
                                 .order_by(Certificate.id).limit(1))
    if existing is not None:
        return existing
    category = nomination.category
    details = {"year": nomination.award_year.year, "category_da": category.name_da,
               "category_en": category.name_en}
    if winner:
        decision = db.session.scalar(select(AwardWinner).where(AwardWinner.nomination_id == nomination.id))
        details["motivation"] = decision.motivation if decision is not None else ""
    name, title = _signer()
    certificate = Certificate(code=_unique_code(), kind=kind, user_id=nomination.nominee_user_id,
                              nomination_id=nomination.id, recipient_name=nomination.nominee_name[:120],
                              details=json.dumps(details, ensure_ascii=False), signed_by_name=name[:120],
                              signed_by_title=title[:120], issued_at=now)
    db.session.add(certificate)
    db.session.flush()
    return certificate


# --- certificates of volunteering ---------------------------------------------------------------

def hours_period(user, *, year: int | None, now: datetime) -> tuple[Period, date, date]:
    """The ledger period for a year (or all time) and the dates the certificate names: from the first
    counted day to the last (all time), or the calendar year (a year; its end clipped to today)."""
    from portal.core.timeutil import to_local

    today = to_local(now).date()
    if year is not None:
        period = Period.year(year)
        return period, date(year, 1, 1), min(date(year, 12, 31), today)
    days = [c.day for c in ledger.contributions(user=user)]
    start = min(days) if days else today
    end = max(max(days), start) if days else today
    return Period(), start, end


def issue_hours_certificate(user, *, year: int | None, now: datetime) -> Certificate:
    """A certificate of volunteering for one year or all the person's time: the ledger's hours, the
    organisations with their hours, the period and the signer, as they are today."""
    if year is not None and not (2000 <= year <= 2999):
        raise errors.bad_period()
    period, start, end = hours_period(user, year=year, now=now)
    by_org = ledger.hours_by("organisation", user=user, period=period)
    total = ledger.total_hours(user=user, period=period)
    if total <= 0:
        raise errors.no_hours()
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)
                                    .where(Organisation.id.in_(list(by_org)))).all())
    organisations = sorted(({"name": names.get(org_id, "?"), "hours": hours} for org_id, hours in by_org.items()),
                           key=lambda row: (-row["hours"], row["name"]))
    # A double click asks twice within a second: the second gets the first, not a copy with another code.
    # The person's row is locked first (PostgreSQL; SQLite's writers queue anyway).
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    same = db.session.scalar(select(Certificate).where(
        Certificate.user_id == user.id, Certificate.kind == CertificateKind.hours, Certificate.hours == total,
        Certificate.period_start == start, Certificate.period_end == end, Certificate.revoked_at.is_(None),
        Certificate.issued_at > now - DOUBLE_CLICK).order_by(Certificate.id.desc()).limit(1))
    if same is not None and details_of(same).get("year") == year:
        return same
    name, title = _signer()
    certificate = Certificate(code=_unique_code(), kind=CertificateKind.hours, user_id=user.id,
                              recipient_name=(user.name or "")[:120], period_start=start, period_end=end,
                              hours=total,
                              details=json.dumps({"year": year, "organisations": organisations},
                                                 ensure_ascii=False),
                              signed_by_name=name[:120], signed_by_title=title[:120], issued_at=now)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def withdraw(certificate: Certificate, user, *, now: datetime) -> Certificate:
    """The holder withdraws a certificate: the verification page then says so, with the date."""
    if certificate.user_id != user.id:
        raise errors.not_yours()
    if certificate.revoked_at is None:
        certificate.revoked_at = now
        db.session.flush()
    return certificate


def certificates_of(user) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))
