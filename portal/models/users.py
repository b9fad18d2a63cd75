import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class ConsentKind(enum.Enum):
    terms = "terms"
    privacy = "privacy"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for an assisted profile (a citizen without e-mail; see AssistedProfile): their mail goes
    # to the coordinator's call list instead, and they cannot log in until they take the profile over.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # A new address waits here until its owner confirms it, so a typo cannot lock anyone out.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    birth_date: Mapped[date | None]
    postcode: Mapped[str | None] = mapped_column(String(4))
    phone: Mapped[str | None] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(5), default="da")
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    # Thank-you mails at milestones (first task, 10, 50, 100 hours); the person can switch them off.
    milestone_mails: Mapped[bool] = mapped_column(default=True, server_default=true())
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped on logout and password change: every copy of an older session cookie dies.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    consents: Mapped[list["Consent"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True,
        foreign_keys="Membership.user_id",
    )

    volunteer_profile: Mapped["VolunteerProfile | None"] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"


class Consent(db.Model):
    """What the user accepted, which version, and when (GDPR art. 7(1): we must be able to show it)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(Enum(ConsentKind, native_enum=False, length=20))
    version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="consents")

    def __repr__(self) -> str:
        return f"<Consent {self.kind.value} v{self.version} user={self.user_id}>"


def email_key(email: str) -> str:
    return email.strip().lower()



