"""Showing and celebrating volunteering (anbefalingsrapport, Tema 2, initiativ 3; Tema 1, initiativ 5):
the annual awards with their jury, the volunteer day and the welfare meeting as events, certificates
anyone can verify, thank-you mails at milestones, organisations' stories with pictures, and the
volunteer fund with its donors and payouts.

What the award schemes taught, kept in the shape of the tables:
- a nominee is shown publicly only after saying yes (`consent`); nothing about a person is public
  before that;
- a jury member's scores and notes are theirs and the coordinator's; a declared conflict is a row,
  and the service refuses a score where one exists;
- public hearts are counted but only the jury's decision (`AwardWinner`) makes a winner;
- a certificate is a snapshot: what it said on the day it was issued, verifiable by its code.

The fund: the portal records and shows; it never takes payments (a collection needs
Indsamlingsnævnet's permission). Donors are shown by name only with their recorded consent."""

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, enum_column, utcnow


# --- pictures -----------------------------------------------------------------------------------

class Picture(db.Model):
    """An uploaded picture as we serve it: re-encoded from the pixels only (portal/pictures.py), so
    nothing of the uploaded file survives. One picture has one use (a story, an organisation, a
    task), and its alt text belongs to that use; it is served through the owner's own route, which
    checks the owner is visible."""

    __tablename__ = "pictures"

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    content_type: Mapped[str] = mapped_column(String(20), default="image/jpeg")
    width: Mapped[int]
    height: Mapped[int]
    alt: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Picture {self.id} {self.width}x{self.height}>"


# --- the awards ---------------------------------------------------------------------------------

class AwardYear(db.Model):
    """One year's awards. The phase (upcoming → nominating → closed → jury → announced) follows from
    these dates and the clock (portal/core/awards.py), never from a stored state."""

    __tablename__ = "award_years"
    __table_args__ = (
        CheckConstraint("year >= 2000 AND year <= 2999", name="year_range"),
        CheckConstraint("nominations_open_at < nominations_close_at", name="nominations_window"),
        CheckConstraint("nominations_close_at <= jury_starts_at", name="jury_after_nominations"),
        CheckConstraint("jury_starts_at < announce_at", name="announce_after_jury"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    intro: Mapped[str] = mapped_column(Text, default="")       # the call for nominations, in plain words
    nominations_open_at: Mapped[datetime] = mapped_column(UTCDateTime())
    nominations_close_at: Mapped[datetime] = mapped_column(UTCDateTime())
    jury_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    announce_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set by the tick step that sends the thank-you mails and certificates after the announcement,
    # so running it again (or on two nodes) sends nothing twice.
    thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    categories: Mapped[list["AwardCategory"]] = relationship(
        back_populates="award_year", cascade="all, delete-orphan", passive_deletes=True,
        order_by="AwardCategory.sort_order, AwardCategory.id")

    def __repr__(self) -> str:
        return f"<AwardYear {self.year}>"


class NomineeKind(enum.Enum):
    person = "person"
    group = "group"                # a group of people (the Thursday repair café crew)
    association = "association"    # an organisation on the portal (or named)
    company = "company"


class AwardCategory(db.Model):
    """Årets frivillige, Årets ildsjæl under 25, Årets forening, Årets virksomhed: the coordinator
    edits them per year."""

    __tablename__ = "award_categories"
    __table_args__ = (
        UniqueConstraint("award_year_id", "name_da", name="uq_award_categories_year_name"),
        CheckConstraint("max_age IS NULL OR (max_age >= 1 AND max_age <= 150)", name="max_age_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_year_id: Mapped[int] = mapped_column(ForeignKey("award_years.id", ondelete="CASCADE"), index=True)
    name_da: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_da: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    nominee_kind: Mapped[NomineeKind] = mapped_column(enum_column(NomineeKind))
    max_age: Mapped[int | None]      # "under 25": 24; checked against the nominee's age when it is known
    sort_order: Mapped[int] = mapped_column(default=100)

    award_year: Mapped[AwardYear] = relationship(back_populates="categories")

    def __repr__(self) -> str:
        return f"<AwardCategory {self.id} {self.name_da!r}>"


class NominationConsent(enum.Enum):
    pending = "pending"        # asked, no answer yet: not shown anywhere public
    given = "given"
    declined = "declined"      # never shown; the nominator is told only that it cannot go on


class Nomination(db.Model):
    """A nomination with its written reason. The nominator is a user, or a name and e-mail confirmed
    by a mailed link (`confirmed_at`); neither once a nominator's account is deleted (the nomination
    stays, nobody is mailed about it). The nominee is a user, an organisation, a company or just a
    name (a group, a person without an account reached by e-mail)."""

    __tablename__ = "nominations"
    __table_args__ = (
        CheckConstraint("heart_count >= 0", name="heart_count_positive"),
        Index("ix_nominations_public", "award_year_id", "consent", "confirmed_at", "hidden_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_year_id: Mapped[int] = mapped_column(ForeignKey("award_years.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("award_categories.id", ondelete="CASCADE"), index=True)

    nominator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    nominator_name: Mapped[str | None] = mapped_column(String(120))
    nominator_email: Mapped[str | None] = mapped_column(String(254))        # private
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())    # None: e-mail not confirmed

    nominee_kind: Mapped[NomineeKind] = mapped_column(enum_column(NomineeKind))
    nominee_name: Mapped[str] = mapped_column(String(120))                  # as shown once consented
    nominee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    nominee_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    nominee_company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"),
                                                           index=True)
    nominee_email: Mapped[str | None] = mapped_column(String(254))          # private: where consent is asked
    reason: Mapped[str] = mapped_column(Text)

    consent: Mapped[NominationConsent] = mapped_column(enum_column(NominationConsent),
                                                       default=NominationConsent.pending)
    consent_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    consent_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # With the nominee's consent: the hours and tasks the portal has verified are shown beside the reason.
    show_hours: Mapped[bool] = mapped_column(default=False)

    heart_count: Mapped[int] = mapped_column(default=0)     # symbolic; never decides

    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())      # the coordinator removed it
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    award_year: Mapped[AwardYear] = relationship()
    category: Mapped[AwardCategory] = relationship()
    nominator: Mapped["User | None"] = relationship(foreign_keys=[nominator_id])  # noqa: F821
    nominee_user: Mapped["User | None"] = relationship(foreign_keys=[nominee_user_id])  # noqa: F821
    nominee_organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    nominee_company: Mapped["Company | None"] = relationship()  # noqa: F821

    @property
    def is_public(self) -> bool:
        return (self.consent is NominationConsent.given and self.confirmed_at is not None
                and self.hidden_at is None)

    def __repr__(self) -> str:
        return f"<Nomination {self.id} {self.consent.value}>"


class NominationHeart(db.Model):
    """A public heart: one per person per nomination, counted in `Nomination.heart_count` in the same
    transaction."""

    __tablename__ = "nomination_hearts"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JuryMember(db.Model):
    """A jury member for one year (the mayor, the head of culture, the chair of the
    folkeoplysningsudvalg, a local business representative), appointed by the coordinator."""

    __tablename__ = "jury_members"
    __table_args__ = (UniqueConstraint("award_year_id", "user_id", name="uq_jury_members_year_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_year_id: Mapped[int] = mapped_column(ForeignKey("award_years.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120), default="")        # "Borgmester", shown to the jury only
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    award_year: Mapped[AwardYear] = relationship()
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<JuryMember {self.id} year={self.award_year_id} user={self.user_id}>"


class JuryConflict(db.Model):
    """A declared conflict of interest: the member cannot score this nominee."""

    __tablename__ = "jury_conflicts"
    __table_args__ = (UniqueConstraint("jury_member_id", "nomination_id", name="uq_jury_conflicts_member_nomination"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jury_member_id: Mapped[int] = mapped_column(ForeignKey("jury_members.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")     # e.g. "my neighbour"; private to jury + coordinator
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JuryScore(db.Model):
    """A jury member's private score (1–10) and note for one nominee."""

    __tablename__ = "jury_scores"
    __table_args__ = (
        UniqueConstraint("jury_member_id", "nomination_id", name="uq_jury_scores_member_nomination"),
        CheckConstraint("score >= 1 AND score <= 10", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    jury_member_id: Mapped[int] = mapped_column(ForeignKey("jury_members.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AwardWinner(db.Model):
    """The jury's decision, recorded by the coordinator with a public motivation: one winner per
    category. Public from the year's announcement time."""

    __tablename__ = "award_winners"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("award_categories.id", ondelete="CASCADE"), unique=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), unique=True)
    motivation: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    category: Mapped[AwardCategory] = relationship()
    nomination: Mapped[Nomination] = relationship()

    def __repr__(self) -> str:
        return f"<AwardWinner category={self.category_id} nomination={self.nomination_id}>"


# --- events: the volunteer day and the welfare meeting -----------------------------------------

class EventKind(enum.Enum):
    volunteer_day = "volunteer_day"        # Frivillig Fredag: the awards are handed out, taster tasks
    welfare_meeting = "welfare_meeting"    # the annual velfærdsmøde between associations and the municipality
    other = "other"


class Event(db.Model):
    """A day on the portal with its programme. Sign-up is through ordinary tasks with times whose
    `event_id` points here (helpers for the day, "prøv en opgave" taster times). The call for input
    before a welfare meeting is the Call whose `meeting_task_id` is one of the event's tasks."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    title: Mapped[str] = mapped_column(String(140))
    summary: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place_name: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    award_year_id: Mapped[int | None] = mapped_column(ForeignKey("award_years.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (CheckConstraint("starts_at < ends_at", name="starts_before_ends"),)

    award_year: Mapped[AwardYear | None] = relationship()
    items: Mapped[list["EventItem"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True,
        order_by="EventItem.starts_at, EventItem.id")

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class EventItem(db.Model):
    """A line of the programme or the agenda: "14.00 Borgmesteren uddeler priserne"."""

    __tablename__ = "event_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    place_note: Mapped[str] = mapped_column(String(120), default="")

    event: Mapped[Event] = relationship(back_populates="items")


# --- recognition all year -----------------------------------------------------------------------

class CertificateKind(enum.Enum):
    hours = "hours"            # a certificate of volunteering: hours, organisations, period
    nominee = "nominee"        # "Nomineret til Årets frivillige 2027"
    winner = "winner"


class Certificate(db.Model):
    """What a certificate said on the day it was issued, found by its public code (the QR code on the
    PDF opens /certificates/<code>). `details` is JSON: the organisations with their hours, or the
    award and category."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nominations.id", ondelete="SET NULL"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(120))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    hours: Mapped[float | None]
    details: Mapped[str] = mapped_column(Text, default="{}")
    signed_by_name: Mapped[str] = mapped_column(String(120))
    signed_by_title: Mapped[str] = mapped_column(String(120), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User | None"] = relationship()  # noqa: F821
    nomination: Mapped[Nomination | None] = relationship()

    def __repr__(self) -> str:
        return f"<Certificate {self.code} {self.kind.value}>"


class MilestoneMail(db.Model):
    """A thank-you mail sent at a milestone (first task, 10, 50, 100 hours): one per person per
    milestone, so the tick step on two nodes sends it once."""

    __tablename__ = "milestone_mails"
    __table_args__ = (UniqueConstraint("user_id", "milestone", name="uq_milestone_mails_user_milestone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    milestone: Mapped[str] = mapped_column(String(20))         # "first_task", "hours_10", "hours_50", "hours_100"
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- stories ------------------------------------------------------------------------------------

class Story(db.Model):
    """A short story an organisation publishes about what it does and what volunteers did, with a
    photo (the naturvogterne, the repair café, Wiedergården's activities)."""

    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_public", "published_at", "hidden_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    picture_id: Mapped[int | None] = mapped_column(ForeignKey("pictures.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))   # "help us next time"
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())     # the coordinator took it down
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    picture: Mapped[Picture | None] = relationship()
    task: Mapped["Task | None"] = relationship()  # noqa: F821

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.hidden_at is None

    def __repr__(self) -> str:
        return f"<Story {self.id} {self.title!r}>"


# --- the volunteer fund -------------------------------------------------------------------------

class FundSettings(db.Model):
    """The fund's page (one row): purpose, rules, how to give. Money moves outside the portal."""

    __tablename__ = "fund_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="Dragør Frivilligfond")
    purpose: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    how_to_apply: Mapped[str] = mapped_column(Text, default="")
    bank_account: Mapped[str | None] = mapped_column(String(40))        # "reg. 1234 konto 0001234567"
    mobilepay: Mapped[str | None] = mapped_column(String(20))
    permission_number: Mapped[str | None] = mapped_column(String(60))   # Indsamlingsnævnet's j.nr.
    permission_valid_until: Mapped[date | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DonorKind(enum.Enum):
    citizen = "citizen"
    company = "company"
    association = "association"
    foundation = "foundation"


class Donor(db.Model):
    """Someone who gave. Shown by name only when `show_name` is set, which needs recorded consent
    (when and how); otherwise counted as "anonymous" in the totals."""

    __tablename__ = "donors"
    __table_args__ = (
        CheckConstraint("NOT show_name OR consent_at IS NOT NULL", name="name_needs_consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DonorKind] = mapped_column(enum_column(DonorKind))
    name: Mapped[str] = mapped_column(String(120))                       # private unless show_name
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    show_name: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_note: Mapped[str] = mapped_column(String(200), default="")   # "signed form at the library"
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    company: Mapped["Company | None"] = relationship()  # noqa: F821
    donations: Mapped[list["Donation"]] = relationship(back_populates="donor", cascade="all, delete-orphan",
                                                      passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Donor {self.id} {self.kind.value}>"


class Donation(db.Model):
    """A gift, in øre (whole kroner × 100), received on a date."""

    __tablename__ = "donations"
    __table_args__ = (CheckConstraint("amount_ore > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donors.id", ondelete="CASCADE"), index=True)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    given_on: Mapped[date] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    donor: Mapped[Donor] = relationship(back_populates="donations")


class Payout(db.Model):
    """What the fund paid, to which organisation, and what it made possible (a task or an event)."""

    __tablename__ = "payouts"
    __table_args__ = (CheckConstraint("amount_ore > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    task: Mapped["Task | None"] = relationship()  # noqa: F821
    event: Mapped[Event | None] = relationship()

    def __repr__(self) -> str:
        return f"<Payout {self.id} {self.amount_ore}>"
