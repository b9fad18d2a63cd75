from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class VolunteerProfile(db.Model):
    """What a person tells us as a volunteer (1:1 with User). All optional."""

    __tablename__ = "volunteer_profiles"
    __table_args__ = (
        CheckConstraint("max_hours_per_month IS NULL OR (max_hours_per_month > 0 AND max_hours_per_month <= 300)",
                        name="max_hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    max_hours_per_month: Mapped[int | None]
    # The secret in the private calendar feed URL; regenerating it kills the old URL.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="volunteer_profile")  # noqa: F821

    def __repr__(self) -> str:
        return f"<VolunteerProfile user={self.user_id}>"
