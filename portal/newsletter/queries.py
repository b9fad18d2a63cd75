"""What the newsletter reads: the upcoming needs it fills in, who gets it, and the coordinator's list.
A constant number of statements whatever the size of the data."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from portal.access import public_task_clause
from portal.extensions import db
from portal.models import (Category, Newsletter, NewsletterStatus, Organisation, Slot, SlotStatus, Task, TaskKind,
                           User, VolunteerProfile, volunteer_interests)

NEEDS_DAYS = 14        # the needs of the next two weeks
NEEDS_SHOWN = 8        # the most urgent times, one per task
ROLES_SHOWN = 3        # ongoing roles that look for people, after the times
CANDIDATES = 80        # rows read to find NEEDS_SHOWN different tasks (a daily task fills the first rows)


@dataclass(frozen=True)
class Need:
    task_id: int
    title: str
    organisation: str
    starts_at: datetime | None     # None for an ongoing role
    ends_at: datetime | None
    place: str
    missing: int


def _filters(category_id: int | None, postcode: str | None) -> list:
    clauses = [public_task_clause()]
    if category_id:
        clauses.append(Task.category_id == category_id)
    if postcode:
        clauses.append(Task.postcode == postcode)
    return clauses


def _place(place_name, address, city) -> str:
    place = place_name or address or ""
    return place if not city or city in place else f"{place}, {city}"


def upcoming_needs(*, now: datetime, category_id: int | None = None, postcode: str | None = None) -> list[Need]:
    """The published times of the next NEEDS_DAYS days that still need people, soonest first (a
    time tomorrow is more urgent than one in ten days), then those missing most people; one per task."""
    rows = db.session.execute(
        select(Task.id, Task.title, Organisation.name, Slot.starts_at, Slot.ends_at,
               func.coalesce(func.nullif(Slot.place_note, ""), func.nullif(Task.place_name, ""), Task.address),
               Task.address, Task.city, Slot.capacity - Slot.taken)
        .select_from(Slot).join(Task, Slot.task_id == Task.id)
        .join(Organisation, Task.organisation_id == Organisation.id)
        .where(Slot.status == SlotStatus.open, Slot.taken < Slot.capacity, Slot.starts_at >= now,
               Slot.starts_at < now + timedelta(days=NEEDS_DAYS), *_filters(category_id, postcode))
        .order_by(Slot.starts_at, (Slot.capacity - Slot.taken).desc(), Slot.id).limit(CANDIDATES)).all()
    seen, needs = set(), []
    for task_id, title, org, starts, ends, place, address, city, missing in rows:
        if task_id in seen:
            continue
        seen.add(task_id)
        needs.append(Need(task_id, title, org, starts, ends, _place(place, address, city), int(missing)))
        if len(needs) == NEEDS_SHOWN:
            break
    return needs


def ongoing_roles(*, category_id: int | None = None, postcode: str | None = None) -> list[Need]:
    """A few published ongoing roles (a reading friend, a visiting friend), newest first."""
    rows = db.session.execute(
        select(Task.id, Task.title, Organisation.name, Task.place_name, Task.address, Task.city)
        .join(Organisation, Task.organisation_id == Organisation.id)
        .where(Task.kind == TaskKind.ongoing, *_filters(category_id, postcode))
        .order_by(Task.id.desc()).limit(ROLES_SHOWN)).all()
    return [Need(task_id, title, org, None, None, _place(place_name, address, city), 0)
            for task_id, title, org, place_name, address, city in rows]


def recipients_clause(category_id: int | None, postcode: str | None) -> list:
    """Who gets a newsletter: volunteers who asked for it, with a confirmed e-mail address (an assisted
    profile has none and is skipped: a newsletter is not worth a phone call), matching the interest
    (a category among their interests) and the area (their postcode) when the coordinator chose one."""
    clauses = [VolunteerProfile.newsletter_opt_in.is_(True), User.email.is_not(None), User.email != "",
               User.email_confirmed_at.is_not(None)]
    if category_id:
        clauses.append(exists().where(volunteer_interests.c.profile_id == VolunteerProfile.id,
                                      volunteer_interests.c.category_id == category_id))
    if postcode:
        clauses.append(User.postcode == postcode)
    return clauses


def recipient_count(category_id: int | None, postcode: str | None) -> int:
    return db.session.scalar(select(func.count(VolunteerProfile.id))
                             .join(User, VolunteerProfile.user_id == User.id)
                             .where(*recipients_clause(category_id, postcode))) or 0


def recipients(category_id: int | None, postcode: str | None) -> list:
    """(profile id, user id, e-mail, name, locale, token) of every recipient, in one statement."""
    return db.session.execute(
        select(VolunteerProfile.id, User.id, User.email, User.name, User.locale, VolunteerProfile.newsletter_token)
        .join(User, VolunteerProfile.user_id == User.id)
        .where(*recipients_clause(category_id, postcode)).order_by(VolunteerProfile.id)).all()


def newsletters() -> tuple[list[Newsletter], list[Newsletter]]:
    """(drafts newest first, sent newest first)."""
    rows = db.session.scalars(select(Newsletter).options(selectinload(Newsletter.category))
                              .order_by(Newsletter.id.desc())).all()
    return ([n for n in rows if n.status is NewsletterStatus.draft],
            sorted((n for n in rows if n.status is NewsletterStatus.sent), key=lambda n: n.sent_at or n.created_at, reverse=True))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).where(Category.active.is_(True))
                                   .order_by(Category.sort_order, Category.id)))
