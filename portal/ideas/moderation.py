"""Moderation after publication: the coordinator decides on reports and hides what breaks the
published house rules, with a reason the author sees (and is mailed)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal import audit
from portal.extensions import db
from portal.ideas import staff_errors as errors
from portal.links import base_url
from portal.models import Idea, IdeaComment, Report, ReportReason, User
from portal.outbox import queue_email

RULE_LABELS = {
    ReportReason.personal_data: _l("Personal data about others"),
    ReportReason.advertising: _l("Advertising"),
    ReportReason.hate: _l("Hate or harassment"),
    ReportReason.other: _l("Another of the house rules"),
}


@dataclass(frozen=True)
class OpenItem:
    """An idea or a comment with its open reports, shown once however many reported it."""
    idea: Idea | None
    comment: IdeaComment | None
    reports: list[Report]

    @property
    def target(self):
        return self.comment if self.comment is not None else self.idea

    @property
    def kind(self) -> str:
        return "comment" if self.comment is not None else "idea"


def open_items(*, limit: int = 200) -> list[OpenItem]:
    reports = db.session.scalars(select(Report).where(Report.resolved_at.is_(None))
                                 .options(selectinload(Report.idea), selectinload(Report.comment)
                                          .selectinload(IdeaComment.idea))
                                 .order_by(Report.created_at, Report.id).limit(limit)).all()
    grouped: dict[tuple[str, int], list[Report]] = {}
    for report in reports:
        key = ("comment", report.comment_id) if report.comment_id else ("idea", report.idea_id)
        grouped.setdefault(key, []).append(report)
    return [OpenItem(idea=found[0].idea if kind == "idea" else found[0].comment.idea,
                     comment=found[0].comment if kind == "comment" else None, reports=found)
            for (kind, _), found in grouped.items()]


def _resolve(target, by: User, *, upheld: bool, now: datetime) -> int:
    column = Report.comment_id if isinstance(target, IdeaComment) else Report.idea_id
    return db.session.execute(update(Report).where(column == target.id, Report.resolved_at.is_(None))
                              .values(resolved_at=now, resolved_by_id=by.id, upheld=upheld)).rowcount


def _author_address(target) -> tuple[str | None, str]:
    if target.author_id is not None:
        author = db.session.get(User, target.author_id)
        if author is not None:
            return author.email, author.locale
    if isinstance(target, Idea) and target.author_email:
        return target.author_email, "da"
    return None, "da"


def _idea_of(target: Idea | IdeaComment) -> Idea:
    return target if isinstance(target, Idea) else target.idea


def hide(target: Idea | IdeaComment, by: User, *, rule: str, reason: str, now: datetime) -> None:
    """Hides an idea or a comment with the house rule it breaks and a reason; every open report on
    it is resolved as upheld; the author is told why."""
    if target.hidden_at is not None:
        raise errors.already_hidden()
    rule = ReportReason(rule)
    # A conditional UPDATE, not a check then a write: a double click (or two coordinators) reads
    # "not hidden" twice, and only one of them may hide it and mail the author.
    model = type(target)
    won = db.session.execute(
        update(model).where(model.id == target.id, model.hidden_at.is_(None))
        .values(hidden_at=now, hidden_reason=reason.strip(), hidden_by_id=by.id)
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        raise errors.already_hidden()
    db.session.refresh(target, ["hidden_at", "hidden_reason", "hidden_by_id"])
    _resolve(target, by, upheld=True, now=now)
    db.session.flush()
    # The idea's title, never the hidden text itself (it may be the very personal data it was hidden for).
    audit.record(by, "content_hidden", obj=target, summary=_idea_of(target).title,
                 after={"rule": rule.value, "reason": target.hidden_reason}, subjects=[target.author_id], now=now)
    email, locale = _author_address(target)
    if email:
        idea = target if isinstance(target, Idea) else target.idea
        queue_email(email, "idea_hidden", locale=locale, target=target, idea=idea,
                    is_comment=isinstance(target, IdeaComment), rule_label=RULE_LABELS[rule],
                    reason=target.hidden_reason, idea_url=f"{base_url()}/ideas/{idea.id}",
                    rules_url=f"{base_url()}/ideas/rules")


def keep(report: Report, by: User, *, now: datetime) -> int:
    """The coordinator finds nothing wrong: every open report on the same item is closed, not upheld."""
    if report.resolved_at is not None:
        raise errors.report_resolved()
    target = report.comment if report.comment_id else report.idea
    kept = _resolve(target, by, upheld=False, now=now)
    db.session.flush()
    return kept


def hidden_comments(idea: Idea) -> list[IdeaComment]:
    return list(db.session.scalars(select(IdeaComment).where(IdeaComment.idea_id == idea.id,
                                                             IdeaComment.hidden_at.is_not(None))
                                   .order_by(IdeaComment.created_at, IdeaComment.id)))


def show_again(target: Idea | IdeaComment, *, by: User | None = None, now: datetime | None = None) -> None:
    before = {"reason": target.hidden_reason}
    target.hidden_at = target.hidden_reason = target.hidden_by_id = None
    db.session.flush()
    audit.record(by, "content_shown_again", obj=target, summary=_idea_of(target).title,
                 before=before, subjects=[target.author_id], now=now)
