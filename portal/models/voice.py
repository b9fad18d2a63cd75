"""The citizens' voice (anbefalingsrapport, Tema 2, initiativ 5): the ideas box (idébrønd), calls for
input ("Spørg borgerne") and asking for help (help offered by organisations, private requests routed
by the coordinator).

What the participation platforms taught, kept in the shape of the tables:
- staff's working state and draft answer live apart from the published state and answer; only
  publishing (a deliberate act) changes what the public, the author and the supporters see;
- support and "I will help" are counted apart, each with a counter kept in the same transaction as
  the row it counts, so two people at once cannot lose a count;
- a help request is never public and carries the date it is deleted."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, enum_column, utcnow


# --- the ideas box ------------------------------------------------------------------------------

class IdeaState(enum.Enum):
    """The life cycle. `new` until staff publish an answer; every later state is a published answer."""
    new = "new"
    considering = "considering"
    accepted = "accepted"
    not_now = "not_now"
    declined = "declined"
    exists = "exists"          # already exists: the answer links to it
    done = "done"


class IdeaChannel(enum.Enum):
    """How the idea reached us: written on the site, sent without an account, or typed in by staff
    from paper."""
    web = "web"
    email = "email"            # the short form for people without an account, confirmed by e-mail
    library = "library"
    volunteer_day = "volunteer_day"
    paper = "paper"            # other paper or a conversation
    phone = "phone"


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint("support_count >= 0", name="support_count_positive"),
        CheckConstraint("help_count >= 0", name="help_count_positive"),
        Index("ix_ideas_public", "published_at", "hidden_at", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(140))
    body: Mapped[str] = mapped_column(Text)                      # what the idea is
    who_it_helps: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="SET NULL"))
    place_name: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(4))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # The picture as we serve it: re-encoded, resized, without the uploader's metadata; alt text required.
    picture: Mapped[bytes | None] = mapped_column(LargeBinary)
    picture_alt: Mapped[str | None] = mapped_column(String(200))
    picture_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    channel: Mapped[IdeaChannel] = mapped_column(enum_column(IdeaChannel), default=IdeaChannel.web)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Ideas without an account (or from paper): the name shown (may be blank: "a citizen") and, for
    # the e-mail form, the private address answers are sent to. Never shown to anyone but staff.
    author_name: Mapped[str | None] = mapped_column(String(120))
    author_email: Mapped[str | None] = mapped_column(String(254))
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Visible to the public from this moment (at once for accounts and staff; after the e-mail
    # confirmation for the short form).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    support_count: Mapped[int] = mapped_column(default=0)
    help_count: Mapped[int] = mapped_column(default=0)

    # The published answer: what everyone sees.
    state: Mapped[IdeaState] = mapped_column(enum_column(IdeaState), default=IdeaState.new, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answer_link: Mapped[str | None] = mapped_column(String(300))    # "already exists": where
    answer_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Staff's working state and draft, never shown outside staff until published.
    draft_state: Mapped[IdeaState | None] = mapped_column(enum_column(IdeaState))
    draft_answer: Mapped[str | None] = mapped_column(Text)
    draft_link: Mapped[str | None] = mapped_column(String(300))
    draft_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # The support threshold: when it was passed and the answer date promised publicly.
    threshold_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_due_on: Mapped[date | None]

    # From idea to task: the organisation that took it on and the task it became.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"), index=True)
    helpers_invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Moderation after publication.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821
    category: Mapped["Category | None"] = relationship()  # noqa: F821
    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    task: Mapped["Task | None"] = relationship()  # noqa: F821
    corrections: Mapped[list["IdeaCorrection"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", passive_deletes=True,
        order_by="IdeaCorrection.created_at")

    @property
    def is_visible(self) -> bool:
        return self.published_at is not None and self.hidden_at is None

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.state.value}>"


class IdeaCorrection(db.Model):
    """Once others support an idea its text is locked (they supported *that*); the author or staff
    add a dated correction note instead."""

    __tablename__ = "idea_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="corrections")

    def __repr__(self) -> str:
        return f"<IdeaCorrection {self.id} idea={self.idea_id}>"


class IdeaSupport(db.Model):
    """"Jeg støtter": one per person, withdrawn by deleting the row (and the counter with it)."""

    __tablename__ = "idea_supports"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    # The supporter's choice to hear what becomes of the idea.
    notify: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<IdeaSupport idea={self.idea_id} user={self.user_id}>"


class HelpPledge(db.Model):
    """"Jeg vil gerne hjælpe": a pledge of time the portal remembers, so the pledger is invited first
    when the idea becomes a task."""

    __tablename__ = "help_pledges"
    __table_args__ = (UniqueConstraint("idea_id", "user_id", name="uq_help_pledges_idea_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")      # e.g. "two hours on Thursday afternoons"
    notify: Mapped[bool] = mapped_column(default=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821
    idea: Mapped[Idea] = relationship()

    def __repr__(self) -> str:
        return f"<HelpPledge {self.id} idea={self.idea_id} user={self.user_id}>"


class IdeaComment(db.Model):
    __tablename__ = "idea_comments"
    __table_args__ = (Index("ix_idea_comments_idea_created", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)                   # plain text only
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821
    idea: Mapped[Idea] = relationship()

    def __repr__(self) -> str:
        return f"<IdeaComment {self.id} idea={self.idea_id}>"


class ReportReason(enum.Enum):
    """The published house rules an idea or comment can break."""
    personal_data = "personal_data"
    advertising = "advertising"
    hate = "hate"
    other = "other"


class Report(db.Model):
    """Anyone can report an idea or a comment; the coordinator decides (hide with a reason, or keep)."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("(idea_id IS NULL) <> (comment_id IS NULL)", name="one_target"),
        Index("ix_reports_open", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("idea_comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[ReportReason] = mapped_column(enum_column(ReportReason))
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    upheld: Mapped[bool | None]                                # True: hidden; False: kept
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    idea: Mapped[Idea | None] = relationship()
    comment: Mapped[IdeaComment | None] = relationship()

    def __repr__(self) -> str:
        return f"<Report {self.id} idea={self.idea_id} comment={self.comment_id}>"


class IdeaSettings(db.Model):
    """The coordinator's threshold: `support_threshold` supports within `window_days` put an idea on
    the coordinator's list, with an answer promised within `answer_days`. One row (id 1)."""

    __tablename__ = "idea_settings"
    __table_args__ = (
        CheckConstraint("support_threshold >= 1 AND support_threshold <= 100000", name="threshold_range"),
        CheckConstraint("window_days >= 1 AND window_days <= 3660", name="window_range"),
        CheckConstraint("answer_days >= 1 AND answer_days <= 366", name="answer_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    support_threshold: Mapped[int] = mapped_column(default=25)
    window_days: Mapped[int] = mapped_column(default=91)
    answer_days: Mapped[int] = mapped_column(default=30)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<IdeaSettings {self.support_threshold} in {self.window_days} days>"


# --- calls for input ----------------------------------------------------------------------------

class CallAudience(enum.Enum):
    everyone = "everyone"
    young = "young"            # 15–25
    near = "near"              # residents near a place (postcode / radius)


class CallStatus(enum.Enum):
    draft = "draft"
    open = "open"
    closed = "closed"          # only with a published "what came of it" note


class Call(db.Model):
    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint("status <> 'closed' OR outcome IS NOT NULL", name="closed_has_outcome"),
        CheckConstraint("radius_km IS NULL OR (radius_km > 0 AND radius_km <= 100)", name="radius_range"),
        Index("ix_calls_status_closes", "status", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The owner: an organisation's contact person, or the municipality (organisation_id None, coordinator).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                         index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(140))
    question: Mapped[str] = mapped_column(Text)
    background: Mapped[str] = mapped_column(Text, default="")
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    audience: Mapped[CallAudience] = mapped_column(enum_column(CallAudience), default=CallAudience.everyone)
    place_name: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(4))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    radius_km: Mapped[float | None]
    # A meeting citizens can join: an ordinary task with its times.
    meeting_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    answers_public: Mapped[bool] = mapped_column(default=False)
    status: Mapped[CallStatus] = mapped_column(enum_column(CallStatus), default=CallStatus.draft)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(Text)          # "what came of it"
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    owner: Mapped["User | None"] = relationship()  # noqa: F821
    meeting_task: Mapped["Task | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Call {self.id} {self.status.value}>"


class CallAnswer(db.Model):
    """One answer per person per call; they may change it until the deadline."""

    __tablename__ = "call_answers"
    __table_args__ = (UniqueConstraint("call_id", "user_id", name="uq_call_answers_call_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    # Shown with the first name when answers are public and the person agreed; otherwise anonymous.
    show_name: Mapped[bool] = mapped_column(default=False)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    call: Mapped[Call] = relationship()
    user: Mapped["User | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<CallAnswer {self.id} call={self.call_id}>"


# --- asking for help ----------------------------------------------------------------------------

class HelpKind(enum.Enum):
    visiting_friend = "visiting_friend"
    it_help = "it_help"
    homework = "homework"
    repair = "repair"
    shopping = "shopping"
    transport = "transport"
    company = "company"        # walks, a cup of coffee, someone to talk to
    other = "other"


class HelpOffer(db.Model):
    """Help an organisation offers citizens, listed on the public page "Få hjælp"."""

    __tablename__ = "help_offers"
    __table_args__ = (Index("ix_help_offers_active_kind", "active", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HelpKind] = mapped_column(enum_column(HelpKind))
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text)
    who_for: Mapped[str] = mapped_column(Text, default="")
    how_to_get: Mapped[str] = mapped_column(Text, default="")
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    waiting_time: Mapped[str | None] = mapped_column(String(120))   # e.g. "about 3 weeks"; blank: none
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<HelpOffer {self.id} {self.kind.value}>"


class HelpRequestStatus(enum.Enum):
    new = "new"                # waiting for the coordinator
    passed = "passed"          # passed to an organisation, waiting for its answer
    accepted = "accepted"      # the organisation takes it on
    closed = "closed"          # done, withdrawn or nothing fitting


class HelpRequest(db.Model):
    """A private request for help. Only the coordinator (and, once passed, the chosen organisation)
    sees it; nothing of it is public; it is deleted on `delete_after`."""

    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="reachable"),
        Index("ix_help_requests_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[HelpKind] = mapped_column(enum_column(HelpKind))
    description: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[str] = mapped_column(String(120))             # roughly where, e.g. "near Dragør Havn"
    postcode: Mapped[str | None] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(120))              # the citizen who needs the help
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    best_time_to_call: Mapped[str | None] = mapped_column(String(120))
    # Asked by a relative: who, and that the citizen agreed.
    asked_by_name: Mapped[str | None] = mapped_column(String(120))
    asked_by_relation: Mapped[str | None] = mapped_column(String(80))
    citizen_consents: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[HelpRequestStatus] = mapped_column(enum_column(HelpRequestStatus),
                                                      default=HelpRequestStatus.new)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("help_offers.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    passed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handed_back_reason: Mapped[str | None] = mapped_column(Text)
    # What the citizen has been told, and when (by phone or mail): the coordinator's call list.
    citizen_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    staff_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delete_after: Mapped[date] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    offer: Mapped[HelpOffer | None] = relationship()
    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<HelpRequest {self.id} {self.status.value}>"
