"""The page scenarios of issue 9, on the database tools.datagen makes (the issue's scales: 10,000
times in Dragør, 500,000 nationally, over the next eight weeks), served by gunicorn:

  tasks_first_page   GET /tasks, anonymous
  calendar_month     GET /tasks?view=month&month=… for the month with the most times
  calendar_week      GET /tasks?view=week&week=… for the week with the most times
  calendar_ics       GET /calendar.ics, the public feed
  calendar_ics_304   the same with If-None-Match: the ETag of the previous answer (a calendar app polling)
  task_page          GET /tasks/<id> for the task with the most upcoming times
  front_page         GET /, anonymous
  organisation_page  GET /organisations/<slug> for the organisation with the most tasks

One browser asks one request at a time (the time to render, not to queue), after warming every
worker. A request slower than a few seconds is repeated only while the scenario's time budget
lasts, so a 60 s page costs minutes, not an hour; a request that never answers (gunicorn's
timeout, or the memory watchdog in bench/server.py) ends the scenario as "killed"."""

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bench.server import TIMEOUT_S, WORKERS
from bench.stats import summary

SLOW_S = 2.0          # a request this slow is worth fewer repeats
MIN_TIMED = 3         # ... but at least this many timed, when one takes under VERY_SLOW_S
VERY_SLOW_S = 20.0


@dataclass
class Targets:
    """What the scenarios ask for in the generated data, chosen once per run."""
    month: str
    month_times: int
    week: str
    week_times: int
    task_id: int
    task_times: int
    organisation: str
    organisation_tasks: int
    task_ids: list[int] = field(default_factory=list)       # for the mixed requests (memory)
    organisations: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)          # volunteers to log in as


def choose(now: datetime) -> Targets:
    """Inside an app context on the generated database. Only the models are used (not the
    listing code), so the same choice is made on the code before and after a change."""
    from sqlalchemy import func, select

    from portal.core.timeutil import to_local, to_utc
    from portal.extensions import db
    from portal.models import (Organisation, OrganisationStatus, Slot, SlotStatus, Task, TaskStatus, User,
                               VolunteerProfile)

    public = (select(Slot.id).join(Task, Task.id == Slot.task_id).join(Organisation, Organisation.id == Task.organisation_id)
              .where(Task.status == TaskStatus.published, Organisation.status == OrganisationStatus.approved,
                     Slot.status == SlotStatus.open))

    def count(start: datetime, end: datetime) -> int:
        inner = public.where(Slot.starts_at >= max(start, now), Slot.starts_at < end).subquery()
        return db.session.scalar(select(func.count()).select_from(inner))

    today = to_local(now).date()
    months = []
    for ahead in range(3):
        year, month = today.year + (today.month - 1 + ahead) // 12, (today.month - 1 + ahead) % 12 + 1
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        months.append((count(to_utc(first, datetime.min.time()), to_utc(following, datetime.min.time())),
                       f"{year:04d}-{month:02d}"))
    month_times, month = max(months)
    monday = today - timedelta(days=today.weekday())
    weeks = []
    for ahead in range(9):
        start = monday + timedelta(weeks=ahead)
        weeks.append((count(to_utc(start, datetime.min.time()), to_utc(start + timedelta(days=7), datetime.min.time())),
                      start.strftime("%G-W%V")))
    week_times, week = max(weeks)

    upcoming = public.where(Slot.starts_at > now)
    busiest = db.session.execute(
        select(Slot.task_id, func.count()).where(Slot.id.in_(upcoming)).group_by(Slot.task_id)
        .order_by(func.count().desc(), Slot.task_id).limit(50)).all()
    org_rows = db.session.execute(
        select(Organisation.slug, func.count(Task.id)).join(Task, Task.organisation_id == Organisation.id)
        .where(Organisation.status == OrganisationStatus.approved, Task.status == TaskStatus.published)
        .group_by(Organisation.slug).order_by(func.count(Task.id).desc(), Organisation.slug).limit(20)).all()
    emails = list(db.session.scalars(
        select(User.email).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(User.email_confirmed_at.is_not(None)).order_by(User.id).limit(8)))
    db.session.rollback()
    return Targets(month=month, month_times=month_times, week=week, week_times=week_times,
                   task_id=busiest[0][0], task_times=busiest[0][1], organisation=org_rows[0][0],
                   organisation_tasks=org_rows[0][1], task_ids=[r[0] for r in busiest],
                   organisations=[r[0] for r in org_rows], emails=emails)


def scenarios(targets: Targets) -> dict[str, str]:
    return {
        "tasks_first_page": "/tasks",
        "calendar_month": f"/tasks?view=month&month={targets.month}",
        "calendar_week": f"/tasks?view=week&week={targets.week}",
        # The same pages built every time: a parameter the page does not declare keeps them out of
        # the page cache (portal/pagecache.py), so these rows time the code, not the cache.
        "tasks_first_page_uncached": "/tasks?uncached=1",
        "calendar_month_uncached": f"/tasks?view=month&month={targets.month}&uncached=1",
        "calendar_week_uncached": f"/tasks?view=week&week={targets.week}&uncached=1",
        "calendar_ics": "/calendar.ics",
        "task_page": f"/tasks/{targets.task_id}",
        "front_page": "/",
        "organisation_page": f"/organisations/{targets.organisation}",
    }


def timed_gets(server, path: str, *, repeats: int, budget_s: float, headers=None, expect=200,
               browser=None) -> dict:
    """Warm every worker, then time up to `repeats` requests within `budget_s` (at least MIN_TIMED
    unless one takes VERY_SLOW_S). Returns the summary with bytes (the body as sent, uncompressed:
    the browser does not ask for gzip), the answer's ETag, and status "ok", "killed" or "error".
    `expect` may be a tuple of statuses (a conditional GET may be answered 200 or 304): the
    result then counts each in "statuses"."""
    expected = expect if isinstance(expect, tuple) else (expect,)
    from bench.client import Browser
    browser = browser or Browser(server.port)
    server.killed.clear()
    seconds, size, etag, statuses = [], None, None, {}
    by_status: dict[str, list[float]] = {}
    started = time.monotonic()
    warm = 0
    try:
        while warm < WORKERS * 2:
            status, answer_headers, _, elapsed = browser.get(path, headers)
            warm += 1
            if status not in expected:
                return _failed(server, path, status, seconds, size)
            if elapsed > SLOW_S:  # every worker warmed once is plenty for a page this slow
                break
        while len(seconds) < repeats:
            spent = time.monotonic() - started
            if seconds and spent > budget_s and (len(seconds) >= MIN_TIMED or max(seconds) > VERY_SLOW_S):
                break
            status, answer_headers, _, elapsed = browser.get(path, headers)
            if status not in expected:
                return _failed(server, path, status, seconds, size)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            by_status.setdefault(str(status), []).append(elapsed)
            seconds.append(elapsed)
            size, etag = browser.last_bytes, answer_headers.get("ETag")
    except OSError as error:  # a timeout, or the connection dropped when the worker was killed
        return _failed(server, path, f"no answer ({type(error).__name__})", seconds, size)
    result = {**summary(seconds), "bytes": size, "status": "ok"}
    if len(expected) > 1:
        result["statuses"] = statuses
        result["p95_ms_by_status"] = {code: summary(times)["p95_ms"] for code, times in by_status.items()}
        result["bytes"] = None  # the size of whichever answer came last says nothing here
    if etag:
        result["etag"] = etag
    return result


def _failed(server, path, status, seconds, size) -> dict:
    time.sleep(0.5)  # the watchdog's note, if it acted, arrives within its polling interval
    killed = list(server.killed) or (
        [f"no answer within the {TIMEOUT_S} s timeout"] if "no answer" in str(status) else [])
    result = {"n": len(seconds), "p50_ms": None, "p95_ms": None, "bytes": size,
              "status": "killed" if killed else "error",
              "detail": "; ".join(killed) or f"GET {path} answered {status}"}
    if seconds:
        result["answered_ms"] = [round(s * 1000, 1) for s in seconds]
    return result


def compressed_bytes(port: int, path: str) -> int | None:
    """The size on the wire when the client accepts gzip, or None if the answer is not compressed."""
    from bench.client import Browser
    browser = Browser(port)
    try:
        _, headers, _, _ = browser.get(path, {"Accept-Encoding": "gzip"})
    except OSError:
        return None
    return browser.last_bytes if headers.get("Content-Encoding") in ("gzip", "br", "deflate") else None

