"""The jury's rules (issue 12): appointments, conflicts that block scoring, scores private to each
member, the tally's arithmetic, winners only from the category's public nominations, and nothing
changes after the announcement."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.awards import jury_services as jury
from portal.errors import DomainError
from portal.extensions import db
from portal.models import AwardWinner, JuryConflict, JuryScore, OutboxMessage, utcnow
from tests.factories import (make_award_category, make_award_year, make_jury_member, make_nomination,
                             make_user)


@pytest.fixture
def year(ctx):
    return make_award_year(phase="jury")


def _nominee(category, name, **fields):
    return make_nomination(category, nominee_name=name, **fields)


def test_a_declared_conflict_blocks_scoring_that_nominee_but_not_the_others(year):
    category = make_award_category(year)
    neighbour, other = _nominee(category, "Birthe Nabo"), _nominee(category, "Ole Fremmed")
    member = make_jury_member(year)
    jury.declare_conflict(member, neighbour, note="Min nabo", now=utcnow())
    with pytest.raises(DomainError) as refused:
        jury.score(member, neighbour, score=9, note="", now=utcnow())
    assert refused.value.field == "score"
    jury.score(member, other, score=7, note="", now=utcnow())
    assert db.session.scalar(select(func.count(JuryScore.id))) == 1


def test_nobody_on_the_jury_scores_themselves_or_their_own_nomination(year):
    category = make_award_category(year)
    member = make_jury_member(year)
    about_me = make_nomination(category, nominee=member.user)
    mine = make_nomination(category, nominator=member.user, nominee_name="Ole Fremmed")
    for nomination in (about_me, mine):
        with pytest.raises(DomainError) as refused:
            jury.score(member, nomination, score=10, note="", now=utcnow())
        assert refused.value.field == "score"
    assert db.session.scalar(select(func.count(JuryScore.id))) == 0
    jury.score(make_jury_member(year), mine, score=6, note="", now=utcnow())
    assert db.session.scalar(select(func.count(JuryScore.id))) == 1


def test_declaring_a_conflict_after_scoring_deletes_that_score(year):
    nomination = _nominee(make_award_category(year), "Birthe")
    member = make_jury_member(year)
    jury.score(member, nomination, score=8, note="Flot", now=utcnow())
    assert jury.declare_conflict(member, nomination, note="Vi synger i samme kor", now=utcnow()) is True
    assert jury.own_score(member, nomination) is None
    assert jury.own_conflict(member, nomination).note == "Vi synger i samme kor"


def test_a_conflict_can_be_withdrawn_and_then_the_member_scores(year):
    nomination = _nominee(make_award_category(year), "Birthe")
    member = make_jury_member(year)
    jury.declare_conflict(member, nomination, note="Forkert person", now=utcnow())
    jury.withdraw_conflict(member, nomination, now=utcnow())
    jury.score(member, nomination, score=6, note="", now=utcnow())
    assert jury.own_score(member, nomination).score == 6


def test_a_conflict_is_not_withdrawn_while_a_score_exists(year):
    """A score and a conflict should never coexist; if one slipped in, the conflict stays."""
    nomination = _nominee(make_award_category(year), "Birthe")
    member = make_jury_member(year)
    jury.declare_conflict(member, nomination, note="Nabo", now=utcnow())
    db.session.add(JuryScore(jury_member_id=member.id, nomination_id=nomination.id, score=5))
    db.session.flush()
    with pytest.raises(DomainError):
        jury.withdraw_conflict(member, nomination, now=utcnow())
    assert jury.own_conflict(member, nomination) is not None


def test_a_score_is_changed_not_duplicated_and_must_be_1_to_10(year):
    nomination = _nominee(make_award_category(year), "Birthe")
    member = make_jury_member(year)
    jury.score(member, nomination, score=4, note="Først", now=utcnow())
    jury.score(member, nomination, score=9, note="Efter samtalen", now=utcnow())
    rows = db.session.scalars(select(JuryScore)).all()
    assert [(r.score, r.note) for r in rows] == [(9, "Efter samtalen")]
    for bad in (0, 11, -1, 2**63, True):
        with pytest.raises(DomainError):
            jury.score(member, nomination, score=bad, note="", now=utcnow())


def test_each_member_sees_only_their_own_scores_and_notes(year):
    category = make_award_category(year)
    nomination = _nominee(category, "Birthe")
    mayor, culture = make_jury_member(year, title="Borgmester"), make_jury_member(year, title="Kulturchef")
    jury.score(mayor, nomination, score=10, note="Borgmesterens hemmelige note", now=utcnow())
    [(_, [row])] = jury.member_rows(culture)
    assert row.nomination.id == nomination.id and row.score is None and row.conflict is None
    [(_, [row])] = jury.member_rows(mayor)
    assert row.score.note == "Borgmesterens hemmelige note"


def test_only_public_nominations_of_the_year_reach_the_jury(year):
    category = make_award_category(year)
    shown = _nominee(category, "Sagt ja")
    _nominee(category, "Ikke svaret", consent="pending")
    _nominee(category, "Sagt nej", consent="declined")
    _nominee(category, "Skjult", hidden_at=utcnow())
    _nominee(category, "Ubekræftet", confirmed_at=None)
    other_year = make_award_year(phase="jury")
    elsewhere = _nominee(make_award_category(other_year), "Andet år")
    member = make_jury_member(year)
    assert [n.nominee_name for n in jury.public_nominations(year)] == ["Sagt ja"]
    hidden = db.session.scalar(select(type(shown)).where(type(shown).nominee_name == "Skjult"))
    for refused in (hidden, elsewhere):
        with pytest.raises(DomainError):
            jury.score(member, refused, score=5, note="", now=utcnow())
        with pytest.raises(DomainError):
            jury.declare_conflict(member, refused, note="x", now=utcnow())


@pytest.mark.parametrize("phase, allowed", [("upcoming", False), ("nominating", False), ("closed", True),
                                            ("jury", True), ("announced", False)])
def test_scoring_is_open_while_closed_and_in_the_jury_phase_only(ctx, phase, allowed):
    year = make_award_year(phase=phase)
    nomination = _nominee(make_award_category(year), "Birthe")
    member = make_jury_member(year)
    now = utcnow()
    if allowed:
        jury.score(member, nomination, score=7, note="", now=now)
        jury.declare_conflict(member, _nominee(nomination.category, "Nabo"), note="Nabo", now=now)
    else:
        with pytest.raises(DomainError):
            jury.score(member, nomination, score=7, note="", now=now)
        with pytest.raises(DomainError):
            jury.declare_conflict(member, nomination, note="Nabo", now=now)


def test_scores_are_locked_at_the_announcement_time_exactly(year):
    nomination = _nominee(make_award_category(year), "Birthe")
    member = make_jury_member(year)
    jury.score(member, nomination, score=7, note="", now=year.announce_at - timedelta(seconds=1))
    with pytest.raises(DomainError):
        jury.score(member, nomination, score=3, note="", now=year.announce_at)
    assert jury.own_score(member, nomination).score == 7


def test_the_tally_averages_to_one_decimal_counts_conflicts_and_ignores_hearts(year):
    category = make_award_category(year)
    loved = _nominee(category, "Mange hjerter", heart_count=500)
    best = _nominee(category, "Juryens valg", heart_count=2)
    unscored = _nominee(category, "Ingen point endnu", heart_count=40)
    members = [make_jury_member(year) for _ in range(4)]
    for member, score in zip(members, (9, 8, 8, 10)):       # 35 / 4 = 8.75 -> 8.8
        jury.score(member, best, score=score, note="", now=utcnow())
    for member, score in zip(members[:3], (5, 6, 6)):        # 17 / 3 = 5.666 -> 5.7
        jury.score(member, loved, score=score, note="", now=utcnow())
    jury.declare_conflict(members[3], loved, note="Min søster", now=utcnow())
    [counted] = jury.tally(year)
    assert [(r.nomination.nominee_name, r.average, r.scores, r.conflicts, r.hearts) for r in counted.rows] == [
        ("Juryens valg", Decimal("8.8"), 4, 0, 2),
        ("Mange hjerter", Decimal("5.7"), 3, 1, 500),
        ("Ingen point endnu", None, 0, 0, 40)]
    assert unscored.id == counted.rows[2].nomination.id


def test_the_tally_leaves_out_scores_of_a_removed_member(year):
    nomination = _nominee(make_award_category(year), "Birthe")
    stays, leaves = make_jury_member(year), make_jury_member(year)
    jury.score(stays, nomination, score=6, note="", now=utcnow())
    jury.score(leaves, nomination, score=10, note="", now=utcnow())
    assert jury.remove_member(leaves, now=utcnow()) == 1
    [counted] = jury.tally(year)
    assert (counted.rows[0].average, counted.rows[0].scores) == (Decimal("6.0"), 1)


def test_the_coordinator_details_show_every_members_score_and_conflict_note(year):
    category = make_award_category(year)
    nomination = _nominee(category, "Birthe")
    a, b = make_jury_member(year, title="Borgmester"), make_jury_member(year, title="Kulturchef")
    jury.score(a, nomination, score=9, note="Stærk", now=utcnow())
    jury.declare_conflict(b, nomination, note="Kusine", now=utcnow())
    details = jury.jury_details(year)[nomination.id]
    assert sorted((d.member.title, d.score, d.note, d.conflict_note) for d in details) == [
        ("Borgmester", 9, "Stærk", None), ("Kulturchef", None, "", "Kusine")]


def test_a_winner_comes_only_from_the_categorys_public_nominations_and_needs_a_motivation(year):
    category, other = make_award_category(year), make_award_category(year)
    winner = _nominee(category, "Birthe")
    elsewhere = _nominee(other, "Anden kategori")
    pending = _nominee(category, "Ikke svaret", consent="pending")
    coordinator = make_user(coordinator=True)
    for wrong in (elsewhere, pending, None):
        with pytest.raises(DomainError) as refused:
            jury.record_winner(category, wrong, coordinator, motivation="Fordi hun altid er der.", now=utcnow())
        assert refused.value.field == "nomination"
    with pytest.raises(DomainError) as refused:
        jury.record_winner(category, winner, coordinator, motivation="   ", now=utcnow())
    assert refused.value.field == "motivation"
    jury.record_winner(category, winner, coordinator, motivation="Fordi hun altid er der.", now=utcnow())
    assert db.session.scalar(select(AwardWinner.nomination_id)) == winner.id


def test_the_winner_can_be_changed_until_the_announcement_and_not_after(year):
    category = make_award_category(year)
    first, second = _nominee(category, "Første"), _nominee(category, "Anden")
    coordinator = make_user(coordinator=True)
    jury.record_winner(category, first, coordinator, motivation="Første bud på en vinder.", now=utcnow())
    jury.record_winner(category, second, coordinator, motivation="Juryen skiftede mening.",
                       now=year.announce_at - timedelta(minutes=1))
    with pytest.raises(DomainError):
        jury.record_winner(category, first, coordinator, motivation="For sent at ændre.", now=year.announce_at)
    rows = db.session.execute(select(AwardWinner.nomination_id, AwardWinner.motivation)).all()
    assert rows == [(second.id, "Juryen skiftede mening.")]


def test_appointing_mails_the_member_in_their_language_and_refuses_twice(year):
    coordinator = make_user(coordinator=True)
    mayor = make_user(email="borgmester@dragoer.dk", name="Kasper Borg")
    mayor.locale = "en"
    member = jury.appoint(year, coordinator, email="  Borgmester@Dragoer.dk ", title="Borgmester", now=utcnow())
    assert (member.user_id, member.title) == (mayor.id, "Borgmester")
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.to_email == "borgmester@dragoer.dk"
    assert "jury" in mail.subject and f"/awards/{year.year}/jury" in mail.body_text
    with pytest.raises(DomainError) as refused:
        jury.appoint(year, coordinator, email="borgmester@dragoer.dk", title="Borgmester", now=utcnow())
    assert refused.value.field == "email"
    with pytest.raises(DomainError) as refused:
        jury.appoint(year, coordinator, email="ingen@example.dk", title="Kulturchef", now=utcnow())
    assert refused.value.field == "email"


def test_removing_a_member_deletes_their_scores_and_conflicts(year):
    category = make_award_category(year)
    a, b = _nominee(category, "A"), _nominee(category, "B")
    member = make_jury_member(year)
    jury.score(member, a, score=5, note="", now=utcnow())
    jury.declare_conflict(member, b, note="Nabo", now=utcnow())
    jury.remove_member(member, now=utcnow())
    assert db.session.scalar(select(func.count(JuryScore.id))) == 0
    assert db.session.scalar(select(func.count(JuryConflict.id))) == 0


def test_the_jury_cannot_be_changed_after_the_announcement(ctx):
    year = make_award_year(phase="announced")
    member = make_jury_member(year)
    coordinator = make_user(coordinator=True)
    with pytest.raises(DomainError):
        jury.remove_member(member, now=utcnow())
    with pytest.raises(DomainError):
        jury.appoint(year, coordinator, email=make_user().email, title="Kulturchef", now=utcnow())
