"""Companies: employers that give staff paid time off to volunteer, their partnerships with
organisations (the all-year frivilligbørs) and the yearly badge. Companies support and partner;
they never post tasks (design.md, section 2)."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, enum_column, utcnow


class CompanyStatus(enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    suspended = "suspended"


class SupportKind(enum.Enum):
    """What a company gives; the filters on /companies and the kinds of offer in the børs."""
    paid_leave = "paid_leave"
    team_days = "team_days"
    skills = "skills"
    lending = "lending"          # a van, a room, tools
    sponsorship = "sponsorship"  # things, not money in the børs


class Skill(enum.Enum):
    """A skill a task wants and a company offers; one shared list so the two can be matched."""
    accounting = "accounting"
    it = "it"
    carpentry = "carpentry"
    painting = "painting"
    gardening = "gardening"
    cooking = "cooking"
    van = "van"
    communication = "communication"
    legal = "legal"
    languages = "languages"


class LeaveUnit(enum.Enum):
    hours = "hours"
    days = "days"


class LeaveScope(enum.Enum):
    any_task = "any_task"            # any task on the portal
    chosen_causes = "chosen_causes"  # causes the company names in scope_note
    team_days = "team_days"          # only days the company arranges for teams


class Company(db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        # One live application or listing per CVR number; rejected ones stay as history.
        Index("uq_companies_live_cvr", "cvr", unique=True,
              sqlite_where=text("status IN ('pending', 'approved', 'suspended')"),
              postgresql_where=text("status IN ('pending', 'approved', 'suspended')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    cvr: Mapped[str] = mapped_column(String(8))   # validated with stdnum.dk.cvr, stored compact
    status: Mapped[CompanyStatus] = mapped_column(enum_column(CompanyStatus), default=CompanyStatus.pending,
                                                  index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(4))
    city: Mapped[str] = mapped_column(String(80))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    website: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(20))
    # The logo as we serve it: re-encoded PNG, resized, without the uploader's metadata.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    memberships: Mapped[list["CompanyMembership"]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True)
    supports: Mapped[list["CompanySupport"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)
    skills: Mapped[list["CompanySkill"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    policy: Mapped["LeavePolicy | None"] = relationship(back_populates="company", uselist=False,
                                                        cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_public(self) -> bool:
        return self.status is CompanyStatus.approved

    @property
    def support_kinds(self) -> set[SupportKind]:
        return {s.kind for s in self.supports}

    @property
    def skill_set(self) -> set[Skill]:
        return {s.skill for s in self.skills}

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.slug!r} {self.status.value}>"


class CompanySupport(db.Model):
    __tablename__ = "company_supports"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[SupportKind] = mapped_column(enum_column(SupportKind), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<CompanySupport {self.company_id} {self.kind.value}>"


class CompanySkill(db.Model):
    __tablename__ = "company_skills"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    skill: Mapped[Skill] = mapped_column(enum_column(Skill), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<CompanySkill {self.company_id} {self.skill.value}>"


class CompanyMembership(db.Model):
    """A company administrator. Employees are not members: they link themselves (EmployeeLink)."""

    __tablename__ = "company_memberships"
    __table_args__ = (
        Index("uq_company_memberships_live", "user_id", "company_id", unique=True,
              sqlite_where=text("removed_at IS NULL"), postgresql_where=text("removed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User"] = relationship()  # noqa: F821
    company: Mapped[Company] = relationship(back_populates="memberships")

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    def __repr__(self) -> str:
        return f"<CompanyMembership user={self.user_id} company={self.company_id}>"


class CompanyInvitation(db.Model):
    """An e-mailed invitation to become a company administrator. Only a hash of the token is stored."""

    __tablename__ = "company_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    company: Mapped[Company] = relationship()

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<CompanyInvitation {self.id} company={self.company_id}>"


class EmployeeLink(db.Model):
    """A volunteer's own statement "I work at this company". Made and removed by the volunteer
    only; the employer sees the name only with share_name, and counts the hours only with
    count_hours (and then only in a total)."""

    __tablename__ = "employee_links"
    __table_args__ = (
        Index("uq_employee_links_live", "user_id", "company_id", unique=True,
              sqlite_where=text("removed_at IS NULL"), postgresql_where=text("removed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    share_name: Mapped[bool] = mapped_column(default=False)
    count_hours: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User"] = relationship()  # noqa: F821
    company: Mapped[Company] = relationship()

    def __repr__(self) -> str:
        return f"<EmployeeLink user={self.user_id} company={self.company_id}>"


class LeavePolicy(db.Model):
    """The company's volunteer-leave policy; public on its page once published."""

    __tablename__ = "leave_policies"
    __table_args__ = (
        CheckConstraint("amount > 0 AND amount <= 10000", name="amount_range"),
        CheckConstraint("minutes_per_day > 0 AND minutes_per_day <= 1440", name="minutes_per_day_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), unique=True)
    # Tenths of the unit: 74 hours-tenths = 7.4 hours, 10 day-tenths = 1 day; exact on both databases.
    amount: Mapped[int]
    unit: Mapped[LeaveUnit] = mapped_column(enum_column(LeaveUnit))
    minutes_per_day: Mapped[int] = mapped_column(default=444)  # a Danish working day: 7.4 hours
    # Hours a year per employee in minutes, derived from the three above; the list sorts by it.
    minutes_per_year: Mapped[int] = mapped_column(index=True)
    scope: Mapped[LeaveScope] = mapped_column(enum_column(LeaveScope), default=LeaveScope.any_task)
    scope_note: Mapped[str | None] = mapped_column(Text)
    how_to_ask: Mapped[str] = mapped_column(Text)
    since: Mapped[date]
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    company: Mapped[Company] = relationship(back_populates="policy")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<LeavePolicy company={self.company_id} {self.minutes_per_year}min/year>"


class TeamSignup(db.Model):
    """N seats of one time taken at once for named colleagues; each colleague's seat is an
    ordinary Signup pointing here, so each gets a confirmation and can cancel their own."""

    __tablename__ = "team_signups"
    __table_args__ = (CheckConstraint("seats >= 1", name="seats_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"), index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    seats: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    company: Mapped[Company] = relationship()
    slot: Mapped["Slot"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<TeamSignup {self.id} company={self.company_id} slot={self.slot_id} seats={self.seats}>"


# --- the frivilligbørs: offers, wishes and deals (no money changes hands) -----------------------

class ExchangeStatus(enum.Enum):
    open = "open"
    closed = "closed"


class Offer(db.Model):
    """What a company offers: "10 medarbejdere en fredag i september", "lån af varevogn"."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SupportKind] = mapped_column(enum_column(SupportKind))
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[ExchangeStatus] = mapped_column(enum_column(ExchangeStatus), default=ExchangeStatus.open,
                                                   index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    company: Mapped[Company] = relationship()

    def __repr__(self) -> str:
        return f"<Offer {self.id} company={self.company_id} {self.kind.value}>"


class Wish(db.Model):
    """What an association or institution wishes for from a company."""

    __tablename__ = "wishes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SupportKind] = mapped_column(enum_column(SupportKind))
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[ExchangeStatus] = mapped_column(enum_column(ExchangeStatus), default=ExchangeStatus.open,
                                                   index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Wish {self.id} org={self.organisation_id} {self.kind.value}>"


class DealSide(enum.Enum):
    company = "company"
    organisation = "organisation"


class DealStatus(enum.Enum):
    proposed = "proposed"    # waiting for the other side
    agreed = "agreed"        # a partnership agreement
    declined = "declined"
    withdrawn = "withdrawn"
    done = "done"
    evaluated = "evaluated"


class Deal(db.Model):
    """A proposal between a company and an organisation; accepted, it is a partnership agreement
    with what each side gives and a follow-up date."""

    __tablename__ = "deals"
    __table_args__ = (Index("ix_deals_status_follow_up", "status", "follow_up_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    wish_id: Mapped[int | None] = mapped_column(ForeignKey("wishes.id", ondelete="SET NULL"))
    proposed_by: Mapped[DealSide] = mapped_column(enum_column(DealSide))
    proposed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    company_gives: Mapped[str] = mapped_column(Text)
    organisation_gives: Mapped[str] = mapped_column(Text)
    follow_up_on: Mapped[date]
    status: Mapped[DealStatus] = mapped_column(enum_column(DealStatus), default=DealStatus.proposed)
    evaluation: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    company: Mapped[Company] = relationship()
    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    offer: Mapped[Offer | None] = relationship()
    wish: Mapped[Wish | None] = relationship()

    def __repr__(self) -> str:
        return f"<Deal {self.id} company={self.company_id} org={self.organisation_id} {self.status.value}>"


class Badge(db.Model):
    """The year's badge "Vi giver fri til frivillighed <year>", earned on checkable criteria.
    It expires at the end of its year; a revoked badge says so on its verification page."""

    __tablename__ = "badges"
    __table_args__ = (UniqueConstraint("company_id", "year", name="uq_badges_company_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    earned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    company: Mapped[Company] = relationship()

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and self.earned_at <= now < self.expires_at

    def __repr__(self) -> str:
        return f"<Badge company={self.company_id} {self.year}>"
