"""The awards' demo winners: the latest Frivillig Fredag's awards in the hall of fame, a jury of four
with one declared conflict, hearts matching their rows, certificates issued; idempotent; the year
follows the clock."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from portal.awards import jury_services as jury
from portal.awards import winners
from portal.database import write_transaction
from portal.extensions import db
from portal.models import AwardYear, Certificate, JuryConflict, Nomination, NominationHeart, utcnow


def _load(now):
    from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
    from tools.demo_award_winners import load_demo_award_winners
    from tools.demo_companies import load_demo_companies

    with write_transaction():
        load_demo_data(now=now)
        load_demo_tasks(now=now)
        load_demo_profiles()
        load_demo_companies(now=now)
        load_demo_award_winners(now=now)
        db.session.commit()


def test_the_demo_fills_the_hall_of_fame_with_a_believable_jury_and_is_idempotent(ctx):
    now = utcnow()
    _load(now)
    [year] = db.session.scalars(select(AwardYear)).all()
    assert year.announce_at <= now and year.thanked_at is not None
    assert year.announce_at.astimezone(timezone.utc).weekday() == 4  # a Friday
    fame = winners.hall_of_fame(now=now)
    assert [w.nominee_name for w in fame[year.year]] == [
        "Karen Holm", "Freja Kristensen", "Naturvogterne på Amager Sydspids", "Dragør Købmand"]
    assert all(len(w.motivation) > 80 for w in fame[year.year])
    [conflict] = db.session.scalars(select(JuryConflict)).all()
    assert conflict.nomination_id == db.session.scalar(select(Nomination.id).where(
        Nomination.nominee_name == "Dragør Købmand"))
    for nomination in db.session.scalars(select(Nomination)):
        assert nomination.heart_count == db.session.scalar(select(func.count()).select_from(NominationHeart).where(
            NominationHeart.nomination_id == nomination.id))
    # The jury's winners are the tally's top nominees in each category.
    for counted in jury.tally(year):
        assert counted.winner.nomination_id == counted.rows[0].nomination.id
    assert db.session.scalar(select(func.count(Certificate.id))) == 9
    _load(now)
    assert db.session.scalar(select(func.count(AwardYear.id))) == 1
    assert db.session.scalar(select(func.count(Nomination.id))) == 9
    # Nothing left for the tick step to send about a day that is past.
    assert winners.thank_nominees(now=now) == 0


@pytest.mark.parametrize("now, expected", [
    (datetime(2027, 9, 24, 12, 0, tzinfo=timezone.utc), 2026),   # the morning of Frivillig Fredag 2027
    (datetime(2027, 9, 24, 14, 0, tzinfo=timezone.utc), 2027),   # that afternoon (16:00 in Dragør)
    (datetime(2028, 1, 1, 0, 30, tzinfo=timezone.utc), 2027),
])
def test_the_demo_year_is_the_latest_volunteer_day_already_past(ctx, now, expected):
    _load(now)
    assert db.session.scalar(select(AwardYear.year)) == expected
    assert db.session.scalar(select(AwardYear.announce_at)) <= now


def test_in_october_when_the_coming_awards_carry_this_years_number_the_winners_are_last_years(ctx):
    """The awards part's demo names its year after the announcement; from October that can be the
    current year, still taking nominations: the winners then go one year back."""
    from tools.demo_awards import load_demo_awards

    now = datetime(2027, 10, 1, 10, 0, tzinfo=timezone.utc)
    from tools.demo import load_demo_data, load_demo_tasks
    from tools.demo_companies import load_demo_companies
    with write_transaction():
        load_demo_data(now=now)
        load_demo_tasks(now=now)
        load_demo_companies(now=now)
        load_demo_awards(now=now)
        load_demo_awards(now=now)
        db.session.commit()
    years = {y.year: y for y in db.session.scalars(select(AwardYear))}
    announced = [y for y in years.values() if y.announce_at <= now]
    assert len(announced) == 1 and announced[0].thanked_at is not None
    assert list(winners.hall_of_fame(now=now)) == [announced[0].year]
    assert len(years) == 2
    # The mayor sits on the coming year's jury too, so the jury page has someone to show it to.
    from portal.models import JuryMember, User
    coming = next(y for y in years.values() if y.announce_at > now)
    assert db.session.scalar(select(User.email).join(JuryMember, JuryMember.user_id == User.id)
                             .where(JuryMember.award_year_id == coming.id)) == "borgmester@demo.dragoer.dk"
