from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

volunteer_interests = Table(
    "volunteer_interests", db.metadata,
    Column("profile_id", ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
    # "Who is interested in this task's category" reads the profile ids from the index alone,
    # without visiting the table: national scale has tens of thousands per category.
    Index("ix_volunteer_interests_category_profile", "category_id", "profile_id"),
)


class VolunteerProfile(db.Model):
    """What a person tells us as a volunteer (1:1 with User). Everything is optional: the
    portal is useful with a postcode alone."""

    __tablename__ = "volunteer_profiles"
    __table_args__ = (
        CheckConstraint("max_hours_per_month IS NULL OR (max_hours_per_month > 0 AND max_hours_per_month <= 300)",
                        name="max_hours_range"),
        CheckConstraint("max_distance_km IS NULL OR (max_distance_km > 0 AND max_distance_km <= 200)",
                        name="max_distance_range"),
        CheckConstraint("availability >= 0 AND availability < 2097152", name="availability_bits"),
        # Organisations search opted-in volunteers near a point: a bounding box on these first.
        # On PostgreSQL the index also carries what the search filters and joins on, so the tens of
        # thousands inside 25 km of Copenhagen are read from the index alone (SQLite: a plain index).
        Index("ix_volunteer_profiles_optin_position_covering", "suggestions_opt_in", "latitude", "longitude",
              postgresql_include=["availability", "user_id", "id"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    max_hours_per_month: Mapped[int | None]
    # Weekday × part of day as 21 bits: bit (weekday * 3 + part), part 0 morning, 1 afternoon, 2 evening.
    availability: Mapped[int] = mapped_column(default=0)
    skills: Mapped[str | None] = mapped_column(Text)              # comma-separated tags and free words
    languages: Mapped[str | None] = mapped_column(String(200))    # comma-separated
    address: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    location_source: Mapped[str | None] = mapped_column(String(200))
    max_distance_km: Mapped[float | None]
    # Off by default: organisations only see and invite people who said yes.
    suggestions_opt_in: Mapped[bool] = mapped_column(default=False)
    digest_opt_in: Mapped[bool] = mapped_column(default=False)
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The coordinator's newsletter, by interest and area; the token is the unsubscribe link's.
    newsletter_opt_in: Mapped[bool] = mapped_column(default=False, server_default=false())
    newsletter_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Private: a person on benefits keeps their own monthly hours limit for small jobs; the portal
    # only warns them near it, never decides the law's limit and never shows it to anyone else.
    small_job_limit_hours: Mapped[int | None]
    # The secret in the private calendar feed URL; regenerating it kills the old URL.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The secret in the "no more invitations" link in invitation e-mails.
    optout_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="volunteer_profile")  # noqa: F821
    interests: Mapped[list["Category"]] = relationship(secondary=volunteer_interests)  # noqa: F821

    def __repr__(self) -> str:
        return f"<VolunteerProfile user={self.user_id}>"


class TaskInvitation(db.Model):
    """An organisation invited a volunteer to a task. Every one is kept: it is the log the
    fatigue cap (at most two a week per volunteer, across organisations) counts."""

    __tablename__ = "task_invitations"
    __table_args__ = (Index("ix_task_invitations_user_sent", "user_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("slots.id", ondelete="SET NULL"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    task: Mapped["Task"] = relationship()  # noqa: F821
    slot: Mapped["Slot | None"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<TaskInvitation {self.id} task={self.task_id} user={self.user_id}>"
