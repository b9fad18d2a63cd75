import enum
from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, enum_column, utcnow
from portal.models.companies import Skill



class TaskKind(enum.Enum):
    one_off = "one_off"
    recurring = "recurring"
    ongoing = "ongoing"


class TaskStatus(enum.Enum):
    draft = "draft"
    published = "published"
    paused = "paused"
    closed = "closed"


class PhysicalDemand(enum.Enum):
    light = "light"
    moderate = "moderate"
    heavy = "heavy"


class SlotStatus(enum.Enum):
    open = "open"
    cancelled = "cancelled"


class Category(db.Model):
    """The fixed list of task categories; the coordinator can add more. Names are stored in
    both languages because the coordinator writes them, not the translators."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_da: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    sort_order: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, locale: str) -> str:
        return self.name_en if str(locale).startswith("en") else self.name_da

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint("min_age IS NULL OR (min_age >= 0 AND min_age <= 120)", name="min_age_range"),
        CheckConstraint("cancel_deadline_hours >= 0", name="cancel_deadline_positive"),
        CheckConstraint("repeat_every_weeks IS NULL OR repeat_every_weeks IN (1, 2)", name="repeat_interval"),
        CheckConstraint("team_size IS NULL OR (team_size >= 2 AND team_size <= 100)", name="team_size_range"),
        Index("ix_tasks_status_org", "status", "organisation_id"),
        Index("ix_tasks_position", "latitude", "longitude"),
        # Suggestions read the published times and the published ongoing roles in a box apart:
        # with kind and status ahead of the position each reads only its own kind's rows of the
        # box, not every task near Copenhagen (national p95 of recommendations 43 -> 36 ms).
        Index("ix_tasks_kind_status_position", "kind", "status", "latitude", "longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text)
    kind: Mapped[TaskKind] = mapped_column(enum_column(TaskKind), default=TaskKind.one_off)
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus), default=TaskStatus.draft)
    place_name: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(4))
    city: Mapped[str] = mapped_column(String(80))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    min_age: Mapped[int | None]
    needs_child_certificate: Mapped[bool] = mapped_column(default=False)
    physical_demand: Mapped[PhysicalDemand] = mapped_column(enum_column(PhysicalDemand), default=PhysicalDemand.light)
    what_to_bring: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    cancel_deadline_hours: Mapped[int] = mapped_column(default=24)
    # A recurring task carries its rule; slots are materialised from it for a rolling horizon.
    repeat_weekdays: Mapped[str | None] = mapped_column(String(13))   # "0,3" = Monday and Thursday
    repeat_every_weeks: Mapped[int | None]
    repeat_starts: Mapped[time | None]
    repeat_ends: Mapped[time | None]
    repeat_from: Mapped[date | None]
    repeat_until: Mapped[date | None]
    repeat_capacity: Mapped[int | None]
    repeat_exceptions: Mapped[str | None] = mapped_column(Text)        # ISO dates, comma-separated
    materialised_until: Mapped[date | None]
    # Suitable for a company team of up to this many people (None: not marked for teams).
    team_size: Mapped[int | None]
    # A skill the task wants from a company (accounting, IT, carpentry, a van ...).
    wanted_skill: Mapped[Skill | None] = mapped_column(enum_column(Skill))
    # The volunteer day, the welfare meeting: sign-up for an event is sign-up for its tasks' times.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    # "Prøv en opgave": a short taster time an association offers first-time volunteers.
    is_taster: Mapped[bool] = mapped_column(default=False, server_default=false())
    picture_id: Mapped[int | None] = mapped_column(ForeignKey("pictures.id", ondelete="SET NULL"))
    # "Småjob": a small job nobody is paid for, suited to people outside the labour market.
    is_small_job: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    category: Mapped[Category] = relationship()
    slots: Mapped[list["Slot"]] = relationship(back_populates="task", cascade="all, delete-orphan",
                                               passive_deletes=True, order_by="Slot.starts_at")

    # Facts for templates, so none compares enum values as strings.
    @property
    def is_published(self) -> bool:
        return self.status is TaskStatus.published

    @property
    def is_recurring(self) -> bool:
        return self.kind is TaskKind.recurring

    @property
    def is_ongoing(self) -> bool:
        return self.kind is TaskKind.ongoing

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.title!r} {self.status.value}>"


class Slot(db.Model):
    """A concrete time of a task. `taken` counts the seats held (confirmed signups and
    offers on hold); the database refuses any value outside 0..capacity."""

    __tablename__ = "slots"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("taken >= 0 AND taken <= capacity", name="taken_within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        UniqueConstraint("task_id", "occurrence_date", name="uq_slots_task_occurrence"),
        Index("ix_slots_starts_at", "starts_at"),
        # "The next open times of these tasks": one index walk per task.
        Index("ix_slots_task_starts", "task_id", "starts_at"),
        # The calendar's counts per day and the busiest organisations read every open time of a
        # month or a year: with the task in the index they are read from it alone (index-only on
        # PostgreSQL), not from the table; each day's first few times come from it in order too.
        Index("ix_slots_status_starts_task", "status", "starts_at", "task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[SlotStatus] = mapped_column(enum_column(SlotStatus), default=SlotStatus.open)
    # Set for slots made from a recurring rule, so materialising twice makes nothing new.
    occurrence_date: Mapped[date | None]
    place_note: Mapped[str | None] = mapped_column(String(200))   # a different place for this time
    sequence: Mapped[int] = mapped_column(default=0)               # iCalendar SEQUENCE
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    task: Mapped[Task] = relationship(back_populates="slots")

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.taken >= self.capacity

    @property
    def is_cancelled(self) -> bool:
        return self.status is SlotStatus.cancelled

    def __repr__(self) -> str:
        return f"<Slot {self.id} task={self.task_id} {self.starts_at:%Y-%m-%d %H:%M} {self.taken}/{self.capacity}>"
