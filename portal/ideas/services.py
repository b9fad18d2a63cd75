"""The ideas box's rules for citizens: writing an idea (with an account, or through the short form
confirmed by e-mail), editing it while nobody else supports it and adding corrections after that,
"Jeg støtter" and "Jeg vil gerne hjælpe", comments and reports.

The two counters on `ideas` move only in SQL (`support_count = support_count + 1`), in the same
transaction as the row they count and only when that row was really inserted or deleted: two
people at once, or one person clicking twice, never lose or double a count (the primary key of
idea_supports and the unique (idea, user) of help_pledges stop the second row)."""

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from portal import pictures
from portal.core.people import age_on
from portal.core.text import hash_token, new_token
from portal.core.timeutil import to_local
from portal.errors import DomainError
from portal.extensions import db
from portal.ideas import errors
from portal.models import (Category, HelpPledge, Idea, IdeaChannel, IdeaComment, IdeaCorrection, IdeaSupport,
                           Report, ReportReason, User)
from portal.outbox import queue_email
from portal.ratelimits import TooMany, hit, wait_text

CONFIRM_DAYS = 7
PICTURE_MAX_BYTES = pictures.MAX_BYTES
IDEA_FIELDS = ("title", "body", "who_it_helps", "category_id", "place_name", "postcode")

# Per network (client address) unless said otherwise; config may override each.
LIMITS = {
    "IDEA_SEND_RATE_LIMIT": "5 per hour;20 per day",
    "IDEA_SEND_RECIPIENT_RATE_LIMIT": "3 per day",       # per e-mail address
    "IDEA_REPORT_RATE_LIMIT": "20 per hour;60 per day",
    "IDEA_WRITE_RATE_LIMIT": "10 per day",               # per user
    "IDEA_COMMENT_RATE_LIMIT": "30 per hour;100 per day",  # per user
    # Per user: supporting, pledging and withdrawing either, together. Far above what anyone
    # clicks; a script toggling its support would otherwise write (and move the page cache's
    # data version, emptying every cached page) as fast as it can send.
    "IDEA_SUPPORT_RATE_LIMIT": "60 per hour;200 per day",
}


def _limit(name: str) -> str:
    return current_app.config.get(name, LIMITS[name])


def _check_limit(scope: str, config_key: str, key, *, field=None) -> None:
    if blocked := hit(scope, _limit(config_key), key):
        raise TooMany(_l("You have done that many times in a short while. Try again %(wait)s.",
                         wait=wait_text(blocked)), field=field)


# --- who may write ----------------------------------------------------------------------------

def writing_refused(user, *, today: date) -> DomainError | None:
    """Why `user` may not write an idea (15 or older, by the date of birth we know), or None."""
    if user.birth_date is None:
        return errors.birth_date_unknown()
    if age_on(user.birth_date, today) < errors.MIN_AGE:
        return errors.too_young()
    return None


def shown_name(idea: Idea) -> str:
    """The author as the public sees them: an account's first name, the name given on the short
    form, or "a citizen". Never the e-mail address."""
    if idea.author is not None:
        return first_name(idea.author.name)
    return idea.author_name or str(_l("A citizen"))


def first_name(name: str | None) -> str:
    parts = (name or "").split()
    return parts[0] if parts else str(_l("A citizen"))


# --- the picture ------------------------------------------------------------------------------

def clean_picture(data: bytes) -> bytes:
    """A JPEG of at most 1200×1200 made from the upload's pixels only (portal/pictures.py)."""
    return pictures.clean_picture(data)[0]


def _set_picture(idea: Idea, picture: bytes | None, alt: str | None, *, remove: bool, now: datetime) -> None:
    alt = (alt or "").strip() or None
    if remove and picture is None:
        idea.picture = idea.picture_alt = idea.picture_updated_at = None
        return
    if picture is not None:
        if alt is None:
            raise errors.picture_needs_alt()
        idea.picture, idea.picture_updated_at = clean_picture(picture), now
    if idea.picture is not None:
        if alt is None:
            raise errors.picture_needs_alt()
        idea.picture_alt = alt


def _check_category(category_id: int | None) -> None:
    if category_id is not None and db.session.scalar(
            select(Category.id).where(Category.id == category_id, Category.active.is_(True))) is None:
        raise errors.unknown_category()


# --- writing and editing ----------------------------------------------------------------------

def write_idea(author: User, *, title, body, who_it_helps, category_id=None, place_name=None, postcode=None,
               picture: bytes | None = None, picture_alt=None, now: datetime) -> Idea:
    """An idea from someone logged in: public at once."""
    if refused := writing_refused(author, today=to_local(now).date()):
        raise refused
    _check_category(category_id)
    idea = Idea(title=title, body=body, who_it_helps=who_it_helps or "", category_id=category_id,
                place_name=place_name or None, postcode=postcode or None, channel=IdeaChannel.web,
                author_id=author.id, published_at=now, created_at=now, updated_at=now)
    _set_picture(idea, picture, picture_alt, remove=False, now=now)
    # Counted last: the quota is for ideas written, and a phone photo the portal cannot read,
    # tried again a few times, must not block the writer for a day.
    _check_limit("idea-write", "IDEA_WRITE_RATE_LIMIT", author.id)
    db.session.add(idea)
    db.session.flush()
    return idea


def supports_of_others(idea: Idea, user) -> int:
    """How many people other than `user` support the idea (the author may support their own)."""
    own = 0
    if user is not None and getattr(user, "is_authenticated", False):
        own = 1 if db.session.get(IdeaSupport, (idea.id, user.id)) is not None else 0
    return max(idea.support_count - own, 0)


def is_author(idea: Idea, user) -> bool:
    return (user is not None and getattr(user, "is_authenticated", False) and idea.author_id is not None
            and idea.author_id == user.id)


def is_author_of(user, idea: Idea) -> bool:
    """`is_author` in the loaders' order (user, object)."""
    return is_author(idea, user)


def may_edit(idea: Idea, user) -> bool:
    """The author edits the text only while nobody else supports it: the supporters supported
    *that* text (Decidim #3622)."""
    return is_author(idea, user) and idea.hidden_at is None and supports_of_others(idea, user) == 0


def edit_idea(idea: Idea, user: User, *, title, body, who_it_helps, category_id=None, place_name=None,
              postcode=None, picture: bytes | None = None, picture_alt=None, remove_picture=False,
              now: datetime) -> Idea:
    if not is_author(idea, user):
        raise errors.not_author()
    # Read again inside this (writing) transaction: a support that arrived while the author typed
    # locks the text just the same.
    db.session.refresh(idea, ["support_count"])
    if not may_edit(idea, user):
        raise errors.locked()
    _check_category(category_id)
    idea.title, idea.body, idea.who_it_helps = title, body, who_it_helps or ""
    idea.category_id, idea.place_name, idea.postcode = category_id, place_name or None, postcode or None
    _set_picture(idea, picture, picture_alt, remove=remove_picture, now=now)
    idea.updated_at = now
    db.session.flush()
    return idea


def add_correction(idea: Idea, user: User, body: str, *, now: datetime) -> IdeaCorrection:
    if not is_author(idea, user):
        raise errors.not_author()
    if idea.hidden_at is not None:
        raise errors.not_open()
    if (same := _sent_just_now(IdeaCorrection, idea, user, body, now)) is not None:
        return same
    correction = IdeaCorrection(idea_id=idea.id, author_id=user.id, body=body, created_at=now)
    db.session.add(correction)
    db.session.flush()
    return correction


# --- the short form, without an account -------------------------------------------------------

def send_idea(*, name, email, title, body, who_it_helps, network: str, locale: str, now: datetime) -> Idea:
    """An idea from someone without an account: kept unpublished until the link we mail to
    `email` is opened (within CONFIRM_DAYS; after that the tick deletes it). Only the token's
    hash is stored."""
    _check_limit("idea-send", "IDEA_SEND_RATE_LIMIT", network)
    _check_limit("idea-send-recipient", "IDEA_SEND_RECIPIENT_RATE_LIMIT", email.lower(), field="email")
    token = new_token()
    idea = Idea(title=title, body=body, who_it_helps=who_it_helps or "", channel=IdeaChannel.email,
                author_name=name or None, author_email=email, confirm_token_hash=hash_token(token),
                published_at=None, created_at=now, updated_at=now)
    db.session.add(idea)
    db.session.flush()
    queue_email(email, "idea_confirm", locale=locale, idea=idea, token=token, days=CONFIRM_DAYS)
    return idea


def confirm_idea(token: str, *, now: datetime) -> Idea:
    """Publishes the idea the link belongs to. Opening the link again shows the same idea."""
    if not token or len(token) > 200:
        raise errors.bad_link()
    idea = db.session.scalar(select(Idea).where(Idea.confirm_token_hash == hash_token(token)))
    if idea is None:
        raise errors.bad_link()
    if idea.published_at is None:
        if idea.created_at < now - timedelta(days=CONFIRM_DAYS):
            raise errors.bad_link()
        idea.published_at = now
        db.session.flush()
    return idea


def delete_unconfirmed(*, now) -> int:
    """Tick step: ideas from the short form whose link was never opened within CONFIRM_DAYS are
    deleted (with the e-mail address they carry). Returns how many."""
    result = db.session.execute(
        delete(Idea).where(Idea.channel == IdeaChannel.email, Idea.published_at.is_(None),
                           Idea.confirm_token_hash.is_not(None),
                           Idea.created_at < now - timedelta(days=CONFIRM_DAYS))
        .execution_options(synchronize_session=False))
    db.session.flush()
    return result.rowcount or 0


# --- the two buttons --------------------------------------------------------------------------

def _check_open(idea: Idea) -> None:
    if not idea.is_visible:
        raise errors.not_open()


def _bump(column, idea_id: int, by: int) -> None:
    condition = Idea.id == idea_id
    if by < 0:
        condition = and_(condition, column > 0)
    db.session.execute(update(Idea).where(condition).values({column: column + by})
                       .execution_options(synchronize_session=False))


def _count_in(model, column, idea: Idea, user: User, *, now: datetime, **choices) -> bool:
    """Inserts the person's row and raises the idea's counter in one savepoint. A second click
    meets the unique key: nothing is counted, only the person's choices are updated."""
    _check_open(idea)
    _check_limit("idea-support", "IDEA_SUPPORT_RATE_LIMIT", user.id)
    try:
        with db.session.begin_nested():
            db.session.add(model(idea_id=idea.id, user_id=user.id, created_at=now, **choices))
            db.session.flush()
            _bump(column, idea.id, +1)
    except IntegrityError:
        db.session.execute(update(model).where(model.idea_id == idea.id, model.user_id == user.id)
                           .values(**choices).execution_options(synchronize_session=False))
        _refresh_counts(idea)
        return False
    _refresh_counts(idea)
    return True


def _count_out(model, column, idea: Idea, user: User) -> bool:
    """Deletes the person's row; the counter goes down only if a row was really there."""
    _check_limit("idea-support", "IDEA_SUPPORT_RATE_LIMIT", user.id)
    deleted = db.session.execute(delete(model).where(model.idea_id == idea.id, model.user_id == user.id)
                                 .execution_options(synchronize_session=False)).rowcount
    if deleted:
        _bump(column, idea.id, -1)
    _refresh_counts(idea)
    return bool(deleted)


def support(idea: Idea, user: User, *, notify: bool, now: datetime) -> bool:
    """"Jeg støtter". True if this counted a new support; False if the person already supported
    the idea (a double click): then only their choice about being told is updated."""
    return _count_in(IdeaSupport, Idea.support_count, idea, user, now=now, notify=notify)


def withdraw_support(idea: Idea, user: User) -> bool:
    return _count_out(IdeaSupport, Idea.support_count, idea, user)


def pledge(idea: Idea, user: User, *, note: str, notify: bool, now: datetime) -> bool:
    """"Jeg vil gerne hjælpe". True for a new pledge; False when the person had pledged already
    (then the note and the choice about being told are updated)."""
    return _count_in(HelpPledge, Idea.help_count, idea, user, now=now, note=note or "", notify=notify)


def withdraw_pledge(idea: Idea, user: User) -> bool:
    return _count_out(HelpPledge, Idea.help_count, idea, user)


def _refresh_counts(idea: Idea) -> None:
    db.session.flush()
    db.session.expire(idea, ["support_count", "help_count"])


def my_support(idea: Idea, user) -> IdeaSupport | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.get(IdeaSupport, (idea.id, user.id))


def my_pledge(idea: Idea, user) -> HelpPledge | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(HelpPledge).where(HelpPledge.idea_id == idea.id, HelpPledge.user_id == user.id))


# --- comments and reports ---------------------------------------------------------------------

# A double click on "Publish" (there is no script to stop the second) sends the same text twice.
DOUBLE_SEND = timedelta(minutes=2)


def _sent_just_now(model, idea: Idea, user: User, body: str, now: datetime):
    """The same text from the same person on the same idea moments ago, or None. The idea's row is
    locked first (PostgreSQL; SQLite's writers queue anyway), so two copies arriving at once are
    looked at one after the other and the second finds the first."""
    db.session.execute(select(Idea.id).where(Idea.id == idea.id).with_for_update())
    return db.session.scalar(select(model).where(
        model.idea_id == idea.id, model.author_id == user.id, model.body == body,
        model.created_at > now - DOUBLE_SEND).order_by(model.id.desc()).limit(1))


def add_comment(idea: Idea, user: User, body: str, *, now: datetime) -> IdeaComment:
    _check_open(idea)
    if (same := _sent_just_now(IdeaComment, idea, user, body, now)) is not None:
        return same
    _check_limit("idea-comment", "IDEA_COMMENT_RATE_LIMIT", user.id, field="body")
    comment = IdeaComment(idea_id=idea.id, author_id=user.id, body=body, created_at=now)
    db.session.add(comment)
    db.session.flush()
    return comment


def report(*, idea: Idea | None = None, comment: IdeaComment | None = None, reporter, reason: str, note: str,
           network: str, now: datetime) -> Report:
    """Anyone may report an idea or a comment (the coordinator decides). Counted per network."""
    _check_limit("idea-report", "IDEA_REPORT_RATE_LIMIT", network)
    reporter_id = reporter.id if reporter is not None and getattr(reporter, "is_authenticated", False) else None
    row = Report(idea_id=idea.id if comment is None and idea is not None else None,
                 comment_id=comment.id if comment is not None else None, reporter_id=reporter_id,
                 reason=ReportReason(reason), note=note or "", created_at=now)
    db.session.add(row)
    db.session.flush()
    return row


def count_open_reports() -> int:
    return db.session.scalar(select(func.count(Report.id)).where(Report.resolved_at.is_(None))) or 0
