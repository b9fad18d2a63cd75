"""Finding tasks and times for the public list, the search and the calendar views.

Every filter lives in the URL (Filters.as_args), so a search can be shared. A page of the
list costs a fixed handful of queries however many tasks match: one grouped query finds and
orders the matching tasks (with their first time, free places and capacity), one loads the
page's tasks with organisation and category, one loads their next three times."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import format_decimal, format_time
from flask_babel import gettext as _
from sqlalchemy import Float, and_, case, cast, column, false, func, literal, or_, select, true, union_all, values
from sqlalchemy.orm import aliased, joinedload

from portal import dataversion
from portal.access import public_organisation_clause, public_task_clause
from portal.core.calendar_days import CalendarDay, build_days, day_edges, day_number
from portal.core.dates import shift_month
from portal.core.distance import bounding_box, distance_km, flat_km2
from portal.core.search import (PARTS_OF_DAY, WEEKDAY_CODES, YOUNG_AGE, like_pattern, local_windows,
                                search_words)
from portal.core.timeutil import to_local, to_utc
from portal.extensions import cache, db
from portal.hardening import sensible_date
from portal.geocoding import GazetteerGeocoder
from portal.models import (Category, Organisation, OrganisationStatus, Slot, SlotStatus, Task, TaskKind,
                           TaskStatus)
from portal.models.base import UTCDateTime
from portal.volunteers.services import position

PAGE_SIZE = 20
MAX_PAGE = 10_000
NEXT_TIMES = 3
SORTS = ("soonest", "nearest", "needed")
NEAREST_RADII_KM = (5, 25)      # tried in turn before sorting everything by distance
WITHIN_FIRST_KM = 3             # "within" and "nearest": this box is measured before the whole radius
# A task outside a box of r km (portal.core.distance.bounding_box, flat-earth) lies farther than
# 0.998 r by the great circle in Denmark (a degree of latitude is 111.2 km on geopy's
# sphere, not 111.32; the box's width in longitude is taken at its centre), so only the tasks
# measured nearer than this share of r are sure to come before all of those.
WITHIN_FIRST_SURE = 0.98
DISTANCES = (2, 5, 10, 25)
CLOSE_BY_KM = 0.5          # nearer than this reads "close by", not "0,0 km"
POSTCODE = re.compile(r"(\d{4})(?!\d)")   # "2791" or "2791 Dragør"


@dataclass
class Filters:
    category: str | None = None
    organisation: str | None = None
    kind: str | None = None
    first: date | None = None
    last: date | None = None
    q: str = ""
    weekdays: tuple[int, ...] = ()          # 0 = Monday
    parts: tuple[str, ...] = ()             # keys of PARTS_OF_DAY
    postcode: str = ""                      # as typed; the origin of "near" for anyone
    within: int | None = None               # km, one of DISTANCES
    young: bool = False
    taster: bool = False                    # only "prøv en opgave" taster tasks (issue 12)
    small_jobs: bool = False                # only "småjob" (issue 13)
    sort: str = "soonest"

    def as_args(self) -> dict:
        """The filters as URL arguments (lists repeat the key), without empty ones."""
        args = {"q": self.q, "category": self.category, "organisation": self.organisation, "kind": self.kind,
                "from": self.first.isoformat() if self.first else None,
                "to": self.last.isoformat() if self.last else None,
                "day": [WEEKDAY_CODES[d] for d in self.weekdays], "time": list(self.parts),
                "postcode": self.postcode, "within": self.within, "young": "1" if self.young else None,
                "taster": "1" if self.taster else None,
                "smalljobs": "1" if self.small_jobs else None,
                "sort": self.sort if self.sort != "soonest" else None}
        return {k: v for k, v in args.items() if v}

    @property
    def words(self) -> list[str]:
        return search_words(self.q)

    def for_day(self, day: date) -> dict:
        """The same search narrowed to one local day: where a calendar day's "+N more" leads.
        The list's own date filters do it, so the day's times are the list's, not a copy."""
        return {**self.as_args(), "from": day.isoformat(), "to": day.isoformat()}


def parse_filters(args) -> Filters:
    """Filters from the URL. Anything malformed is ignored, so an old or hand-edited link
    still shows tasks."""
    def day(name):
        try:
            return sensible_date(date.fromisoformat(args.get(name, "")))
        except ValueError:
            return None

    def many(name):
        return args.getlist(name) if hasattr(args, "getlist") else [args[name]] if args.get(name) else []

    kind = args.get("kind")
    within = args.get("within", "")
    sort = args.get("sort")
    days = {WEEKDAY_CODES.index(d) for d in many("day") if d in WEEKDAY_CODES}
    parts = {p for p in many("time") if p in PARTS_OF_DAY}
    return Filters(category=args.get("category") or None, organisation=args.get("organisation") or None,
                   kind=kind if kind in {k.value for k in TaskKind} else None, first=day("from"), last=day("to"),
                   q=" ".join(args.get("q", "").split())[:200],
                   weekdays=tuple(sorted(days)), parts=tuple(p for p in PARTS_OF_DAY if p in parts),
                   postcode=" ".join(args.get("postcode", "").split())[:40],
                   within=int(within) if within.isdigit() and int(within) in DISTANCES else None,
                   young=args.get("young") in ("1", "y", "on", "true"),
                   taster=args.get("taster") in ("1", "y", "on", "true"),
                   small_jobs=args.get("smalljobs") in ("1", "y", "on", "true"),
                   sort=sort if sort in SORTS else "soonest")


# --- where "near" is ------------------------------------------------------------------------

@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float
    label: str | None = None     # "2791 Dragør" for a typed postcode; None for the profile

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


def find_origin(filters: Filters, user) -> tuple[Origin | None, bool]:
    """(where distances are measured from, whether a typed postcode was not understood).
    A typed postcode wins; otherwise where a logged-in volunteer is (portal.volunteers:
    the point in their profile, else their postcode). Postcodes are looked up in the shipped
    gazetteer, never over the network: a public page must stay fast and make no third-party
    requests."""
    if filters.postcode:
        typed = POSTCODE.match(filters.postcode)
        place = GazetteerGeocoder().locate(postcode=typed.group(1)) if typed else None
        if place is None:
            return None, True
        return Origin(place.latitude, place.longitude, f"{place.postcode} {place.name}"), False
    point = position(user) if user is not None else None
    return (Origin(*point) if point is not None else None), False


# --- the conditions -------------------------------------------------------------------------

# SQLite's lower() folds only ASCII letters; these are the capitals Danish text needs.
_CAPITALS = (("Æ", "æ"), ("Ø", "ø"), ("Å", "å"), ("Ä", "ä"), ("Ö", "ö"), ("Ü", "ü"), ("É", "é"))


def _folded(column):
    for capital, small in _CAPITALS:
        column = func.replace(column, capital, small)
    return func.lower(column)


def _task_conditions(filters: Filters, origin: Origin | None) -> list:
    """Conditions on Task and its (joined) Organisation."""
    conditions = [public_task_clause()]
    if filters.category:
        conditions.append(Task.category_id == select(Category.id).where(Category.slug == filters.category)
                          .scalar_subquery())
    if filters.organisation:
        conditions.append(Organisation.slug == filters.organisation)
    if filters.kind:
        conditions.append(Task.kind == TaskKind(filters.kind))
    if filters.young:
        conditions.append(or_(Task.min_age.is_(None), Task.min_age <= YOUNG_AGE))
    if filters.taster:
        conditions.append(Task.is_taster.is_(True))
    if filters.small_jobs:
        conditions.append(Task.is_small_job.is_(True))
    for word in filters.words:
        pattern = like_pattern(word)
        conditions.append(or_(*(_folded(column).like(pattern, escape="\\")
                                for column in (Task.title, Task.description, Organisation.name))))
    if origin is not None and filters.within:
        # The indexed box first (ix_tasks_position); exact distances are taken in Python.
        min_lat, max_lat, min_lon, max_lon = bounding_box(origin.point, filters.within)
        conditions += [Task.latitude.between(min_lat, max_lat), Task.longitude.between(min_lon, max_lon)]
    return conditions


def window(filters: Filters, now: datetime) -> tuple[datetime, datetime]:
    start = max(now, to_utc(filters.first, time(0))) if filters.first else now
    end = to_utc(filters.last + timedelta(days=1), time(0)) if filters.last else now + timedelta(days=366)
    return start, end


def _slot_conditions(filters: Filters, start: datetime, end: datetime) -> list:
    conditions = [Slot.status == SlotStatus.open, Slot.starts_at >= start, Slot.starts_at < end]
    if (filters.weekdays or filters.parts) and start < end:
        spans = local_windows(to_local(start).date(), to_local(end - timedelta(microseconds=1)).date(),
                              filters.weekdays, filters.parts)
        conditions.append(or_(*(and_(Slot.starts_at >= a, Slot.starts_at < b) for a, b in spans))
                          if spans else false())
    return conditions


def _within(filters: Filters, origin: Origin | None, latitude, longitude) -> float | None | bool:
    """The exact distance in km, None when unknown, or False when outside the chosen radius."""
    if origin is None or latitude is None or longitude is None:
        return False if (origin is not None and filters.within) else None
    km = distance_km(origin.point, (latitude, longitude))
    return False if filters.within and km > filters.within else km


# --- the calendar views -----------------------------------------------------------------------

MONTH_PER_DAY = 4        # times shown in a day of the month grid; the rest are "+N more"
WEEK_PER_DAY = 8         # the same for a day of the week's agenda


def _day_number(column, edges: list[datetime], low: int, high: int):
    """SQL: which local day (low <= n < high) a UTC instant falls on, as a CASE that halves the
    days at every step (about 6 comparisons per row for a month, not 31). The day edges are
    worked out in Python (portal.core.calendar_days.day_edges), because turning UTC into a
    Copenhagen date inside the database is written differently on SQLite and PostgreSQL and
    SQLite knows no time zones at all; comparing with bound instants is the same everywhere
    and right on the 23- and 25-hour days of a daylight-saving change."""
    if high - low == 1:
        return literal(low)
    middle = (low + high) // 2
    return case((column < edges[middle], _day_number(column, edges, low, middle)),
                else_=_day_number(column, edges, middle, high))


def calendar(filters: Filters, *, first: date, days: int, after: datetime, per_day: int,
             origin: Origin | None = None) -> dict[date, CalendarDay]:
    """The open times of public tasks on the local days [first, first + days) that the filters
    match, starting at or after `after`: the first `per_day` of each day and each day's exact
    count, so the page stays the same size however many times a day holds.

    Two queries, whatever the data. The first counts the matching times per local day (one
    grouped scan: exact counts cannot cost less than reading the times once). The second takes
    the first few of each day that has any (_first_of_each_day), reading only those few rows. The
    obvious one-query version (number the times within their day with a window function) sorts
    every time of the month first: 2 s for a national month. A query per day would be 28 to 31
    statements, and fetching every time to count in Python is what made a national month 57 MB.

    A distance limit is checked in SQL on the flat-earth distance next_start uses (metres from
    the exact one at these scales), so the counts are the database's and need no second pass."""
    edges = day_edges(first, days)
    start, end = max(edges[0], after), edges[-1]
    if start >= end:
        return {}
    task_conditions = _task_conditions(filters, origin)
    if origin is not None and filters.within:
        task_conditions.append(flat_km2(Task.latitude, Task.longitude, origin.point) <= filters.within ** 2)
    totals = _day_totals(filters, origin, task_conditions, edges, start)
    if not totals:
        return {}
    picked = _first_of_each_day(filters, task_conditions, [(max(edges[n], start), edges[n + 1]) for n in sorted(totals)],
                                per_day)
    rows = db.session.execute(select(Slot.id, Slot.task_id, Slot.starts_at, Slot.ends_at, Slot.capacity, Slot.taken,
                                     Task.title, Organisation.name.label("organisation"))
                              .select_from(picked).join(Slot, Slot.id == picked.c.id).join(Slot.task)
                              .join(Task.organisation).order_by(Slot.starts_at, Slot.id))
    return build_days(rows, totals, edges=edges, format_clock=lambda moment: format_time(moment, "short"),
                      describe_free=free_text)


def _first_of_each_day(filters: Filters, task_conditions: list, days: list[tuple[datetime, datetime]],
                       per_day: int):
    """A subquery of the ids of the first `per_day` matching times of each of the days (UTC
    bounds), each day read from ix_slots_status_starts_task in order, stopping when it has enough.
     - Ordered by the start alone: with the id as a tie-breaker PostgreSQL read every time that
       shares the first start (a thousand national times begin at 09:00) before it could stop.
       Which of several times at the very same minute fill the last places is therefore the
       index's order; the counts are exact.
     - Only ids: the page's few rows are then joined by id.
     - Every day joins the task and organisation itself. Naming the matching tasks once in a CTE
       reads better but PostgreSQL then scans the CTE for every time it looks at: 21 s.
    On PostgreSQL the days are a VALUES list and one LATERAL subquery takes each day's first
    few: planned once. The same as one subquery per day joined with UNION ALL (which SQLite,
    knowing no LATERAL, still gets), whose 31 branches took PostgreSQL 13 ms to plan for 2 ms of
    work. The weekday and time-of-day windows of the whole range apply within each day's bounds."""
    if db.session.get_bind().dialect.name == "postgresql":
        bounds = values(column("since", UTCDateTime()), column("until", UTCDateTime()), name="days").data(days)
        first = (select(Slot.id).join(Slot.task).join(Task.organisation)
                 .where(*task_conditions, *_slot_conditions(filters, days[0][0], days[-1][1]),
                        Slot.starts_at >= bounds.c.since, Slot.starts_at < bounds.c.until)
                 .order_by(Slot.starts_at).limit(per_day).lateral("first_times"))
        return select(first.c.id).select_from(bounds).join(first, true()).subquery()
    # SQLite wants a LIMIT inside UNION ALL wrapped in a subquery, and each column of those costs
    # SQLAlchemy time to build, 31 times over: each day gives only ids. Each day's own bounds
    # keep a weekday or time-of-day filter to that day's windows.
    return union_all(*(select(part.c.id) for part in (
        select(Slot.id).join(Slot.task).join(Task.organisation)
        .where(*task_conditions, *_slot_conditions(filters, since, until))
        .order_by(Slot.starts_at).limit(per_day).subquery()
        for since, until in days))).subquery()


def _day_totals(filters: Filters, origin: Origin | None, task_conditions: list, edges: list[datetime],
                start: datetime) -> dict[int, int]:
    """How many matching times each day has from `start` on, by day number. The count reads every
    time of the range (about a tenth of a second for a national month), so it is kept in the
    cache under the calendar's data version: the counts change only when the data does. Today's
    count also changes as its times begin, so for today the cache holds how many times start at
    each moment of the day, and the ones still to come are added up here: the current month
    and week, the ones most visitors see, then cost no counting at all (counting today afresh
    built PostgreSQL's hash of every public task on each request)."""
    # The matching tasks as a set the times are looked up in (a semi-join): PostgreSQL then joins
    # tasks and organisations once, a few tens of thousands of rows, and probes that set once per
    # time, instead of joining every time of the month with its task and then with its
    # organisation; the times themselves come from ix_slots_status_starts_task alone.
    matching_tasks = select(Task.id).join(Task.organisation).where(*task_conditions)

    def count(since, until) -> dict[int, int]:
        day = _day_number(Slot.starts_at, edges, 0, len(edges) - 1).label("day")
        return dict(db.session.execute(select(day, func.count())
                                       .where(Slot.task_id.in_(matching_tasks),
                                              *_slot_conditions(filters, since, until))
                                       .group_by(day)).all())

    def by_start(since, until) -> dict[datetime, int]:
        return dict(db.session.execute(select(Slot.starts_at, func.count())
                                       .where(Slot.task_id.in_(matching_tasks),
                                              *_slot_conditions(filters, since, until))
                                       .group_by(Slot.starts_at)).all())

    end = edges[-1]
    today = day_number(start, edges) if start > edges[0] else None
    later = edges[today + 1] if today is not None else edges[0]   # from here on, nothing depends on the clock
    version = dataversion.current("calendar")
    if version is None:
        return count(start, end)
    place = origin.point if origin is not None and filters.within else None
    key = "tasks:calendar-counts:" + hashlib.sha256(repr(
        (version, sorted(filters.as_args().items()), place, edges[0].isoformat(), later.isoformat(),
         end.isoformat())).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        # Today from its midnight, not from `start`: the entry then serves any moment of the day.
        found = (count(later, end) if later < end else {},
                 by_start(edges[today], later) if today is not None else {})
        cache.set(key, found, timeout=current_app.config["PAGE_CACHE_TIMEOUT"])
    later_days, today_by_start = found
    totals = dict(later_days)
    to_come = sum(n for moment, n in today_by_start.items() if moment >= start)
    if to_come:
        totals[today] = to_come
    return totals


def month_calendar(filters: Filters, year: int, month: int, *, after: datetime,
                   origin: Origin | None = None) -> dict[date, CalendarDay]:
    first = date(year, month, 1)
    days = (date(*shift_month(year, month, 1), 1) - first).days
    return calendar(filters, first=first, days=days, after=after, per_day=MONTH_PER_DAY, origin=origin)


def week_calendar(filters: Filters, monday: date, *, after: datetime, origin: Origin | None = None
                  ) -> dict[date, CalendarDay]:
    return calendar(filters, first=monday, days=7, after=after, per_day=WEEK_PER_DAY, origin=origin)


def free_text(free: int) -> str:
    """The words of templates/tasks/_free.html, for pages that format many times in Python."""
    if free <= 0:
        return _("Full – waitlist")
    if free == 1:
        return _("1 place left")
    return _("%(n)d places left", n=free)


NEXT_TIME_HORIZON = timedelta(days=366)


def next_start(filters: Filters, *, after: datetime, origin: Origin | None = None) -> datetime | None:
    """When the first open time that calendar would show starts, at or after `after`
    (looking a year ahead), so an empty month can point to the next month with times. One
    query, whatever the data. A distance limit is checked in SQL on the flat-earth distance
    the list sorts by, which is metres from the exact one at these scales."""
    conditions = [*_task_conditions(filters, origin), *_slot_conditions(filters, after, after + NEXT_TIME_HORIZON)]
    if origin is not None and filters.within:
        conditions.append(flat_km2(Task.latitude, Task.longitude, origin.point) <= filters.within * filters.within)
    return db.session.scalar(select(func.min(Slot.starts_at)).join(Slot.task).join(Task.organisation)
                             .where(*conditions))


# --- the list ---------------------------------------------------------------------------------

@dataclass
class TaskRow:
    task: Task
    next_slots: list[Slot]
    free: int
    distance_km: float | None = None

    @property
    def close_by(self) -> bool:
        return self.distance_km is not None and self.distance_km < CLOSE_BY_KM

    @property
    def distance_text(self) -> str | None:
        """"1,2" in Danish, "1.2" in English."""
        return None if self.distance_km is None else format_decimal(round(self.distance_km, 1), format="#,##0.0")


@dataclass
class Results:
    rows: list[TaskRow]
    page: int
    has_more: bool
    sort: str                 # the order actually used ("nearest" needs a place)
    origin: Origin | None = None


@dataclass
class _Candidate:
    id: int
    title: str
    latitude: float | None
    longitude: float | None
    first: datetime | None
    free: int | None
    capacity: int | None
    distance: float | None = None

    @property
    def need(self) -> float | None:
        return self.free / self.capacity if self.capacity else None


def _sort_key(sort: str):
    far = datetime.max.replace(tzinfo=None)

    def soonest(c: _Candidate):
        return (c.first is None, c.first.replace(tzinfo=None) if c.first else far, c.title, c.id)

    if sort == "needed":
        return lambda c: (c.need is None, -(c.need or 0.0)) + soonest(c)
    if sort == "nearest":
        return lambda c: (c.distance is None, c.distance or 0.0) + soonest(c)
    return soonest


def search(filters: Filters, *, now: datetime, page: int = 1, origin: Origin | None = None) -> Results:
    """A page of matching tasks with their next open times (ongoing roles need no times).

    Without a distance limit the database orders and pages (nearest by a flat-earth
    distance, exact to metres at these scales). With one, the bounding box keeps the
    candidates few, so they are measured exactly, filtered and ordered here."""
    sort = filters.sort if filters.sort != "nearest" or origin is not None else "soonest"
    start, end = window(filters, now)
    slot_conditions = _slot_conditions(filters, start, end)
    first = func.min(Slot.starts_at)
    free = func.sum(Slot.capacity - Slot.taken)
    capacity = func.sum(Slot.capacity)
    candidates = (select(Task.id, Task.title, Task.latitude, Task.longitude, first, free, capacity)
                  .join(Task.organisation)
                  .outerjoin(Slot, and_(Slot.task_id == Task.id, *slot_conditions))
                  .where(*_task_conditions(filters, origin))
                  .group_by(Task.id, Task.title, Task.latitude, Task.longitude, Task.kind)
                  .having(or_(func.count(Slot.id) > 0, Task.kind == TaskKind.ongoing)))
    offset = (page - 1) * PAGE_SIZE
    if origin is not None and filters.within:
        found = None
        if sort == "nearest" and WITHIN_FIRST_KM < filters.within:
            # Look close by first, as "nearest" without a limit does below: the tasks measured
            # nearer than WITHIN_FIRST_KM * WITHIN_FIRST_SURE come before every task outside that
            # small box, so when they fill the page (and one more) they are the page. Around a
            # city that measures a tenth of the tasks within 10 km.
            min_lat, max_lat, min_lon, max_lon = bounding_box(origin.point, WITHIN_FIRST_KM)
            close = [_Candidate(*row) for row in db.session.execute(candidates.where(
                Task.latitude.between(min_lat, max_lat), Task.longitude.between(min_lon, max_lon)))]
            for c in close:
                c.distance = _within(filters, origin, c.latitude, c.longitude)
            close = [c for c in close if c.distance is not False and c.distance < WITHIN_FIRST_KM * WITHIN_FIRST_SURE]
            if len(close) > offset + PAGE_SIZE:
                found = close
        if found is None:
            found = [_Candidate(*row) for row in db.session.execute(candidates)]
            for c in found:
                c.distance = _within(filters, origin, c.latitude, c.longitude)
        found = sorted((c for c in found if c.distance is not False), key=_sort_key(sort))
        chosen, has_more = found[offset:offset + PAGE_SIZE], len(found) > offset + PAGE_SIZE
    else:
        soonest = (first.is_(None), first, Task.title, Task.id)
        if sort == "needed":
            need = cast(free, Float) / cast(capacity, Float)
            order = (need.is_(None), need.desc()) + soonest
        elif sort == "nearest":
            order = (Task.latitude.is_(None), flat_km2(Task.latitude, Task.longitude, origin.point)) + soonest
        else:
            order = soonest
        rows = None
        if sort == "nearest":
            # Look close by first: if the page (and one more row) lies within the radius, no
            # task outside the box can come before it, so the page is the same as a full sort
            # at a fraction of the work in a country of tasks.
            for radius in NEAREST_RADII_KM:
                min_lat, max_lat, min_lon, max_lon = bounding_box(origin.point, radius)
                boxed = candidates.where(Task.latitude.between(min_lat, max_lat),
                                         Task.longitude.between(min_lon, max_lon))
                tried = db.session.execute(boxed.order_by(*order).offset(offset).limit(PAGE_SIZE + 1)).all()
                if len(tried) == PAGE_SIZE + 1 and distance_km(origin.point, (tried[-1][2], tried[-1][3])) <= radius:
                    rows = tried
                    break
        if rows is None:
            rows = db.session.execute(candidates.order_by(*order).offset(offset).limit(PAGE_SIZE + 1)).all()
        chosen, has_more = [_Candidate(*row) for row in rows[:PAGE_SIZE]], len(rows) > PAGE_SIZE
        for c in chosen:
            c.distance = _within(filters, origin, c.latitude, c.longitude)
    return Results(rows=_load_rows(chosen, slot_conditions), page=page, has_more=has_more, sort=sort, origin=origin)


def _load_rows(chosen: list[_Candidate], slot_conditions: list) -> list[TaskRow]:
    """The page's tasks and their next times, in two queries."""
    ids = [c.id for c in chosen]
    if not ids:
        return []
    tasks = {t.id: t for t in db.session.scalars(
        select(Task).options(joinedload(Task.organisation), joinedload(Task.category)).where(Task.id.in_(ids)))}
    numbered = (select(Slot.id, func.row_number().over(partition_by=Slot.task_id,
                                                       order_by=(Slot.starts_at, Slot.id)).label("n"))
                .where(Slot.task_id.in_(ids), *slot_conditions).subquery())
    slot = aliased(Slot)
    times: dict[int, list[Slot]] = {}
    for s in db.session.scalars(select(slot).join(numbered, numbered.c.id == slot.id)
                                .where(numbered.c.n <= NEXT_TIMES).order_by(slot.starts_at, slot.id)):
        times.setdefault(s.task_id, []).append(s)
    return [TaskRow(tasks[c.id], times.get(c.id, []), c.free or 0,
                    c.distance if c.distance is not False else None) for c in chosen]


# --- the organisation filter -------------------------------------------------------------------

ORGANISATION_CHOICES = 50


@dataclass(frozen=True)
class OrganisationChoices:
    choices: list[tuple[str, str]]     # (slug, name), by name
    capped: bool                       # more organisations have times than are listed


def organisation_choices(*, now: datetime, selected: str | None) -> OrganisationChoices:
    """The organisations the filter offers: those with upcoming public times, at most the
    ORGANISATION_CHOICES with the most of them (listing every organisation made the national
    task list 658 KB of <option>s), by name; plus the chosen one wherever it ranks, so the form
    shows what the list is filtered by (one more query, only when one is chosen)."""
    busiest = _busiest_organisations(now)
    choices = busiest[:ORGANISATION_CHOICES]
    if selected and selected not in {slug for slug, _ in choices}:
        chosen = db.session.execute(select(Organisation.slug, Organisation.name).where(
            Organisation.slug == selected, Organisation.status == OrganisationStatus.approved)).first()
        if chosen is not None:
            choices.append((chosen.slug, chosen.name))
    # By name as the database sorted them before (the same order as every other list of them).
    return OrganisationChoices(sorted(choices, key=lambda c: (c[1], c[0])), capped=len(busiest) > ORGANISATION_CHOICES)


def _busiest_organisations(now: datetime) -> list[tuple[str, str]]:
    """(slug, name) of the organisations with the most upcoming public times, busiest first, one
    more than the filter lists (so it can say there are more). Counting every upcoming time is a
    scan of them all (most of a second at national scale), and the answer is the same for every
    visitor and every filter, so it is kept in the cache under the calendar's data version
    (portal.dataversion: any write to tasks, times or organisations moves it on) for as long as
    a cached page may lag behind the clock."""
    version = dataversion.current("calendar")
    key = f"tasks:busiest-organisations:{ORGANISATION_CHOICES}:{version}"
    if version is not None:
        found = cache.get(key)
        if found is not None:
            return list(found)
    # public_task_clause in its two halves: the task's status before counting, the organisation's
    # after. Counted by organisation id, each time is joined with its task only (not also with its
    # organisation), and the counts are few enough for PostgreSQL to add them up in parallel;
    # the 10,000 organisations are then joined to their counts, not to half a million times.
    upcoming = func.count().label("upcoming")
    per_organisation = (select(Task.organisation_id, upcoming).select_from(Slot).join(Slot.task)
                        .where(Task.status == TaskStatus.published, Slot.status == SlotStatus.open,
                               Slot.starts_at >= now, Slot.starts_at < now + NEXT_TIME_HORIZON)
                        .group_by(Task.organisation_id).subquery())
    rows = db.session.execute(
        select(Organisation.slug, Organisation.name)
        .join(per_organisation, per_organisation.c.organisation_id == Organisation.id)
        .where(public_organisation_clause())
        .order_by(per_organisation.c.upcoming.desc(), Organisation.name, Organisation.id)
        .limit(ORGANISATION_CHOICES + 1)).all()
    busiest = [(r.slug, r.name) for r in rows]
    if version is not None:
        cache.set(key, busiest, timeout=current_app.config["PAGE_CACHE_TIMEOUT"])
    return busiest


# --- the map (an enhancement, off unless a tile server is configured) ---------------------------

@dataclass(frozen=True)
class MapSettings:
    tiles: str
    attribution: str
    image_source: str | None     # what the page's CSP img-src must allow, None for our own host

    def content_security_policy(self, policy: str) -> str:
        """The site's policy with the tile server added to img-src (Leaflet loads tiles as
        images; it fetches nothing else)."""
        if not self.image_source or "img-src " not in policy:
            return policy
        return policy.replace("img-src ", f"img-src {self.image_source} ", 1)


def map_settings(config) -> MapSettings | None:
    tiles = config.get("MAP_TILE_URL")
    if not tiles:
        return None
    parts = urlsplit(tiles)
    source = None
    if parts.scheme in ("http", "https") and parts.netloc:
        # "{s}.tile.example.org" becomes the CSP wildcard "*.tile.example.org".
        source = f"{parts.scheme}://{re.sub(r'[{][^}]*[}]', '*', parts.netloc)}"
    return MapSettings(tiles=tiles, attribution=config.get("MAP_ATTRIBUTION") or "", image_source=source)


def organisation_tasks(org: Organisation) -> list[Task]:
    return list(db.session.scalars(select(Task).options(joinedload(Task.category))
                                   .where(Task.organisation_id == org.id)
                                   .order_by(Task.status, Task.title)))
