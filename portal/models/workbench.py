"""The coordinator's workbench (anbefalingsrapport, Tema 2, initiativ 4): the displacement check
("frivillige må ikke erstatte fagpersonale"), cooperation agreements with their evaluations, the
volunteer charter and what volunteers do not do, organisers' messages and the newsletter, assisted
profiles for citizens without e-mail and the call list that replaces their mail, and the audit log.

What the shape of the tables keeps true:
- a municipal institution's task that trips the displacement check is not published until the
  coordinator decides; the review and its reason stay as a row (the log for the MED committee);
- a charter acceptance names the version accepted; a new version asks again;
- a message's recipients are rows, so a volunteer's data export can list what they were sent,
  and no recipient ever sees the others;
- an assisted profile records how consent was given (by phone or on paper), when and by whom;
  every mail the portal would have sent such a person becomes a line on the call list instead;
- an audit event names who did what to whose data, with before/after; the people whose data it
  touched are rows (`AuditSubject`), so each person's export can say who saw them."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, enum_column, utcnow


# --- the displacement check (fortrængningstjek) ---------------------------------------------------

class ReviewStatus(enum.Enum):
    pending = "pending"
    approved = "approved"
    approved_with_changes = "approved_with_changes"
    declined = "declined"


class DisplacementReview(db.Model):
    """The answers an institution gave before publishing a task, and the coordinator's decision.

    A task with any "yes" waits as a draft with a pending review; approval publishes it. Reviews are
    never deleted with a decision: they are the log the coordinator exports."""

    __tablename__ = "displacement_reviews"
    __table_args__ = (
        # One open review per task: a double click on "publish" cannot queue two.
        Index("uq_displacement_reviews_pending", "task_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
        Index("ix_displacement_reviews_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # The four questions; any True sends the task to the coordinator.
    paid_staff_do_it: Mapped[bool] = mapped_column(default=False)      # now or in the last two years
    regulated_work: Mapped[bool] = mapped_column(default=False)        # care, medicine, money, keys, law
    on_excluded_list: Mapped[bool] = mapped_column(default=False)      # the published list
    other_concern: Mapped[bool] = mapped_column(default=False)
    explanation: Mapped[str | None] = mapped_column(Text)              # the institution's own words
    # A snapshot of the task as it was submitted, so "approved with changes" can show what changed.
    title_submitted: Mapped[str] = mapped_column(String(140))
    description_submitted: Mapped[str] = mapped_column(Text)
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus, length=24), default=ReviewStatus.pending)
    decision_note: Mapped[str | None] = mapped_column(Text)            # the reason, or what was changed
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    task: Mapped["Task"] = relationship()  # noqa: F821
    organisation: Mapped["Organisation"] = relationship()  # noqa: F821

    @property
    def is_pending(self) -> bool:
        return self.status is ReviewStatus.pending

    def __repr__(self) -> str:
        return f"<DisplacementReview {self.id} task={self.task_id} {self.status.value}>"


class ExcludedDuty(db.Model):
    """One line of the published list of what volunteers in Dragør do not do (personal care,
    medicine, a citizen's money or keys ...). The coordinator keeps it; tasks are checked against it."""

    __tablename__ = "excluded_duties"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_da: Mapped[str] = mapped_column(String(300))
    text_en: Mapped[str] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def text(self, locale: str) -> str:
        return self.text_en if str(locale).startswith("en") else self.text_da

    def __repr__(self) -> str:
        return f"<ExcludedDuty {self.id}>"


# --- cooperation agreements -------------------------------------------------------------------------

class AgreementStatus(enum.Enum):
    draft = "draft"
    active = "active"
    ended = "ended"


class Agreement(db.Model):
    """A cooperation agreement as data: between the municipality (party_a_id NULL) or an institution and
    an association or a school class. `party_b_label` names a part of party B ("8. klasse")."""

    __tablename__ = "agreements"
    __table_args__ = (
        CheckConstraint("review_on >= starts_on", name="review_after_start"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index("ix_agreements_status_review", "status", "review_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(140))
    purpose: Mapped[str] = mapped_column(Text)
    party_a_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    party_b_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    party_b_label: Mapped[str | None] = mapped_column(String(120))
    duties_a: Mapped[str] = mapped_column(Text)          # who does what
    duties_b: Mapped[str] = mapped_column(Text)
    contact_a_name: Mapped[str] = mapped_column(String(120))
    contact_a_email: Mapped[str | None] = mapped_column(String(254))
    contact_a_phone: Mapped[str | None] = mapped_column(String(20))
    contact_b_name: Mapped[str] = mapped_column(String(120))
    contact_b_email: Mapped[str | None] = mapped_column(String(254))
    contact_b_phone: Mapped[str | None] = mapped_column(String(20))
    starts_on: Mapped[date]
    review_on: Mapped[date]
    ends_on: Mapped[date | None]
    status: Mapped[AgreementStatus] = mapped_column(enum_column(AgreementStatus), default=AgreementStatus.active)
    # Set by the tick step that sends the evaluation survey for the current review date.
    evaluation_sent_for: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    party_a: Mapped["Organisation | None"] = relationship(foreign_keys=[party_a_id])  # noqa: F821
    party_b: Mapped["Organisation"] = relationship(foreign_keys=[party_b_id])  # noqa: F821
    tasks: Mapped[list["Task"]] = relationship(secondary="agreement_tasks")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Agreement {self.id} {self.title!r} {self.status.value}>"


agreement_tasks = db.Table(
    "agreement_tasks",
    db.Column("agreement_id", db.ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    db.Column("task_id", db.ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class EvaluationRole(enum.Enum):
    party_a = "party_a"
    party_b = "party_b"
    volunteer = "volunteer"


class AgreementEvaluation(db.Model):
    """One person's invitation to evaluate an agreement at its review date, and their answers.
    Only a hash of the link's token is kept; the answers go to the coordinator."""

    __tablename__ = "agreement_evaluations"
    __table_args__ = (
        UniqueConstraint("agreement_id", "review_on", "email", name="uq_agreement_evaluations_once"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    review_on: Mapped[date]
    role: Mapped[EvaluationRole] = mapped_column(enum_column(EvaluationRole))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rating: Mapped[int | None]                                   # 1 (poor) .. 5 (very good)
    went_well: Mapped[str | None] = mapped_column(Text)
    to_change: Mapped[str | None] = mapped_column(Text)
    carry_on: Mapped[bool | None]

    agreement: Mapped[Agreement] = relationship()

    def __repr__(self) -> str:
        return f"<AgreementEvaluation {self.id} agreement={self.agreement_id} {self.role.value}>"


# --- the volunteer charter ---------------------------------------------------------------------------

class CodeOfConduct(db.Model):
    """One published version of the volunteer charter (frivilligcharter). Versions are never edited
    after publishing; a change is a new version, and organisations that require it ask again."""

    __tablename__ = "codes_of_conduct"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    body_da: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def body(self, locale: str) -> str:
        return self.body_en if str(locale).startswith("en") else self.body_da

    def __repr__(self) -> str:
        return f"<CodeOfConduct v{self.version}>"


class CodeAcceptance(db.Model):
    __tablename__ = "code_acceptances"
    __table_args__ = (UniqueConstraint("user_id", "code_id", name="uq_code_acceptances_user_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes_of_conduct.id", ondelete="CASCADE"), index=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who recorded it when it was not the person (an assisted profile, read out by phone).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    code: Mapped[CodeOfConduct] = relationship()

    def __repr__(self) -> str:
        return f"<CodeAcceptance user={self.user_id} code={self.code_id}>"


# --- messages and the newsletter ---------------------------------------------------------------------

class Message(db.Model):
    """An organiser's message to everyone signed up for a time or a task (and, if chosen, its
    waitlist). Sent as separate mails with the organisation as sender; recipients never see each other."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(140))
    body: Mapped[str] = mapped_column(Text)
    include_waitlist: Mapped[bool] = mapped_column(default=False)
    recipient_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    task: Mapped["Task | None"] = relationship()  # noqa: F821
    slot: Mapped["Slot | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Message {self.id} org={self.organisation_id} to={self.recipient_count}>"


class MessageRecipient(db.Model):
    __tablename__ = "message_recipients"

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<MessageRecipient message={self.message_id} user={self.user_id}>"


class NewsletterStatus(enum.Enum):
    draft = "draft"
    sent = "sent"


class Newsletter(db.Model):
    """The coordinator's newsletter to volunteers who opted in, narrowed by interest or area; the
    upcoming needs are filled in when it is sent."""

    __tablename__ = "newsletters"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_da: Mapped[str] = mapped_column(String(140))
    subject_en: Mapped[str] = mapped_column(String(140))
    intro_da: Mapped[str] = mapped_column(Text)
    intro_en: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="SET NULL"))
    postcode: Mapped[str | None] = mapped_column(String(4))
    status: Mapped[NewsletterStatus] = mapped_column(enum_column(NewsletterStatus), default=NewsletterStatus.draft)
    recipient_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    category: Mapped["Category | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Newsletter {self.id} {self.status.value}>"


# --- citizens without e-mail ---------------------------------------------------------------------------

class ConsentMethod(enum.Enum):
    phone = "phone"
    paper = "paper"
    in_person = "in_person"


class AssistedProfile(db.Model):
    """A citizen without e-mail whom the coordinator (or an organisation admin) signs up. The User row
    has no e-mail and no password; this row says how consent was given, when and by whom. When the
    citizen takes over the profile with an e-mail of their own, `taken_over_at` is set."""

    __tablename__ = "assisted_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    postal_address: Mapped[str] = mapped_column(String(200))
    consent_method: Mapped[ConsentMethod] = mapped_column(enum_column(ConsentMethod))
    consent_given_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # An organisation admin's assisted profile is looked after by that organisation (and the coordinator).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    note: Mapped[str | None] = mapped_column(Text)                 # "ring efter kl. 10", "hører dårligt"
    takeover_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    takeover_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    taken_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<AssistedProfile user={self.user_id}>"


class CallListItem(db.Model):
    """A mail the portal would have sent to a person without e-mail: whom to phone, why, and the
    words to read out. Done when someone has called (with a note)."""

    __tablename__ = "call_list_items"
    __table_args__ = (Index("ix_call_list_items_open", "done_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(60))                # the mail template's name
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome_note: Mapped[str | None] = mapped_column(String(300))

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<CallListItem {self.id} user={self.user_id} {self.reason}>"


# --- accountability ------------------------------------------------------------------------------------

class AuditEvent(db.Model):
    """What staff did with other people's data and with approvals. `actor_name` is a snapshot, so the
    log still reads after the actor's account is deleted. Kept AUDIT_KEEP_DAYS (tick deletes older)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    summary: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[str | None] = mapped_column(Text)       # JSON
    after: Mapped[str | None] = mapped_column(Text)        # JSON

    subjects: Mapped[list["AuditSubject"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} by={self.actor_id}>"


class AuditSubject(db.Model):
    """A person whose data an audit event touched (e.g. each volunteer on an exported roster)."""

    __tablename__ = "audit_subjects"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<AuditSubject event={self.event_id} user={self.user_id}>"
