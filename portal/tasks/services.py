"""Tasks and their times: creating, editing, recurring rules and changes people must hear about."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import ngettext
from sqlalchemy import select, update

from portal.calendar.services import slot_ics
from portal.core.people import parse_point
from portal.core.recurrence import WeeklyRule, occurrences
from portal.core.text import slugify
from portal.core.timeutil import to_local
from portal.errors import DomainError, InvalidState
from portal.extensions import db
from portal.geocoding import geocoder_from_config
from portal.models import (Category, Organisation, OrganisationStatus, PhysicalDemand,
                           Signup, SignupState, Skill, Slot, SlotStatus, Task, TaskKind, TaskStatus, User)
from portal.outbox import queue_email
from portal.signups.services import offer_free_seats
from portal.tasks.errors import CapacityBelowTaken, NeedsDisplacementCheck, error_messages

HORIZON_DAYS = 56  # recurring tasks show eight weeks ahead; `flask tick` rolls the horizon on

DEFAULT_CATEGORIES = [
    ("older-people", "Ældre", "Older people"),
    ("children-young", "Børn og unge", "Children and young people"),
    ("homework-reading", "Lektie- og læsehjælp", "Homework and reading help"),
    ("nature", "Natur og miljø", "Nature and environment"),
    ("culture-museum", "Kultur og museum", "Culture and museum"),
    ("sport", "Sport og bevægelse", "Sport"),
    ("events-markets", "Arrangementer og markeder", "Events and markets"),
    ("it-help", "IT-hjælp", "IT help"),
    ("practical", "Praktisk hjælp", "Practical help"),
    ("integration", "Integration", "Integration"),
    ("other", "Andet", "Other"),
]

TASK_FIELDS = ("title", "description", "place_name", "address", "postcode", "city", "min_age",
               "needs_child_certificate", "what_to_bring", "contact_name", "contact_email",
               "contact_phone", "cancel_deadline_hours", "team_size", "is_taster", "is_small_job")


def _skill(value) -> Skill | None:
    """The skill a task wants (issue 10): the form sends its value, or "" for none."""
    return Skill(value) if value else None


def ensure_categories() -> None:
    """The starting list (also seeded by the migration); adds only what is missing."""
    existing = set(db.session.scalars(select(Category.slug)))
    for n, (slug, da, en) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            db.session.add(Category(slug=slug, name_da=da, name_en=en, sort_order=(n + 1) * 10))
    db.session.flush()


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).where(Category.active.is_(True))
                                   .order_by(Category.sort_order, Category.id)))


def add_category(*, name_da: str, name_en: str) -> Category:
    taken = {c.lower() for c in db.session.scalars(select(Category.name_da))}
    if name_da.lower() in taken:
        raise DomainError(error_messages["category_exists"], field="name_da")
    base = slug = slugify(name_da, 36)
    n = 2
    while db.session.scalar(select(Category.id).where(Category.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    last = db.session.scalar(select(Category.sort_order).order_by(Category.sort_order.desc()).limit(1)) or 0
    category = Category(slug=slug, name_da=name_da, name_en=name_en, sort_order=last + 10)
    db.session.add(category)
    db.session.flush()
    return category


def place_task(task: Task, point: str | None) -> None:
    """The typed point if there is one, else the gazetteer's town; else no point at all."""
    from flask import current_app

    parsed = parse_point(point or "")
    if parsed is None:
        place = geocoder_from_config(current_app.config["GEOCODER"], current_app.config).locate(
            address=f"{task.place_name or ''} {task.address}", postcode=task.postcode, city=task.city)
        parsed = (place.latitude, place.longitude) if place else (None, None)
    task.latitude, task.longitude = parsed


def _event_id(event_id: int | None, *, now: datetime | None, keep_id: int | None = None) -> int | None:
    """A published event that has not ended (or the one the task is already part of)."""
    from portal.events.queries import may_join

    if not event_id:
        return None
    if now is not None and not may_join(event_id, now=now, keep_id=keep_id):
        raise DomainError(error_messages["not_an_event"], field="event")
    return event_id


def _set_picture(task: Task, picture: bytes | None, picture_alt: str | None, remove_picture: bool, by) -> None:
    from portal import pictures

    if picture is not None or remove_picture or task.picture_id is not None:
        pictures.attach(task, picture, picture_alt, remove=remove_picture, by=by)


def create_task(org: Organisation, author: User, *, kind: str, category_id: int,
                physical_demand: str, publish: bool, now: datetime, point: str | None = None,
                event_id: int | None = None, picture: bytes | None = None, picture_alt: str | None = None,
                **fields) -> Task:
    """A municipal institution's task stays a draft until its displacement check is passed (for
    answers given with the task, as in imports and demo data: portal.displacement.services
    .create_checked_task)."""
    if org.status is not OrganisationStatus.approved:
        raise InvalidState(error_messages["organisation_not_approved"])
    values = {k: fields.get(k) for k in TASK_FIELDS}
    values["is_taster"] = bool(values["is_taster"])
    values["is_small_job"] = bool(values["is_small_job"])
    # A municipal institution's task is saved as a draft and published by the displacement check
    # (the route sends the author there); everyone else's is published at once when asked.
    task = Task(organisation_id=org.id, created_by_id=author.id, kind=TaskKind(kind),
                category_id=category_id, physical_demand=PhysicalDemand(physical_demand),
                status=TaskStatus.draft, created_at=now,
                event_id=_event_id(event_id, now=now), wanted_skill=_skill(fields.get("wanted_skill")), **values)
    place_task(task, point)
    db.session.add(task)
    db.session.flush()
    if picture is not None:
        _set_picture(task, picture, picture_alt, False, author)
    if publish and not needs_displacement_check(task):
        publish_task(task, author, now=now)
    return task


def update_task(task: Task, *, category_id: int, physical_demand: str, point: str | None = None,
                event_id: int | None = None, picture: bytes | None = None, picture_alt: str | None = None,
                remove_picture: bool = False, by: User | None = None, now: datetime | None = None,
                **fields) -> None:
    """With `now` (as from the form), the event must be one a task may join; without it
    (imports, tests) any event."""
    task.category_id = category_id
    task.physical_demand = PhysicalDemand(physical_demand)
    for key in TASK_FIELDS:
        setattr(task, key, fields.get(key))
    task.is_taster = bool(task.is_taster)
    task.is_small_job = bool(task.is_small_job)
    task.wanted_skill = _skill(fields.get("wanted_skill"))
    task.event_id = _event_id(event_id, now=now, keep_id=task.event_id)
    place_task(task, point)
    _set_picture(task, picture, picture_alt, remove_picture, by)
    if task.organisation.is_municipal:
        # Changed while waiting for the coordinator: "Approve" publishes the task as it is now,
        # so the coordinator must read this text, not the one first sent.
        from portal.models import DisplacementReview, ReviewStatus

        waiting = db.session.scalar(select(DisplacementReview).where(
            DisplacementReview.task_id == task.id, DisplacementReview.status == ReviewStatus.pending))
        if waiting is not None:
            waiting.title_submitted, waiting.description_submitted = task.title, task.description
    db.session.flush()


@dataclass(frozen=True)
class StatusChanges:
    """The status changes the organiser is offered for a task."""
    publish: bool
    pause: bool
    close: bool


def status_changes(task: Task) -> StatusChanges:
    return StatusChanges(publish=task.status is not TaskStatus.published,
                         pause=task.status is TaskStatus.published,
                         close=task.status is not TaskStatus.closed)


def set_status(task: Task, status: str, *, now: datetime | None = None) -> None:
    """Only the changes the organiser is offered (status_changes): a hand-made request cannot
    turn a published task back into a draft."""
    target = TaskStatus(status)
    allowed = status_changes(task)
    if not {TaskStatus.published: allowed.publish, TaskStatus.paused: allowed.pause,
            TaskStatus.closed: allowed.close}.get(target, False):
        raise InvalidState(error_messages["status_not_allowed"])
    if target is TaskStatus.published:
        publish_task(task, None, now=now)
        return
    task.status = target
    db.session.flush()


# --- publishing: the one way a task becomes public ---------------------------------------------

def needs_displacement_check(task: Task) -> bool:
    """A municipal institution's task without an approved displacement review. Approval holds for
    the task: editing its text later does not ask again (the coordinator sees the log)."""
    from portal.models import DisplacementReview, ReviewStatus

    if not task.organisation.is_municipal:
        return False
    approved = db.session.scalar(select(DisplacementReview.id).where(
        DisplacementReview.task_id == task.id,
        DisplacementReview.status.in_([ReviewStatus.approved, ReviewStatus.approved_with_changes])).limit(1))
    return approved is None


def publish_task(task: Task, user: User | None, *, now: datetime | None) -> None:
    """Every path that makes a task public comes through here (the status buttons, a new task,
    the displacement check, the coordinator's approval). A municipal institution's task is refused
    until its displacement check is passed or approved ("frivillige må ikke erstatte fagpersonale")."""
    if task.status is TaskStatus.published:
        return
    if needs_displacement_check(task):
        raise NeedsDisplacementCheck(error_messages["needs_displacement_check"])
    task.status = TaskStatus.published
    db.session.flush()
    if now is not None:
        # A task grown out of an idea: those who pledged help are invited before anyone else.
        from portal.ideas.answers import invite_pledgers_of

        invite_pledgers_of(task, now=now)


publish = publish_task  # the name the issue uses


def add_slot(task: Task, *, starts_at: datetime, ends_at: datetime, capacity: int,
             place_note: str | None = None, now: datetime | None = None) -> Slot:
    """With `now` (as from a person), a time that has already begun is refused: nobody could
    sign up for it and it would vanish from every list. Without it (imports, tests) any time."""
    if ends_at <= starts_at:
        raise DomainError(error_messages["end_before_start"], field="ends")
    if now is not None and starts_at <= now:
        raise DomainError(error_messages["time_passed"], field="day")
    slot = Slot(task_id=task.id, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
                place_note=place_note or None)
    db.session.add(slot)
    db.session.flush()
    return slot


# --- recurring tasks -------------------------------------------------------------------------

def rule_of(task: Task) -> WeeklyRule | None:
    if not task.repeat_weekdays or task.repeat_starts is None:
        return None
    exceptions = frozenset(date.fromisoformat(d) for d in (task.repeat_exceptions or "").split(",") if d)
    return WeeklyRule(weekdays=frozenset(int(d) for d in task.repeat_weekdays.split(",")),
                      starts=task.repeat_starts, ends=task.repeat_ends, first_date=task.repeat_from,
                      last_date=task.repeat_until, interval_weeks=task.repeat_every_weeks or 1,
                      exceptions=exceptions)


def set_rule(task: Task, *, weekdays: list[int], every_weeks: int, starts: time, ends: time,
             first_date: date, last_date: date | None, capacity: int, exceptions: list[date],
             now: datetime) -> int:
    """Stores the rule (validated by WeeklyRule) and materialises its slots. Returns how many
    new slots were made. Existing slots stay; cancel the ones that no longer apply. A rule
    that would start in the past starts today (task.repeat_from tells the caller)."""
    first_date = max(first_date, to_local(now).date())
    if last_date is not None and last_date < first_date:
        raise DomainError(error_messages["last_date_passed"], field="last_date")
    try:
        WeeklyRule(weekdays=frozenset(weekdays), starts=starts, ends=ends, first_date=first_date,
                   last_date=last_date, interval_weeks=every_weeks, exceptions=frozenset(exceptions))
    except ValueError:
        raise DomainError(error_messages["rule_times"], field="ends")
    task.kind = TaskKind.recurring
    task.repeat_weekdays = ",".join(str(d) for d in sorted(set(weekdays)))
    task.repeat_every_weeks = every_weeks
    task.repeat_starts, task.repeat_ends = starts, ends
    task.repeat_from, task.repeat_until = first_date, last_date
    task.repeat_capacity = capacity
    task.repeat_exceptions = ",".join(d.isoformat() for d in sorted(set(exceptions))) or None
    task.materialised_until = None
    db.session.flush()
    return materialise(task, now=now)


def materialise(task: Task, *, now: datetime, horizon_days: int = HORIZON_DAYS) -> int:
    """Makes the slots of a recurring task up to the horizon. Idempotent: the unique
    (task, occurrence date) pair means running it twice, or twice at once, adds nothing."""
    rule = rule_of(task)
    if rule is None or task.status is TaskStatus.closed:
        return 0
    today = to_local(now).date()
    until = today + timedelta(days=horizon_days)
    existing = set(db.session.scalars(select(Slot.occurrence_date).where(
        Slot.task_id == task.id, Slot.occurrence_date.is_not(None))))
    made = 0
    for occ in occurrences(rule, today, until):
        if occ.day in existing or occ.starts_at <= now:
            continue
        db.session.add(Slot(task_id=task.id, starts_at=occ.starts_at, ends_at=occ.ends_at,
                            capacity=task.repeat_capacity or 1, occurrence_date=occ.day))
        made += 1
    task.materialised_until = until
    db.session.flush()
    return made


def materialise_all(*, now: datetime) -> int:
    tasks = db.session.scalars(select(Task).where(
        Task.kind == TaskKind.recurring, Task.status.in_([TaskStatus.published, TaskStatus.paused]),
        Task.repeat_weekdays.is_not(None)))
    return sum(materialise(task, now=now) for task in tasks)


# --- changing a slot ------------------------------------------------------------------------

def _people_on(slot: Slot, states=(SignupState.confirmed, SignupState.offered, SignupState.waitlisted)):
    return list(db.session.scalars(select(Signup).where(Signup.slot_id == slot.id, Signup.state.in_(states))))


def change_slot(slot: Slot, *, starts_at: datetime, ends_at: datetime, capacity: int,
                place_note: str | None, now: datetime) -> None:
    """A new time or place tells everyone on the slot and bumps the calendar SEQUENCE.
    Capacity may rise at any time but never drop below the seats already taken."""

    if slot.status is SlotStatus.cancelled:
        raise InvalidState(error_messages["slot_cancelled"])
    if ends_at <= starts_at:
        raise DomainError(error_messages["end_before_start"], field="ends")
    if (starts_at, ends_at) != (slot.starts_at, slot.ends_at) and starts_at <= now:
        raise DomainError(error_messages["time_passed"], field="day")
    if capacity < slot.taken:
        raise CapacityBelowTaken(ngettext(
            "%(num)d person is already signed up, so there must be at least %(num)d place.",
            "%(num)d people are already signed up, so there must be at least %(num)d places.", slot.taken))
    moved = (starts_at, ends_at) != (slot.starts_at, slot.ends_at) or (place_note or None) != slot.place_note
    old_start = slot.starts_at
    slot.starts_at, slot.ends_at, slot.place_note = starts_at, ends_at, place_note or None
    grew = capacity > slot.capacity
    slot.capacity = capacity
    if moved:
        slot.sequence += 1
        db.session.flush()
        updated = ("invitation.ics", "text/calendar", slot_ics(slot))
        for signup in _people_on(slot, states=(SignupState.confirmed, SignupState.offered)):
            queue_email(signup.user.email, "slot_changed", locale=signup.user.locale, slot=slot,
                        task=slot.task, user=signup.user, old_start=old_start, attachment=updated)
        for signup in _people_on(slot, states=(SignupState.waitlisted,)):
            queue_email(signup.user.email, "slot_changed", locale=signup.user.locale, slot=slot,
                        task=slot.task, user=signup.user, old_start=old_start)
    db.session.flush()
    if grew:
        offer_free_seats(slot, now=now)


def cancel_slot(slot: Slot, *, now: datetime) -> None:
    if slot.status is SlotStatus.cancelled:
        return
    people = [(signup, signup.state) for signup in _people_on(slot)]  # states before cancelling
    slot.status = SlotStatus.cancelled
    slot.sequence += 1
    db.session.execute(update(Signup).where(Signup.slot_id == slot.id, Signup.state != SignupState.cancelled)
                       .values(state=SignupState.cancelled, cancelled_at=now, cancel_reason="slot_cancelled")
                       .execution_options(synchronize_session="fetch"))
    slot.taken = 0
    db.session.flush()
    cancelled = ("cancelled.ics", "text/calendar", slot_ics(slot))  # the slot itself is cancelled now
    for signup, state in people:
        queue_email(signup.user.email, "slot_cancelled", locale=signup.user.locale, slot=slot,
                    task=slot.task, user=signup.user,
                    attachment=cancelled if state is not SignupState.waitlisted else None)
    db.session.flush()


def upcoming_slots(task: Task, *, now: datetime) -> list[Slot]:
    return list(db.session.scalars(select(Slot).where(Slot.task_id == task.id, Slot.ends_at > now)
                                   .order_by(Slot.starts_at)))

