"""The jury's rules: appointments, conflicts of interest, private scores, the tally and the winners.

What the award schemes taught, kept here:
- a declared conflict is a row, and `score` refuses where one exists, whatever the form sent;
- each member's scores and notes are theirs (and the coordinator's): `member_rows` reads only the
  member's own rows; only `tally` and `jury_details` read everyone's, and only the coordinator's
  pages call them;
- public hearts travel into the tally to be shown beside it, never into the average or the order;
- scoring is open while nominations are closed and the jury works; from the announcement time
  nothing the jury or the coordinator decided changes any more (the certificates say it).

One member's writes are serialised on their JuryMember row (a no-op on SQLite, where every write
transaction already starts with BEGIN IMMEDIATE), so a conflict declared and a score sent at the
same moment cannot both land."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from portal.awards import jury_errors as errors
from portal.awards.queries import phase_of
from portal.core import jury_tally
from portal.core.awards import Phase
from portal.extensions import db
from portal.links import base_url
from portal.models import (AwardCategory, AwardWinner, AwardYear, JuryConflict, JuryMember, JuryScore, Nomination,
                           NominationConsent, User, email_key)
from portal.outbox import queue_email

SCORING = (Phase.closed, Phase.jury)


# --- phases -----------------------------------------------------------------------------------

def scoring_open(award_year: AwardYear, *, now: datetime) -> bool:
    return phase_of(award_year, now) in SCORING


def is_announced(award_year: AwardYear, *, now: datetime) -> bool:
    return phase_of(award_year, now) is Phase.announced


def _check_open(award_year: AwardYear, now: datetime) -> None:
    current = phase_of(award_year, now)
    if current is Phase.announced:
        raise errors.announced()
    if current not in SCORING:
        raise errors.not_scoring_yet()


# --- appointments -----------------------------------------------------------------------------

def members(award_year: AwardYear) -> list[JuryMember]:
    return list(db.session.scalars(
        select(JuryMember).join(JuryMember.user).options(contains_eager(JuryMember.user))
        .where(JuryMember.award_year_id == award_year.id).order_by(JuryMember.created_at, JuryMember.id)))


def jury_url(award_year: AwardYear) -> str:
    return f"{base_url()}/awards/{award_year.year}/jury"


def appoint(award_year: AwardYear, by: User, *, email: str, title: str, now: datetime) -> JuryMember:
    """Puts an existing account on the year's jury and mails them where their page is."""
    if is_announced(award_year, now=now):
        raise errors.jury_closed()
    user = db.session.scalar(select(User).where(User.email == email_key(email or "")))
    if user is None:
        raise errors.no_account()
    if db.session.scalar(select(JuryMember.id).where(JuryMember.award_year_id == award_year.id,
                                                     JuryMember.user_id == user.id)) is not None:
        raise errors.already_member()
    member = JuryMember(award_year_id=award_year.id, user_id=user.id, title=(title or "").strip(),
                        appointed_by_id=by.id, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(member)
            db.session.flush()
    except IntegrityError:
        # The same appointment sent twice at once (a double click): the first one stands.
        raise errors.already_member() from None
    queue_email(user.email, "award_jury_appointed", locale=user.locale or "da", name=user.name,
                title=member.title, year=award_year.year, jury_url=jury_url(award_year),
                announce_at=award_year.announce_at, close_at=award_year.nominations_close_at,
                started=award_year.nominations_close_at <= now)
    return member


def remove_member(member: JuryMember, *, now: datetime) -> int:
    """Takes a member off the jury with their scores and conflicts; returns how many scores went."""
    if is_announced(member.award_year, now=now):
        raise errors.jury_closed()
    scores = db.session.execute(delete(JuryScore).where(JuryScore.jury_member_id == member.id)
                                .execution_options(synchronize_session=False)).rowcount
    db.session.execute(delete(JuryConflict).where(JuryConflict.jury_member_id == member.id)
                       .execution_options(synchronize_session=False))
    db.session.delete(member)
    db.session.flush()
    return scores


def progress(award_year: AwardYear) -> dict[int, tuple[int, int]]:
    """{member id: (scores given, conflicts declared)} for the coordinator's list of the jury."""
    scores = dict(db.session.execute(
        select(JuryScore.jury_member_id, func.count(JuryScore.id)).join(JuryMember, JuryMember.id == JuryScore.jury_member_id)
        .where(JuryMember.award_year_id == award_year.id).group_by(JuryScore.jury_member_id)).all())
    conflicts = dict(db.session.execute(
        select(JuryConflict.jury_member_id, func.count(JuryConflict.id))
        .join(JuryMember, JuryMember.id == JuryConflict.jury_member_id)
        .where(JuryMember.award_year_id == award_year.id).group_by(JuryConflict.jury_member_id)).all())
    return {mid: (scores.get(mid, 0), conflicts.get(mid, 0)) for mid in set(scores) | set(conflicts)}


def score_count(member: JuryMember) -> int:
    return db.session.scalar(select(func.count(JuryScore.id)).where(JuryScore.jury_member_id == member.id)) or 0


# --- what the jury reads ----------------------------------------------------------------------

def public_nominations(award_year: AwardYear) -> list[Nomination]:
    """The year's nominations anyone may see (the nominee said yes, the nominator confirmed, not
    hidden), in category order, then by name."""
    return list(db.session.scalars(
        select(Nomination).join(Nomination.category).options(contains_eager(Nomination.category))
        .where(Nomination.award_year_id == award_year.id, Nomination.consent == NominationConsent.given,
               Nomination.confirmed_at.is_not(None), Nomination.hidden_at.is_(None))
        .order_by(AwardCategory.sort_order, AwardCategory.id, Nomination.nominee_name, Nomination.id)))


def is_jury_nomination(award_year: AwardYear, nomination: Nomination) -> bool:
    return nomination.award_year_id == award_year.id and nomination.is_public


@dataclass(frozen=True)
class MemberRow:
    nomination: Nomination
    score: JuryScore | None
    conflict: JuryConflict | None


def _by_category(award_year: AwardYear, rows_of) -> list[tuple[AwardCategory, list]]:
    grouped = defaultdict(list)
    for nomination in public_nominations(award_year):
        grouped[nomination.category_id].append(rows_of(nomination))
    return [(category, grouped.get(category.id, [])) for category in award_year.categories]


def member_rows(member: JuryMember) -> list[tuple[AwardCategory, list[MemberRow]]]:
    """The public nominations by category, each with this member's own score and conflict only."""
    scores = {s.nomination_id: s for s in db.session.scalars(
        select(JuryScore).where(JuryScore.jury_member_id == member.id))}
    conflicts = {c.nomination_id: c for c in db.session.scalars(
        select(JuryConflict).where(JuryConflict.jury_member_id == member.id))}
    return _by_category(member.award_year, lambda n: MemberRow(n, scores.get(n.id), conflicts.get(n.id)))


def own_score(member: JuryMember, nomination: Nomination) -> JuryScore | None:
    return db.session.scalar(select(JuryScore).where(JuryScore.jury_member_id == member.id,
                                                     JuryScore.nomination_id == nomination.id))


def own_conflict(member: JuryMember, nomination: Nomination) -> JuryConflict | None:
    return db.session.scalar(select(JuryConflict).where(JuryConflict.jury_member_id == member.id,
                                                        JuryConflict.nomination_id == nomination.id))


# --- conflicts and scores ---------------------------------------------------------------------

def _check_nomination(member: JuryMember, nomination: Nomination) -> None:
    if not is_jury_nomination(member.award_year, nomination):
        raise errors.not_public()


def _serialise(member: JuryMember) -> None:
    """One member's writes one at a time (PostgreSQL: a row lock; SQLite: BEGIN IMMEDIATE did it)."""
    db.session.execute(select(JuryMember.id).where(JuryMember.id == member.id).with_for_update())


def declare_conflict(member: JuryMember, nomination: Nomination, *, note: str, now: datetime) -> bool:
    """Records the conflict; a score the member had given this nominee goes (they cannot score a
    nominee they have a conflict with). Returns True when a score was removed."""
    _check_open(member.award_year, now)
    _check_nomination(member, nomination)
    _serialise(member)
    if own_conflict(member, nomination) is not None:
        raise errors.already_conflicted()
    removed = db.session.execute(delete(JuryScore).where(
        JuryScore.jury_member_id == member.id, JuryScore.nomination_id == nomination.id)
        .execution_options(synchronize_session=False)).rowcount
    try:
        with db.session.begin_nested():
            db.session.add(JuryConflict(jury_member_id=member.id, nomination_id=nomination.id,
                                        note=(note or "").strip(), created_at=now))
            db.session.flush()
    except IntegrityError:
        raise errors.already_conflicted() from None
    return bool(removed)


def withdraw_conflict(member: JuryMember, nomination: Nomination, *, now: datetime) -> None:
    _check_open(member.award_year, now)
    _serialise(member)
    conflict = own_conflict(member, nomination)
    if conflict is None:
        raise errors.no_conflict()
    if own_score(member, nomination) is not None:
        raise errors.conflict_has_score()
    db.session.delete(conflict)
    db.session.flush()


def score(member: JuryMember, nomination: Nomination, *, score: int, note: str, now: datetime) -> JuryScore:
    """Gives or changes the member's score (1–10) and private note for one nominee."""
    _check_open(member.award_year, now)
    _check_nomination(member, nomination)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 10:
        raise errors.score_range()
    _serialise(member)
    if own_conflict(member, nomination) is not None:
        raise errors.conflicted()
    if member.user_id in (nomination.nominee_user_id, nomination.nominator_id):
        # A conflict nobody needs to declare: nobody scores themselves or their own nomination.
        raise errors.own_nomination()
    note = (note or "").strip()
    found = own_score(member, nomination)
    if found is None:
        try:
            with db.session.begin_nested():
                found = JuryScore(jury_member_id=member.id, nomination_id=nomination.id, score=score, note=note,
                                  created_at=now, updated_at=now)
                db.session.add(found)
                db.session.flush()
            return found
        except IntegrityError:
            # The same form sent twice at once: the other made the row; change it instead.
            found = own_score(member, nomination)
    found.score, found.note, found.updated_at = score, note, now
    db.session.flush()
    return found


# --- the coordinator's tally ------------------------------------------------------------------

@dataclass(frozen=True)
class TallyRow:
    nomination: Nomination
    average: Decimal | None
    scores: int
    conflicts: int
    hearts: int


@dataclass(frozen=True)
class CategoryTally:
    category: AwardCategory
    rows: list[TallyRow]
    winner: AwardWinner | None

    @property
    def winner_name(self) -> str | None:
        """Read from the rows, so the page needs no query per category."""
        if self.winner is None:
            return None
        return next((r.nomination.nominee_name for r in self.rows if r.nomination.id == self.winner.nomination_id),
                    None)


def tally(award_year: AwardYear) -> list[CategoryTally]:
    """Per category, each public nominee's average, number of scores and of conflicts, best first.
    Four queries whatever the number of nominees: categories, nominations, scores, conflicts, plus
    the winners."""
    scored = {nid: (total, count) for nid, total, count in db.session.execute(
        select(JuryScore.nomination_id, func.sum(JuryScore.score), func.count(JuryScore.id))
        .join(JuryMember, JuryMember.id == JuryScore.jury_member_id)
        .where(JuryMember.award_year_id == award_year.id).group_by(JuryScore.nomination_id))}
    conflicted = dict(db.session.execute(
        select(JuryConflict.nomination_id, func.count(JuryConflict.id))
        .join(JuryMember, JuryMember.id == JuryConflict.jury_member_id)
        .where(JuryMember.award_year_id == award_year.id).group_by(JuryConflict.nomination_id)).all())
    winners = {w.category_id: w for w in db.session.scalars(
        select(AwardWinner).join(AwardWinner.category).where(AwardCategory.award_year_id == award_year.id))}
    result = []
    for category, nominations in _by_category(award_year, lambda n: n):
        by_id = {n.id: n for n in nominations}
        lines = [jury_tally.Line(key=n.id, name=n.nominee_name, total=int(scored.get(n.id, (0, 0))[0] or 0),
                                 scores=int(scored.get(n.id, (0, 0))[1]), conflicts=int(conflicted.get(n.id, 0)),
                                 hearts=n.heart_count) for n in nominations]
        rows = [TallyRow(by_id[line.key], line.average, line.scores, line.conflicts, line.hearts)
                for line in jury_tally.ranked(lines)]
        result.append(CategoryTally(category, rows, winners.get(category.id)))
    return result


@dataclass(frozen=True)
class Detail:
    member: JuryMember
    score: int | None
    note: str
    conflict_note: str | None


def jury_details(award_year: AwardYear) -> dict[int, list[Detail]]:
    """{nomination id: each member's score or conflict with their notes}: for the coordinator only."""
    found: dict[int, list[Detail]] = defaultdict(list)
    rows = db.session.execute(
        select(JuryScore, JuryMember).join(JuryMember, JuryMember.id == JuryScore.jury_member_id)
        .options(joinedload(JuryMember.user))
        .where(JuryMember.award_year_id == award_year.id).order_by(JuryMember.id)).all()
    for s, member in rows:
        found[s.nomination_id].append(Detail(member, s.score, s.note, None))
    rows = db.session.execute(
        select(JuryConflict, JuryMember).join(JuryMember, JuryMember.id == JuryConflict.jury_member_id)
        .options(joinedload(JuryMember.user))
        .where(JuryMember.award_year_id == award_year.id).order_by(JuryMember.id)).all()
    for c, member in rows:
        found[c.nomination_id].append(Detail(member, None, "", c.note))
    return found


# --- winners ----------------------------------------------------------------------------------

def winner_of(category: AwardCategory) -> AwardWinner | None:
    return db.session.scalar(select(AwardWinner).where(AwardWinner.category_id == category.id))


def record_winner(category: AwardCategory, nomination: Nomination | None, by: User, *, motivation: str,
                  now: datetime) -> AwardWinner:
    """The jury's decision for one category, with the public motivation; changeable until the
    announcement, refused from then on."""
    _check_open(category.award_year, now)
    motivation = (motivation or "").strip()
    if (nomination is None or nomination.category_id != category.id
            or not is_jury_nomination(category.award_year, nomination)):
        raise errors.wrong_category()
    if not motivation:
        raise errors.motivation_required()
    found = winner_of(category)
    if found is None:
        try:
            with db.session.begin_nested():
                found = AwardWinner(category_id=category.id, nomination_id=nomination.id, motivation=motivation,
                                    decided_by_id=by.id, created_at=now, updated_at=now)
                db.session.add(found)
                db.session.flush()
            return found
        except IntegrityError:
            # Two coordinators recording at once: the last one sent is what stands, as an edit would.
            found = winner_of(category)
    found.nomination_id, found.motivation, found.decided_by_id, found.updated_at = (
        nomination.id, motivation, by.id, now)
    db.session.flush()
    return found
