import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, enum_column, utcnow


class OrganisationKind(enum.Enum):
    association = "association"
    school = "school"
    daycare = "daycare"
    care_home = "care_home"
    activity_house = "activity_house"
    library_museum = "library_museum"
    municipal_unit = "municipal_unit"
    other = "other"


MUNICIPAL_KINDS = frozenset({OrganisationKind.school, OrganisationKind.daycare, OrganisationKind.care_home,
                             OrganisationKind.activity_house, OrganisationKind.library_museum,
                             OrganisationKind.municipal_unit})


class OrganisationStatus(enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    suspended = "suspended"


class MembershipRole(enum.Enum):
    admin = "admin"
    member = "member"


class MembershipStatus(enum.Enum):
    pending = "pending"
    approved = "approved"
    removed = "removed"



class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    status: Mapped[OrganisationStatus] = mapped_column(
        enum_column(OrganisationStatus), default=OrganisationStatus.pending, index=True
    )
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(4))
    city: Mapped[str] = mapped_column(String(80))
    website: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(20))
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)
    picture_id: Mapped[int | None] = mapped_column(ForeignKey("pictures.id", ondelete="SET NULL"))
    # The person volunteers turn to (every institution names one); shown on its page and its tasks.
    volunteer_contact_name: Mapped[str | None] = mapped_column(String(120))
    volunteer_contact_email: Mapped[str | None] = mapped_column(String(254))
    volunteer_contact_phone: Mapped[str | None] = mapped_column(String(20))
    # Volunteers accept the current volunteer charter before their first sign-up here.
    requires_code_of_conduct: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_public(self) -> bool:
        return self.status is OrganisationStatus.approved

    @property
    def is_municipal(self) -> bool:
        """Schools, daycare, care homes, the activity house, the library and municipal units: their
        tasks pass the displacement check before they are published."""
        return self.kind in MUNICIPAL_KINDS

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.slug!r} {self.status.value}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        # One live membership per person per organisation; removed ones stay as history.
        Index(
            "uq_memberships_live",
            "user_id",
            "organisation_id",
            unique=True,
            sqlite_where=text("status IN ('pending', 'approved')"),
            postgresql_where=text("status IN ('pending', 'approved')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MembershipRole] = mapped_column(enum_column(MembershipRole), default=MembershipRole.member)
    status: Mapped[MembershipStatus] = mapped_column(
        enum_column(MembershipStatus), default=MembershipStatus.approved
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User"] = relationship(back_populates="memberships", foreign_keys=[user_id])  # noqa: F821
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")

    @property
    def is_active(self) -> bool:
        return self.status is MembershipStatus.approved

    def __repr__(self) -> str:
        return f"<Membership user={self.user_id} org={self.organisation_id} {self.role.value} {self.status.value}>"


class Invitation(db.Model):
    """An e-mailed invitation to join an organisation. Only a hash of the token is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[MembershipRole] = mapped_column(enum_column(MembershipRole), default=MembershipRole.member)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship()

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<Invitation {self.id} org={self.organisation_id}>"
