"""The benchmark database: created fresh for every run, then filled at the chosen scale with bulk
inserts (seconds, not minutes)."""

import os
import secrets
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from portal.core.dates import shift_month
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (
    Category,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Signup,
    SignupState,
    Slot,
    Task,
    TaskKind,
    TaskStatus,
    User,
    VolunteerProfile,
    utcnow,
)

PASSWORD = "bench horse battery staple"
CHEAP_HASH = "scrypt:1024:8:1"


@dataclass(frozen=True)
class Scale:
    organisations: int
    tasks: int
    slots: int          # upcoming open slots, all in next month (the month view shows them all)
    users: int
    clients: int        # browsers in the sign-up race
    capacity: int       # places on the raced slot
    feed_signups: int   # confirmed signups of the one person whose personal feed is timed
    repeats: int        # timed requests per calendar scenario


SCALES = {
    # Dragør (about 14,000 inhabitants): a dozen associations, a few thousand volunteers, and a
    # deliberately busy month of 1,000 times.
    "dragor": Scale(organisations=12, tasks=60, slots=1_000, users=3_000, clients=200, capacity=10,
                    feed_signups=1_000, repeats=30),
    # The same portal for the whole country: just larger numbers, still a few minutes on 2 cores.
    "denmark": Scale(organisations=200, tasks=1_000, slots=10_000, users=50_000, clients=400, capacity=20,
                     feed_signups=1_000, repeats=5),
}


def database_kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def default_url(root: Path, scale: str) -> str:
    return f"sqlite:///{root / 'build' / 'bench' / f'bench-{scale}.db'}"


def recreate_database(url: str) -> None:
    """Starts from nothing: deletes the SQLite file, or drops and creates the PostgreSQL database.
    Refuses a PostgreSQL database whose name lacks "bench", so `test` or a real portal is never wiped."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if "bench" not in (parsed.database or ""):
        raise SystemExit(f"BENCH_DATABASE_URL must name a database for benchmarks only (with 'bench' in "
                         f"its name), not {parsed.database!r}: the benchmark drops and recreates it.")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


@dataclass
class Fixture:
    """What the scenarios need to know about the generated data."""
    month: str                 # "YYYY-MM" of the busy month
    calendar_slots: int        # upcoming open slots in the public calendar
    race_task_id: int
    race_slot_id: int
    race_emails: list[str]
    feed_token: str
    feed_signups: int


def generate(scale: Scale, *, now=None) -> Fixture:
    """Inside an app context: the schema, then organisations, tasks, slots, users and signups."""
    from portal.tasks.services import ensure_categories

    now = now or utcnow()
    db.create_all()
    ensure_categories()
    db.session.commit()
    category_ids = list(db.session.scalars(select(Category.id).order_by(Category.sort_order)))
    password_hash = generate_password_hash(PASSWORD, method=CHEAP_HASH)  # one hash, shared: cheap logins

    users = [dict(email=f"frivillig{n}@example.dk", name=f"Frivillig {n}", password_hash=password_hash,
                  birth_date=date(1950 + n % 50, 1 + n % 12, 1 + n % 28), postcode="2791", locale="da",
                  email_confirmed_at=now) for n in range(scale.users)]
    _bulk(User, users)
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))

    orgs = [dict(slug=f"forening-{n}", name=f"Forening {n}", kind=OrganisationKind.association,
                 status=OrganisationStatus.approved, description="Vi hjælper hinanden.", address="Kongevejen 1",
                 postcode="2791", city="Dragør", contact_name="Kontakt", contact_email=f"kontakt{n}@example.dk",
                 contact_phone="32 89 01 00", applicant_id=user_ids[n % len(user_ids)])
            for n in range(scale.organisations)]
    _bulk(Organisation, orgs)
    org_ids = list(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))

    tasks = [dict(organisation_id=org_ids[n % len(org_ids)], category_id=category_ids[n % len(category_ids)],
                  title=f"Opgave {n}: besøg, kaffe og gåtur", description="Kom og hjælp. " * 20,
                  kind=TaskKind.one_off, status=TaskStatus.published, address="Vinkelvej 2", postcode="2791",
                  city="Dragør", contact_name="Mette", contact_email="mette@example.dk")
             for n in range(scale.tasks + 1)]
    _bulk(Task, tasks)
    task_ids = list(db.session.scalars(select(Task.id).order_by(Task.id)))
    race_task_id, task_ids = task_ids[-1], task_ids[:-1]

    # The busy month is next month (local time), so every one of its slots is upcoming.
    local_today = to_local(now).date()
    year, month = shift_month(local_today.year, local_today.month, 1)
    first = date(year, month, 1)
    days = (date(*shift_month(year, month, 1), 1) - first).days
    slots = []
    for n in range(scale.slots):
        starts_at = to_utc(first + timedelta(days=n % days), time(8 + n % 12, 15 * (n // days % 4)))
        slots.append(dict(task_id=task_ids[n % len(task_ids)], starts_at=starts_at,
                          ends_at=starts_at + timedelta(hours=2), capacity=5))
    _bulk(Slot, slots)
    race_starts = now.replace(microsecond=0) + timedelta(days=7)
    _bulk(Slot, [dict(task_id=race_task_id, starts_at=race_starts, ends_at=race_starts + timedelta(hours=3),
                      capacity=scale.capacity)])
    race_slot_id = db.session.scalar(select(Slot.id).where(Slot.task_id == race_task_id))

    # One very busy volunteer (the last user, not a racer) with a signup on the first N calendar slots.
    feed_user = user_ids[-1]
    feed_slot_ids = list(db.session.scalars(select(Slot.id).where(Slot.task_id != race_task_id)
                                            .order_by(Slot.id).limit(scale.feed_signups)))
    _bulk(Signup, [dict(slot_id=s, user_id=feed_user, state=SignupState.confirmed, created_at=now)
                   for s in feed_slot_ids])
    db.session.execute(update(Slot).where(Slot.id.in_(feed_slot_ids)).values(taken=1)
                       .execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    _bulk(VolunteerProfile, [dict(user_id=feed_user, calendar_token=token)])
    db.session.commit()
    emails = [u["email"] for u in users[:scale.clients]]
    return Fixture(month=f"{year:04d}-{month:02d}", calendar_slots=scale.slots + 1, race_task_id=race_task_id,
                   race_slot_id=race_slot_id, race_emails=emails, feed_token=token,
                   feed_signups=len(feed_slot_ids))


def _bulk(model, rows, chunk=5_000):
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(model), rows[start:start + chunk])
    db.session.commit()


def race_result(slot_id: int) -> tuple[int, int]:
    """(confirmed signup rows, slot.taken) for the raced slot."""
    from sqlalchemy import func
    confirmed = db.session.scalar(select(func.count(Signup.id)).where(
        Signup.slot_id == slot_id, Signup.state == SignupState.confirmed))
    taken = db.session.scalar(select(Slot.taken).where(Slot.id == slot_id))
    db.session.rollback()
    return confirmed, taken


def environment_url() -> str | None:
    return os.environ.get("BENCH_DATABASE_URL") or None
