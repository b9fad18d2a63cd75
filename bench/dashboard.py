"""The dashboard benchmark (issue 13): the coordinator's /coordinator/dashboard, rendered whole
(queries, arithmetic, charts, template) through the test client, on the generated database of
the matching scenarios (tools.datagen) at Dragør or national scale.

tools.datagen makes only coming times; a dashboard over a year needs a past. Inside one
transaction that is rolled back at the end (the generated database stays as the other scenarios
expect it), a year of past times is added: for every coming time one a whole number of weeks
back, with its sign-ups marked attended or no-show, and approved hours for ongoing roles. Then
the page is timed for "this month" and "the last 12 months" (keys dashboard@<scale>@<db> and
dashboard_12m@…), and an organisation's own dashboard (dashboard_org).

Goals (issue 13): under 300 ms at Dragør scale and under 1 s at national scale on PostgreSQL."""

import os
import random
import time

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

REPEATS = {"dragor": 30, "denmark": 6}
BUDGET_S = {"dragor": 60, "denmark": 120}
WARMUP = 2
TARGET_MS = {"dragor": 300, "denmark": 1000}
SEED = 2791


def _history(session, now, rng) -> dict:
    """A year of past times, sign-ups with attendance and approved hours, in `session`."""
    from datetime import timedelta

    from portal.models import (Attendance, HoursEntry, HoursStatus, Signup, SignupState, Slot, SlotStatus, Task,
                               User)

    users = list(session.scalars(select(User.id).order_by(User.id)))
    upcoming = session.execute(select(Slot.task_id, Slot.starts_at, Slot.ends_at, Slot.capacity)
                               .where(Slot.status == SlotStatus.open).order_by(Slot.id)).all()
    next_slot = (session.scalar(select(func.max(Slot.id))) or 0) + 1
    next_signup = (session.scalar(select(func.max(Signup.id))) or 0) + 1
    slots, signups = [], []
    for task_id, starts, ends, capacity in upcoming:
        back = timedelta(weeks=rng.randint(2, 56))
        cap = max(1, min(int(capacity), 8))
        people = rng.sample(users, rng.randint(0, cap))
        slots.append(dict(id=next_slot, task_id=task_id, starts_at=starts - back, ends_at=ends - back, capacity=cap,
                          taken=len(people), status=SlotStatus.open, sequence=0, created_at=starts - back,
                          updated_at=starts - back))
        for uid in people:
            signups.append(dict(id=next_signup, slot_id=next_slot, user_id=uid, state=SignupState.confirmed,
                                attendance=Attendance.attended if rng.random() < 0.9 else Attendance.no_show,
                                created_at=starts - back - timedelta(days=3), updated_at=starts - back))
            next_signup += 1
        next_slot += 1
    tasks = list(session.scalars(select(Task.id).order_by(Task.id).limit(200)))
    entries = [dict(task_id=rng.choice(tasks), user_id=rng.choice(users),
                    worked_on=(now - timedelta(days=rng.randint(0, 400))).date(), minutes=rng.choice((60, 90, 120)),
                    status=HoursStatus.approved, created_at=now) for _ in range(len(users) // 10)]
    for table, rows in ((Slot, slots), (Signup, signups), (HoursEntry, entries)):
        for i in range(0, len(rows), 5000):
            session.execute(insert(table), rows[i:i + 5000])
    session.flush()
    return {"past_slots": len(slots), "past_signups": len(signups), "hours_entries": len(entries)}


def run(prepared, scale: str, *, log=print) -> dict[str, dict]:
    from bench.stats import summary
    from portal import create_app
    from portal.extensions import db
    from portal.models import Organisation, Slot, Task, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": prepared.url, "MAIL_URL": "memory://", "SECRET_KEY": "bench-secret",
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    results: dict[str, dict] = {}
    rng = random.Random(SEED)
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        # Every statement of the timed requests runs in this transaction, rolled back at the end.
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        db.session.registry.set(session)
        try:
            started = time.perf_counter()
            added = _history(session, prepared.now, rng)
            coordinator = User(email="bench-coordinator@example.dk", name="Bench Coordinator", is_coordinator=True,
                               locale="da", password_hash="x")
            session.add(coordinator)
            session.flush()
            org_slug = session.scalar(select(Organisation.slug).join(Task, Task.organisation_id == Organisation.id)
                                      .join(Slot, Slot.task_id == Task.id).group_by(Organisation.slug)
                                      .order_by(func.count(Slot.id).desc(), Organisation.slug).limit(1))
            login_id = f"{coordinator.id}:{coordinator.session_version or 1}"
            log(f"  dashboard: added {added} in {time.perf_counter() - started:.0f} s (rolled back afterwards)")
            if connection.dialect.name == "postgresql" and os.environ.get("BENCH_ANALYZE", "1") != "0":
                # A live database's autovacuum knows its tables; without fresh statistics the planner takes
                # the added year for a few rows and nests loops over a million. ANALYZE inside this
                # transaction counts its own inserted rows, and its statistics are rolled back with it.
                session.execute(text("ANALYZE slots, signups, hours_entries, users"))
            client = app.test_client()
            with client.session_transaction() as cookie:
                cookie["_user_id"] = login_id
                cookie["_fresh"] = True
            for name, path in (("dashboard", "/coordinator/dashboard?period=month"),
                               ("dashboard_12m", "/coordinator/dashboard?period=12m"),
                               ("dashboard_org", f"/organisations/{org_slug}/dashboard?period=12m")):
                seconds, sizes, statuses = [], [], set()
                deadline = time.monotonic() + BUDGET_S[scale]
                for i in range(REPEATS[scale] + WARMUP):
                    t = time.perf_counter()
                    response = client.get(path)
                    elapsed = time.perf_counter() - t
                    statuses.add(response.status_code)
                    if i >= WARMUP:
                        seconds.append(elapsed)
                        sizes.append(len(response.data))
                    if time.monotonic() > deadline and len(seconds) >= 5:
                        break
                result = summary(seconds)
                result.update(path=path, bytes=max(sizes) if sizes else None, statuses=sorted(statuses),
                              target_p95_ms=TARGET_MS[scale], added=added,
                              load_1min=round(os.getloadavg()[0], 1))
                result["within_target"] = statuses == {200} and result.get("p95_ms") is not None \
                    and result["p95_ms"] < TARGET_MS[scale]
                if statuses != {200}:
                    result["status"] = "error"
                    result["detail"] = f"answered {sorted(statuses)}"
                results[name] = result
                log(f"  {name}: n={result['n']} p50 {result['p50_ms']} ms p95 {result['p95_ms']} ms "
                    f"({(result['bytes'] or 0) / 1000:.0f} KB) {path}")
        finally:
            session.close()
            outer.rollback()
            connection.close()
            db.session.registry.clear()
            db.engine.dispose()
    return results
