"""Demo data: The year's badges, earned on their criteria. Idempotent: does nothing when its rows are there.

Runs after the companies, teams and exchange demo data. The badges are not written by hand: the
same award_badges that `flask tick` runs decides who has earned this year's badge (Danske Bank
Tårnby, through its partnership with Wiedergården, when those parts are loaded). Tømrer Holm
gets last year's badge, now expired, so the verification page's "Udløbet" can be seen."""

from datetime import date, datetime, time

from sqlalchemy import select

from portal.core.badges import badge_year, expires_at
from portal.core.timeutil import to_utc
from portal.extensions import db
from portal.models import Badge, Company


def load_demo_badges(*, now: datetime) -> None:
    from portal.companies.badges import award_badges

    holm = db.session.scalar(select(Company).where(Company.slug == "toemrer-holm"))
    if holm is None:
        return None  # the companies' demo data is not there: nothing to give badges to
    award_badges(now=now)
    last_year = badge_year(now) - 1
    if db.session.scalar(select(Badge.id).where(Badge.company_id == holm.id, Badge.year == last_year)) is None:
        db.session.add(Badge(company_id=holm.id, year=last_year, earned_at=to_utc(date(last_year, 3, 2), time(10)),
                             expires_at=expires_at(last_year)))
        db.session.flush()
    return None
