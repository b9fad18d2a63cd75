"""Read-only questions other features ask about the awards (the front page, the events)."""

from datetime import datetime

from sqlalchemy import select

from portal.core.awards import Dates, Phase, phase
from portal.extensions import db
from portal.models import AwardYear


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
