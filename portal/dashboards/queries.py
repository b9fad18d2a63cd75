"""The rows behind the dashboards, read in a fixed number of statements whatever the data holds
(pinned in tests/web/test_dashboard_web.py); the arithmetic is portal/core/dashboard.py.

Every statement covers this period and the one before at once (a flag or the row's date tells
them apart), so the comparison costs no extra round trips. Hours come only from the ledger
(portal.hours.services.contributions). The dashboards hold counts and tasks, never volunteers'
names."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Integer, and_, case, distinct, exists, func, literal, or_, select, union_all

from portal.agreements import queries as agreements
from portal.core import dashboard as calc
from portal.core.annual import Change
from portal.core.hours import Contribution, Source, total
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.hours.services import counted, hours_summary
from portal.models import (Attendance, Category, Clearance, ClearanceStatus, Company, Deal, DisplacementReview,
                           EmployeeLink, HoursEntry, HoursStatus, Organisation, OrganisationStatus, ReviewStatus,
                           Signup, SignupState, Slot, SlotStatus, Task, TaskInvitation, TaskStatus, User)

URGENT_READ = 400    # times read for the "needs people" list; the soonest ones, sorted further in Python
URGENT_SHOWN = 25


@dataclass(frozen=True)
class Figure:
    """One headline number with its comparison."""
    value: float | int | None
    previous: float | int | None
    change: Change | None


def _figure(current, previous) -> Figure:
    if isinstance(current, float) or isinstance(previous, float):
        return Figure(current, previous, calc.rate_change(current, previous))
    return Figure(current, previous, calc.change(current or 0, previous or 0))


@dataclass
class Dashboard:
    span: calc.Span
    organisation_id: int | None
    urgent: list[calc.Need]
    urgent_times: int
    urgent_places: int
    fill_organisations: list[calc.Fill]
    fill_categories: list[calc.Fill]
    hours_organisations: list[tuple[int, float]]
    hours_categories: list[tuple[int, float]]
    hours_months: list[tuple[tuple[int, int], float]]
    new_months: list[tuple[tuple[int, int], int]]
    new_bands: list[tuple[str, int]]
    active_months: list[tuple[tuple[int, int], int]]
    active_bands: list[tuple[str, int]]
    figures: dict[str, Figure]
    waiting_now: int
    without_upcoming: list[tuple[str, str]]          # (name, slug) of approved organisations
    old_clearances: list[tuple[int, int]]            # (organisation id, count)
    ideas: list                                      # portal.ideas.answers.Waiting
    tasks_without_agreement: list
    agreements_past_review: list
    displacement_pending: int
    organisation_names: dict[int, str] = field(default_factory=dict)
    categories: dict[int, Category] = field(default_factory=dict)


def _bounds(span: calc.Span) -> tuple[datetime, datetime, datetime]:
    """UTC instants: the previous period's start, this period's start, this period's end."""
    return (to_utc(span.previous.start, time(0)), to_utc(span.start, time(0)), to_utc(span.end, time(0)))


def _is_current(column, start: datetime):
    return case((column >= start, 1), else_=0)


def _split_counts(rows) -> tuple[int, int]:
    """(current, previous) from (flag, count) rows."""
    found = {flag: n for flag, n in rows}
    return int(found.get(1, 0) or 0), int(found.get(0, 0) or 0)


def _org(statement, column, organisation_id):
    return statement if organisation_id is None else statement.where(column == organisation_id)


def _urgent(now: datetime, organisation_id) -> tuple[list[calc.Need], int, int]:
    horizon = now + timedelta(days=calc.URGENT_DAYS)
    needs = (Slot.status == SlotStatus.open, Slot.starts_at >= now, Slot.starts_at < horizon,
             Slot.taken < Slot.capacity, Task.status == TaskStatus.published,
             Organisation.status == OrganisationStatus.approved)
    base = select(Slot.id).join(Task, Slot.task_id == Task.id).join(Organisation, Task.organisation_id == Organisation.id)
    rows = db.session.execute(_org(
        select(Slot.id, Task.id, Task.title, Organisation.name, Slot.starts_at, Slot.capacity, Slot.taken)
        .select_from(Slot).join(Task, Slot.task_id == Task.id).join(Organisation, Task.organisation_id == Organisation.id)
        .where(*needs), Task.organisation_id, organisation_id)
        .order_by(Slot.starts_at, Slot.id).limit(URGENT_READ)).all()
    times, places = db.session.execute(_org(
        base.with_only_columns(func.count(Slot.id), func.coalesce(func.sum(Slot.capacity - Slot.taken), 0))
        .where(*needs), Task.organisation_id, organisation_id)).one()
    found = [calc.Need(*row) for row in rows]
    return calc.most_urgent(found, now=now, limit=URGENT_SHOWN), int(times or 0), int(places or 0)


def _fill(span, organisation_id):
    """(organisation, category, current?, times, capacity, taken) of the times in both periods that were
    offered: not cancelled, of tasks that are not drafts."""
    before, start, end = _bounds(span)
    flag = _is_current(Slot.starts_at, start)
    return db.session.execute(_org(
        select(Task.organisation_id, Task.category_id, flag, func.count(Slot.id), func.sum(Slot.capacity),
               func.sum(Slot.taken))
        .select_from(Slot).join(Task, Slot.task_id == Task.id)
        .where(Slot.starts_at >= before, Slot.starts_at < end, Slot.status != SlotStatus.cancelled,
               Task.status != TaskStatus.draft), Task.organisation_id, organisation_id)
        .group_by(Task.organisation_id, Task.category_id, flag)).all()


def _boundaries(span: calc.Span) -> tuple[list[date], list[tuple[int, int]]]:
    """Local dates cutting both periods into buckets: bucket 0 is the period before, then one
    bucket per month (or part of one) of this period; with each bucket's (year, month)."""
    edges = [span.previous.start, span.start]
    day = span.start
    while True:
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        if day >= span.end:
            break
        edges.append(day)
    edges.append(span.end)
    months = [(0, 0)] + [(d.year, d.month) for d in edges[1:-1]]
    return edges, months


def _ledger(span: calc.Span, organisation_id):
    """The ledger summed in the database (portal.hours.services.counted: contributions()' rules):
    pieces of (organisation, category, local first day of the bucket, seconds) standing in for its
    rows, enough for every hours figure; and the people: {("p", 1|0): people with counted work in
    this|the period before, ("m", (y, m)): people with counted work that month, ("b", birth date):
    this period's people born that day}. Two statements whatever the period's size."""
    edges, months = _boundaries(span)
    pieces = hours_summary(group_by=("organisation", "category"), boundaries=edges, organisation=organisation_id)
    ledger = [Contribution(0, o, c, edges[b], int(seconds), Source.attended) for o, c, b, seconds in pieces]
    rows = counted(boundaries=edges, organisation=organisation_id)
    flagged = select(rows.c.user_id, rows.c.seconds, case((rows.c.bucket > 0, 1), else_=0).label("current")) \
        .subquery("flagged")
    per_period = (select(flagged.c.user_id, flagged.c.current).group_by(flagged.c.user_id, flagged.c.current)
                  .having(func.sum(flagged.c.seconds) > 0).subquery("per_period"))
    now_people = select(per_period.c.user_id).where(per_period.c.current == 1).subquery("now_people")
    by_birth = (select(literal("b"), literal(None, Integer), User.birth_date, func.count(User.id))
                .select_from(User).join(now_people, now_people.c.user_id == User.id).group_by(User.birth_date))
    by_period = (select(literal("p"), per_period.c.current, literal(None, Date), func.count())
                 .group_by(per_period.c.current))
    by_month = (select(literal("m"), rows.c.bucket, literal(None, Date), func.count(distinct(rows.c.user_id)))
                .where(rows.c.seconds > 0, rows.c.bucket > 0).group_by(rows.c.bucket))
    people = {}
    for kind, key, birth, n in db.session.execute(union_all(by_birth, by_period, by_month)).all():
        people[(kind, birth if kind == "b" else months[key] if kind == "m" else key)] = int(n)
    return ledger, people


def _new_people(span, organisation_id) -> list[tuple[date, date | None]]:
    """(local day joined, birth date) for both periods. The whole portal: accounts created. One
    organisation: people whose first sign-up with it was made then."""
    before, _, end = _bounds(span)
    if organisation_id is None:
        rows = db.session.execute(select(User.created_at, User.birth_date)
                                  .where(User.created_at >= before, User.created_at < end)).all()
    else:
        first = (select(Signup.user_id, func.min(Signup.created_at).label("first"))
                 .join(Slot, Signup.slot_id == Slot.id).join(Task, Slot.task_id == Task.id)
                 .where(Task.organisation_id == organisation_id).group_by(Signup.user_id).subquery())
        rows = db.session.execute(select(first.c.first, User.birth_date).join(User, User.id == first.c.user_id)
                                  .where(first.c.first >= before, first.c.first < end)).all()
    return [(to_local(moment).date(), birth) for moment, birth in rows]


def _first_times(span, organisation_id) -> list[tuple[int, date]]:
    """(person, local day of their first attended time: ever, or with the one organisation)."""
    before, _, end = _bounds(span)
    first = _org(select(Signup.user_id, func.min(Slot.starts_at).label("first"))
                 .join(Slot, Signup.slot_id == Slot.id).join(Task, Slot.task_id == Task.id)
                 .where(Signup.attendance == Attendance.attended), Task.organisation_id, organisation_id) \
        .group_by(Signup.user_id).subquery()
    rows = db.session.execute(select(first.c.user_id, first.c.first)
                              .where(first.c.first >= before, first.c.first < end)).all()
    return [(user_id, to_local(moment).date()) for user_id, moment in rows]


def _attendance(span, organisation_id) -> dict[tuple[int, str], int]:
    before, start, end = _bounds(span)
    flag = _is_current(Slot.starts_at, start)
    rows = db.session.execute(_org(
        select(flag, Signup.attendance, func.count(Signup.id)).join(Slot, Signup.slot_id == Slot.id)
        .join(Task, Slot.task_id == Task.id)
        .where(Signup.attendance.is_not(None), Slot.starts_at >= before, Slot.starts_at < end),
        Task.organisation_id, organisation_id).group_by(flag, Signup.attendance)).all()
    return {(f, a.value): n for f, a, n in rows}


def _offers(span, organisation_id, now) -> dict[str, int]:
    """Offers made, offers that expired unanswered (both periods) and people waiting now."""
    before, start, end = _bounds(span)
    horizon_open = and_(Signup.state == SignupState.waitlisted, Slot.starts_at >= now)
    made = and_(Signup.offered_at >= before, Signup.offered_at < end)
    expired = and_(Signup.cancel_reason == "offer_expired", Signup.cancelled_at >= before, Signup.cancelled_at < end)
    one = literal(1)
    row = db.session.execute(_org(
        select(func.sum(case((and_(made, Signup.offered_at >= start), one), else_=0)),
               func.sum(case((and_(made, Signup.offered_at < start), one), else_=0)),
               func.sum(case((and_(expired, Signup.cancelled_at >= start), one), else_=0)),
               func.sum(case((and_(expired, Signup.cancelled_at < start), one), else_=0)),
               func.sum(case((horizon_open, one), else_=0)))
        .select_from(Signup).join(Slot, Signup.slot_id == Slot.id).join(Task, Slot.task_id == Task.id)
        .where(or_(made, expired, horizon_open)), Task.organisation_id, organisation_id)).one()
    keys = ("offers", "offers_before", "expired", "expired_before", "waiting")
    return {k: int(v or 0) for k, v in zip(keys, row)}


def _invitations(span, organisation_id) -> dict[str, int]:
    before, start, end = _bounds(span)
    flag = _is_current(TaskInvitation.sent_at, start)
    rows = db.session.execute(_org(
        select(flag, func.count(TaskInvitation.id), func.count(TaskInvitation.accepted_at))
        .join(Task, TaskInvitation.task_id == Task.id)
        .where(TaskInvitation.sent_at >= before, TaskInvitation.sent_at < end), Task.organisation_id, organisation_id)
        .group_by(flag)).all()
    found = {f: (sent, accepted) for f, sent, accepted in rows}
    return {"sent": found.get(1, (0, 0))[0], "accepted": found.get(1, (0, 0))[1],
            "sent_before": found.get(0, (0, 0))[0], "accepted_before": found.get(0, (0, 0))[1]}


def _without_upcoming(now, organisation_id) -> list[tuple[str, str]]:
    upcoming = (select(Slot.id).join(Task, Slot.task_id == Task.id)
                .where(Task.organisation_id == Organisation.id, Task.status == TaskStatus.published,
                       Slot.status == SlotStatus.open, Slot.starts_at >= now))
    return [tuple(row) for row in db.session.execute(_org(
        select(Organisation.name, Organisation.slug)
        .where(Organisation.status == OrganisationStatus.approved, ~exists(upcoming)),
        Organisation.id, organisation_id).order_by(Organisation.name, Organisation.id))]


def _old_clearances(now, organisation_id) -> list[tuple[int, int]]:
    today = to_local(now).date()
    try:
        limit = today.replace(year=today.year - calc.CLEARANCE_YEARS)
    except ValueError:               # 29 February
        limit = today.replace(year=today.year - calc.CLEARANCE_YEARS, day=28)
    return [tuple(row) for row in db.session.execute(_org(
        select(Clearance.organisation_id, func.count(Clearance.id))
        .where(Clearance.status == ClearanceStatus.approved, Clearance.checked_on < limit),
        Clearance.organisation_id, organisation_id).group_by(Clearance.organisation_id)
        .order_by(func.count(Clearance.id).desc(), Clearance.organisation_id))]


def _ideas(now, organisation_id) -> list:
    if organisation_id is not None:   # the ideas box is the coordinator's to answer
        return []
    from portal.ideas.answers import needing_answer
    return needing_answer(now=now)


def _displacement_pending(organisation_id) -> int:
    return db.session.scalar(_org(select(func.count(DisplacementReview.id))
                                  .where(DisplacementReview.status == ReviewStatus.pending),
                                  DisplacementReview.organisation_id, organisation_id)) or 0


def dashboard(span: calc.Span, *, now: datetime, organisation_id: int | None = None) -> Dashboard:
    """The coordinator's dashboard (organisation_id None) or one organisation's, for `span`."""
    ledger, people = _ledger(span, organisation_id)
    hours_now, hours_before = calc.split(ledger, span)

    urgent, urgent_times, urgent_places = _urgent(now, organisation_id)
    fill_rows = _fill(span, organisation_id)
    current_fill = [r for r in fill_rows if r[2] == 1]
    before_fill = [r for r in fill_rows if r[2] != 1]
    fill_now = calc.fill_total((None, c, t) for _, _, _, _, c, t in current_fill)
    fill_before = calc.fill_total((None, c, t) for _, _, _, _, c, t in before_fill)

    bands = Counter({birth: n for (kind, birth), n in people.items() if kind == "b"})
    joined = _new_people(span, organisation_id)
    joined_now = [(day, birth) for day, birth in joined if day in span]
    joined_before = [(day, birth) for day, birth in joined if day in span.previous]
    firsts = _first_times(span, organisation_id)
    attendance = _attendance(span, organisation_id)
    shows_now = calc.NoShows(attendance.get((1, "attended"), 0), attendance.get((1, "no_show"), 0))
    shows_before = calc.NoShows(attendance.get((0, "attended"), 0), attendance.get((0, "no_show"), 0))
    offers = _offers(span, organisation_id, now)
    invitations = _invitations(span, organisation_id)

    figures = {
        "hours": _figure(total(hours_now), total(hours_before)),
        "active": _figure(people.get(("p", 1), 0), people.get(("p", 0), 0)),
        "new": _figure(len(joined_now), len(joined_before)),
        "first_timers": _figure(calc.first_timers(firsts, span), calc.first_timers(firsts, span.previous)),
        "times": _figure(sum(int(r[3]) for r in current_fill), sum(int(r[3]) for r in before_fill)),
        "fill_rate": _figure(fill_now.percent, fill_before.percent),
        "no_show_rate": _figure(shows_now.percent, shows_before.percent),
        "no_shows": _figure(shows_now.no_show, shows_before.no_show),
        "offers": _figure(offers["offers"], offers["offers_before"]),
        "offers_expired": _figure(offers["expired"], offers["expired_before"]),
        "invitations_sent": _figure(invitations["sent"], invitations["sent_before"]),
        "invitations_accepted": _figure(invitations["accepted"], invitations["accepted_before"]),
    }
    org_ids = None if organisation_id is None else [organisation_id]
    result = Dashboard(
        span=span, organisation_id=organisation_id, urgent=urgent, urgent_times=urgent_times,
        urgent_places=urgent_places,
        fill_organisations=calc.fill_by((o, c, t) for o, _, _, _, c, t in current_fill),
        fill_categories=calc.fill_by((k, c, t) for _, k, _, _, c, t in current_fill),
        hours_organisations=calc.hours_ranked(hours_now, "organisation_id"),
        hours_categories=calc.hours_ranked(hours_now, "category_id"),
        hours_months=calc.hours_per_month(hours_now, span),
        new_months=calc.per_month((day for day, _ in joined_now), span),
        new_bands=calc.per_band((birth for _, birth in joined_now), span.last),
        active_months=[(month, people.get(("m", month), 0)) for month in calc.months_in(span)],
        active_bands=calc.per_band(bands.elements(), span.last),
        figures=figures, waiting_now=offers["waiting"],
        without_upcoming=_without_upcoming(now, organisation_id),
        old_clearances=_old_clearances(now, organisation_id),
        ideas=_ideas(now, organisation_id),
        tasks_without_agreement=list(agreements.tasks_without_agreement(now=now, organisation_ids=org_ids)),
        agreements_past_review=list(agreements.agreements_past_review(now=now, organisation_ids=org_ids)),
        displacement_pending=_displacement_pending(organisation_id))
    # Names for the organisations and categories the tables show: one statement each (all of them:
    # a list of ids could outgrow what a database takes as parameters at national scale).
    if result.fill_organisations or result.hours_organisations or result.old_clearances:
        names = select(Organisation.id, Organisation.name)
        if organisation_id is not None:
            names = names.where(Organisation.id == organisation_id)
        result.organisation_names = dict(db.session.execute(names).all())
    result.categories = {c.id: c for c in db.session.scalars(select(Category))}
    return result


# --- a company's own dashboard ----------------------------------------------------------------

@dataclass
class CompanyDashboard:
    span: calc.Span
    figures: dict[str, Figure]
    hours_months: list[tuple[tuple[int, int], float]]
    hours_organisations: list[tuple[str, float]]
    staff_linked: int
    deals: list[tuple[str, str, date, datetime]]     # (organisation, status, follow-up date, proposed at)


def company_dashboard(company: Company, span: calc.Span) -> CompanyDashboard:
    """Hours of the staff who let them count (portal/companies/hours.py's rule, from the ledger)
    and the company's partnerships. Only totals: no hours per person."""
    from portal.companies.hours import consenting_staff

    edges, _ = _boundaries(span)
    ledger = [Contribution(u, o, 0, edges[b], int(seconds), Source.attended) for u, o, b, seconds in
              hours_summary(group_by=("user", "organisation"), boundaries=edges, users=consenting_staff(company))]
    now_rows, before_rows = calc.split(ledger, span)
    ranked = calc.hours_ranked(now_rows, "organisation_id")
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)
                                    .where(Organisation.id.in_([o for o, _ in ranked]))).all()) if ranked else {}
    linked = db.session.scalar(select(func.count(EmployeeLink.id)).where(
        EmployeeLink.company_id == company.id, EmployeeLink.removed_at.is_(None),
        EmployeeLink.count_hours.is_(True))) or 0
    deals = db.session.execute(
        select(Organisation.name, Deal.status, Deal.follow_up_on, Deal.created_at)
        .join(Organisation, Deal.organisation_id == Organisation.id).where(Deal.company_id == company.id)
        .order_by(Deal.follow_up_on.desc(), Deal.id.desc())).all()
    return CompanyDashboard(
        span=span,
        figures={"hours": _figure(total(now_rows), total(before_rows)),
                 "people": _figure(len(calc.people(now_rows)), len(calc.people(before_rows)))},
        hours_months=calc.hours_per_month(now_rows, span),
        hours_organisations=[(names.get(o, "?"), h) for o, h in ranked],
        staff_linked=int(linked), deals=[(n, s.value, f, c) for n, s, f, c in deals])
