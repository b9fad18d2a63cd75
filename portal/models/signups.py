import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, enum_column, utcnow



class SignupState(enum.Enum):
    confirmed = "confirmed"
    waitlisted = "waitlisted"
    offered = "offered"       # a freed seat is held for this person until offer_expires_at
    cancelled = "cancelled"


class Attendance(enum.Enum):
    attended = "attended"
    no_show = "no_show"


SEAT_HOLDING = (SignupState.confirmed, SignupState.offered)


class Signup(db.Model):
    __tablename__ = "signups"
    __table_args__ = (
        # One live signup per person per slot: a double click cannot make two.
        Index("uq_signups_live", "user_id", "slot_id", unique=True,
              sqlite_where=text("state != 'cancelled'"), postgresql_where=text("state != 'cancelled'")),
        Index("ix_signups_slot_state", "slot_id", "state"),
        Index("ix_signups_user_state", "user_id", "state"),
        # Whose confirmed times are when (matching reads the bookings of a few dozen people at
        # once): the slot ids come from the index alone, without visiting each signup row.
        Index("ix_signups_user_state_slot", "user_id", "state", "slot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[SignupState] = mapped_column(enum_column(SignupState))
    attendance: Mapped[Attendance | None] = mapped_column(enum_column(Attendance))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(String(40))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A secret for the one-click links in e-mails (accept an offer); only its hash is kept.
    link_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Set when a company booked this seat as part of a team; the seat is still this person's own.
    team_signup_id: Mapped[int | None] = mapped_column(ForeignKey("team_signups.id", ondelete="SET NULL"),
                                                      index=True)

    slot: Mapped["Slot"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821

    # Facts for templates, so none compares enum values as strings.
    @property
    def is_confirmed(self) -> bool:
        return self.state is SignupState.confirmed

    @property
    def is_offered(self) -> bool:
        return self.state is SignupState.offered

    @property
    def is_waitlisted(self) -> bool:
        return self.state is SignupState.waitlisted

    @property
    def attended(self) -> bool:
        return self.attendance is Attendance.attended

    def __repr__(self) -> str:
        return f"<Signup {self.id} slot={self.slot_id} user={self.user_id} {self.state.value}>"


class HoursStatus(enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class HoursEntry(db.Model):
    """Hours a volunteer logs on an ongoing role; the organisation approves them."""

    __tablename__ = "hours_entries"
    __table_args__ = (CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_in_a_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    worked_on: Mapped[date]
    minutes: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[HoursStatus] = mapped_column(enum_column(HoursStatus), default=HoursStatus.pending)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    task: Mapped["Task"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<HoursEntry {self.id} task={self.task_id} {self.minutes}min {self.status.value}>"


class ClearanceStatus(enum.Enum):
    approved = "approved"     # the organisation has seen a clean børneattest
    refused = "refused"


class Clearance(db.Model):
    """A person's børneattest status at one organisation: status, date and who checked.
    Never the certificate itself and never a CPR number."""

    __tablename__ = "clearances"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", name="uq_clearances_user_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    status: Mapped[ClearanceStatus] = mapped_column(enum_column(ClearanceStatus))
    checked_on: Mapped[date]
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    @property
    def is_approved(self) -> bool:
        return self.status is ClearanceStatus.approved

    def __repr__(self) -> str:
        return f"<Clearance user={self.user_id} org={self.organisation_id} {self.status.value}>"
