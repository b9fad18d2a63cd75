"""The awards' demo rows: a year taking nominations by its dates (whatever today is), the four
categories, believable nominations of which one waits for an answer and is not public, Karen's
with her verified hours, hearts that match their rows, and idempotent."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from portal.awards import queries
from portal.core.awards import Phase
from portal.database import write_transaction
from portal.extensions import db
from portal.models import AwardYear, Nomination, NominationConsent, NominationHeart, utcnow
from tools.demo_awards import demo_dates, last_friday_of_september


def _load(now):
    from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
    from tools.demo_awards import _load_this_years_nominations
    from tools.demo_companies import load_demo_companies

    with write_transaction():
        load_demo_data(now=now)
        load_demo_tasks(now=now)
        load_demo_profiles()
        load_demo_companies(now=now)
        _load_this_years_nominations(now)
        db.session.commit()


def test_the_demo_year_takes_nominations_with_consent_first(ctx):
    now = utcnow()
    _load(now)
    year = demo_dates(now)[0]
    award_year = db.session.scalar(select(AwardYear).where(AwardYear.year == year))
    assert queries.phase_of(award_year, now) is Phase.nominating
    assert [c.name_da for c in award_year.categories] == [
        "Årets frivillige", "Årets ildsjæl under 25", "Årets forening", "Årets virksomhed"]
    nominations = list(db.session.scalars(select(Nomination).where(Nomination.award_year_id == award_year.id)))
    assert 6 <= len(nominations) <= 8
    pending = [n for n in nominations if n.consent is NominationConsent.pending]
    assert [n.nominee_name for n in pending] == ["Ole Sørensen"]
    shown = {s.nomination.nominee_name: s for s in queries.public_nominations(award_year)}
    assert "Ole Sørensen" not in shown
    karen = shown["Karen Holm"]
    assert karen.nomination.nominee_user.email == "frivillig@demo.dragoer.dk" and karen.hours is not None
    for n in nominations:
        rows = db.session.scalar(select(func.count()).select_from(NominationHeart)
                                 .where(NominationHeart.nomination_id == n.id))
        assert n.heart_count == rows
    _load(now)
    assert db.session.scalar(select(func.count(AwardYear.id)).where(AwardYear.year == year)) == 1
    assert db.session.scalar(select(func.count(Nomination.id))) == len(nominations)


@pytest.mark.parametrize("today, year, announce", [
    (datetime(2026, 11, 29, 12, tzinfo=timezone.utc), 2027, date(2027, 9, 24)),
    (datetime(2027, 3, 1, 12, tzinfo=timezone.utc), 2027, date(2027, 9, 24)),
    # Nominations close on 12 September: the volunteer day still comes after, the jury has 6 days.
    (datetime(2027, 8, 1, 12, tzinfo=timezone.utc), 2027, date(2027, 9, 24)),
    # Nominations close on 10 October, after the volunteer day: close + 30 days.
    (datetime(2027, 8, 29, 12, tzinfo=timezone.utc), 2027, date(2027, 11, 9)),
    (datetime(2027, 12, 31, 22, 30, tzinfo=timezone.utc), 2028, date(2028, 9, 29)),
])
def test_the_demo_dates_follow_the_volunteer_day(today, year, announce):
    found_year, opens, closes, jury, announced = demo_dates(today)
    assert found_year == year and opens < today < closes <= jury < announced
    from portal.core.timeutil import to_local
    assert to_local(announced).date() == announce


def test_the_last_friday_of_september():
    assert last_friday_of_september(2027) == date(2027, 9, 24)
    assert last_friday_of_september(2026) == date(2026, 9, 25)
    assert last_friday_of_september(2028) == date(2028, 9, 29)
