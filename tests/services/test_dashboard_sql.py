"""Every number on the coordinator's dashboard equals a count written directly in SQL, on seeded
random data (both databases). The SQL below is written from the definitions on the page, not from
portal/dashboards/queries.py; local (Copenhagen) days are worked out here with zoneinfo."""

import random
import secrets
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Date, bindparam, text

from portal.core import dashboard as calc
from portal.dashboards.queries import dashboard
from portal.extensions import db
from portal.models import (Attendance, Clearance, ClearanceStatus, DisplacementReview, HoursEntry, HoursStatus,
                           Idea, Signup, SignupState, SlotStatus, TaskInvitation, TaskStatus, utcnow)
from portal.models.base import UTCDateTime
from tests.factories import make_idea, make_organisation, make_slot, make_task, make_user

CPH = ZoneInfo("Europe/Copenhagen")
CATEGORIES = ("older-people", "children-young", "nature", "culture-museum")


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CPH).astimezone(timezone.utc)


def _dt(value) -> datetime:
    """A stored UTC instant as read by raw SQL (SQLite gives text, PostgreSQL a datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _local_day(moment) -> date:
    return _dt(moment).astimezone(CPH).date()


def generate(seed: int, now: datetime) -> None:
    rng = random.Random(seed)
    orgs = [make_organisation(name=f"Forening {i}") for i in range(4)]
    orgs.append(make_organisation(name="Uden tider"))       # approved, no time at all
    people = []
    for i in range(40):
        birth = None if rng.random() < 0.15 else date(rng.randint(1930, 2012), rng.randint(1, 12), rng.randint(1, 28))
        user = make_user(birth_date=birth)
        user.created_at = now - timedelta(days=rng.randint(0, 800), hours=rng.randint(0, 23))
        people.append(user)
    tasks = []
    for i in range(14):
        status = rng.choice(("published", "published", "published", "draft", "paused"))
        tasks.append(make_task(orgs[i % 4], title=f"Opgave {i}", status=status,
                               category_slug=rng.choice(CATEGORIES)))
    for i in range(90):
        task = rng.choice(tasks)
        starts = now + timedelta(days=rng.randint(-760, 20), hours=rng.randint(-12, 12), minutes=rng.choice((0, 30)))
        slot = make_slot(task, starts_at=starts, hours=rng.choice((1, 2, 3)), capacity=rng.randint(1, 6))
        if rng.random() < 0.1:
            slot.status = SlotStatus.cancelled
        confirmed = 0
        for user in rng.sample(people, rng.randint(0, 7)):
            state = rng.choice((SignupState.confirmed, SignupState.confirmed, SignupState.waitlisted,
                                SignupState.cancelled, SignupState.offered))
            if state is SignupState.confirmed and confirmed >= slot.capacity:
                state = SignupState.waitlisted
            signup = Signup(slot_id=slot.id, user_id=user.id, state=state,
                            created_at=starts - timedelta(days=rng.randint(1, 30)))
            if state is SignupState.confirmed:
                confirmed += 1
                if starts < now:
                    signup.attendance = rng.choice((Attendance.attended, Attendance.attended, Attendance.no_show, None))
            if rng.random() < 0.3:
                signup.offered_at = starts - timedelta(days=rng.randint(1, 5))
            if state is SignupState.cancelled and rng.random() < 0.5:
                signup.cancel_reason = "offer_expired"
                signup.cancelled_at = starts - timedelta(hours=rng.randint(1, 48))
            db.session.add(signup)
        slot.taken = confirmed
        db.session.flush()
    for i in range(30):
        db.session.add(HoursEntry(task_id=rng.choice(tasks).id, user_id=rng.choice(people).id,
                                  worked_on=(now - timedelta(days=rng.randint(0, 760))).date(),
                                  minutes=rng.choice((30, 60, 90, 150)),
                                  status=rng.choice((HoursStatus.approved, HoursStatus.approved, HoursStatus.pending,
                                                     HoursStatus.rejected))))
    for i in range(25):
        sent = now - timedelta(days=rng.randint(0, 760))
        db.session.add(TaskInvitation(task_id=rng.choice(tasks).id, user_id=rng.choice(people).id,
                                      token_hash=secrets.token_hex(32), sent_at=sent,
                                      accepted_at=sent + timedelta(hours=5) if rng.random() < 0.4 else None))
    today = _local_day(now)
    for user in rng.sample(people, 12):
        db.session.add(Clearance(user_id=user.id, organisation_id=rng.choice(orgs[:4]).id,
                                 status=rng.choice((ClearanceStatus.approved, ClearanceStatus.refused)),
                                 checked_on=today - timedelta(days=rng.randint(0, 1200))))
    for task in rng.sample(tasks, 3):
        db.session.add(DisplacementReview(task_id=task.id, organisation_id=task.organisation_id,
                                          title_submitted=task.title, description_submitted="x",
                                          paid_staff_do_it=True))
    for i in range(5):
        idea = make_idea(people[i], state=rng.choice(("new", "considering", "accepted")))
        if i < 4:
            idea.threshold_reached_at = now - timedelta(days=i + 1)
            idea.answer_due_on = today + timedelta(days=10 - 5 * i)
    db.session.commit()


def q(sql, **params):
    statement = text(sql)
    types = []
    for name, value in params.items():
        if isinstance(value, datetime):
            types.append(bindparam(name, type_=UTCDateTime()))
        elif isinstance(value, date):
            types.append(bindparam(name, type_=Date()))
    if types:
        statement = statement.bindparams(*types)
    return db.session.execute(statement, params).all()


def expected(span: calc.Span, now: datetime) -> dict:
    a, b = _utc(span.start), _utc(span.end)
    found = {}
    # Hours: attended times (their length, dated by the local day they start) and approved entries.
    attended = q("SELECT g.user_id, t.organisation_id, t.category_id, s.starts_at, s.ends_at FROM signups g "
                 "JOIN slots s ON s.id = g.slot_id JOIN tasks t ON t.id = s.task_id "
                 "WHERE g.attendance = 'attended' AND s.starts_at >= :a AND s.starts_at < :b", a=a, b=b)
    logged = q("SELECT h.user_id, t.organisation_id, t.category_id, h.worked_on, h.minutes FROM hours_entries h "
               "JOIN tasks t ON t.id = h.task_id WHERE h.status = 'approved' AND h.worked_on >= :d1 "
               "AND h.worked_on < :d2", d1=span.start, d2=span.end)
    rows = []
    for user, org, cat, start, end in attended:
        start, end = _dt(start), _dt(end)
        rows.append((user, org, cat, _local_day(start), (end - start).total_seconds()))
    for user, org, cat, day, minutes in logged:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        rows.append((user, org, cat, day, minutes * 60))
    found["hours"] = round(sum(r[4] for r in rows) / 3600, 1)
    by_org, by_cat, by_month = defaultdict(float), defaultdict(float), defaultdict(float)
    active_month = defaultdict(set)
    for user, org, cat, day, seconds in rows:
        by_org[org] += seconds
        by_cat[cat] += seconds
        by_month[(day.year, day.month)] += seconds
        if seconds > 0:
            active_month[(day.year, day.month)].add(user)
    found["hours_organisations"] = {k: round(v / 3600, 1) for k, v in by_org.items() if v > 0}
    found["hours_categories"] = {k: round(v / 3600, 1) for k, v in by_cat.items() if v > 0}
    found["hours_months"] = {k: round(v / 3600, 1) for k, v in by_month.items() if v > 0}
    active = {r[0] for r in rows if r[4] > 0}
    found["active"] = len(active)
    found["active_months"] = {k: len(v) for k, v in active_month.items()}
    births = dict(q("SELECT id, birth_date FROM users"))
    last = span.end - timedelta(days=1)

    def band(birth):
        if birth is None:
            return "unknown"
        birth = birth if isinstance(birth, date) else date.fromisoformat(str(birth))
        if birth > last:
            return "unknown"
        age = last.year - birth.year - ((last.month, last.day) < (birth.month, birth.day))
        return ("under_18" if age < 18 else "18_29" if age < 30 else "30_49" if age < 50
                else "50_66" if age < 67 else "67_plus")
    found["active_bands"] = Counter(band(births[u]) for u in active)
    created = q("SELECT created_at, birth_date FROM users WHERE created_at >= :a AND created_at < :b", a=a, b=b)
    found["new"] = len(created)
    found["new_bands"] = Counter(band(birth) for _, birth in created)
    found["new_months"] = Counter((_local_day(c).year, _local_day(c).month) for c, _ in created)
    found["first_timers"] = q(
        "SELECT COUNT(*) FROM (SELECT g.user_id, MIN(s.starts_at) AS f FROM signups g JOIN slots s ON s.id = g.slot_id "
        "WHERE g.attendance = 'attended' GROUP BY g.user_id) x WHERE x.f >= :a AND x.f < :b", a=a, b=b)[0][0]
    offered = ("FROM slots s JOIN tasks t ON t.id = s.task_id WHERE s.starts_at >= :a AND s.starts_at < :b "
               "AND s.status <> 'cancelled' AND t.status <> 'draft'")
    times, capacity, taken = q(f"SELECT COUNT(*), SUM(s.capacity), SUM(s.taken) {offered}", a=a, b=b)[0]
    found["times"] = times
    found["fill_rate"] = round(taken * 100 / capacity, 1) if capacity else None
    found["fill_organisations"] = {o: (int(c), int(t)) for o, c, t in q(
        f"SELECT t.organisation_id, SUM(s.capacity), SUM(s.taken) {offered} GROUP BY t.organisation_id", a=a, b=b)
        if c}
    found["fill_categories"] = {k: (int(c), int(t)) for k, c, t in q(
        f"SELECT t.category_id, SUM(s.capacity), SUM(s.taken) {offered} GROUP BY t.category_id", a=a, b=b) if c}
    shows = dict(q("SELECT g.attendance, COUNT(*) FROM signups g JOIN slots s ON s.id = g.slot_id "
                   "WHERE g.attendance IS NOT NULL AND s.starts_at >= :a AND s.starts_at < :b GROUP BY g.attendance",
                   a=a, b=b))
    found["no_shows"] = shows.get("no_show", 0)
    both = shows.get("no_show", 0) + shows.get("attended", 0)
    found["no_show_rate"] = round(shows.get("no_show", 0) * 100 / both, 1) if both else None
    found["offers"] = q("SELECT COUNT(*) FROM signups WHERE offered_at >= :a AND offered_at < :b", a=a, b=b)[0][0]
    found["offers_expired"] = q("SELECT COUNT(*) FROM signups WHERE cancel_reason = 'offer_expired' "
                                "AND cancelled_at >= :a AND cancelled_at < :b", a=a, b=b)[0][0]
    found["invitations_sent"], found["invitations_accepted"] = q(
        "SELECT COUNT(*), COUNT(accepted_at) FROM task_invitations WHERE sent_at >= :a AND sent_at < :b", a=a, b=b)[0]
    found["waiting"] = q("SELECT COUNT(*) FROM signups g JOIN slots s ON s.id = g.slot_id "
                         "WHERE g.state = 'waitlisted' AND s.starts_at >= :n", n=now)[0][0]
    found["urgent_times"], found["urgent_places"] = q(
        "SELECT COUNT(*), COALESCE(SUM(s.capacity - s.taken), 0) FROM slots s JOIN tasks t ON t.id = s.task_id "
        "JOIN organisations o ON o.id = t.organisation_id WHERE s.status = 'open' AND t.status = 'published' "
        "AND o.status = 'approved' AND s.taken < s.capacity AND s.starts_at >= :n AND s.starts_at < :h",
        n=now, h=now + timedelta(days=14))[0]
    found["without_upcoming"] = sorted(r[0] for r in q(
        "SELECT o.name FROM organisations o WHERE o.status = 'approved' AND NOT EXISTS (SELECT 1 FROM slots s "
        "JOIN tasks t ON t.id = s.task_id WHERE t.organisation_id = o.id AND t.status = 'published' "
        "AND s.status = 'open' AND s.starts_at >= :n)", n=now))
    today = _local_day(now)
    two_years = date(today.year - 2, today.month, min(today.day, 28)) if (today.month, today.day) == (2, 29) \
        else date(today.year - 2, today.month, today.day)
    found["old_clearances"] = dict(q("SELECT organisation_id, COUNT(*) FROM clearances WHERE status = 'approved' "
                                     "AND checked_on < :d GROUP BY organisation_id", d=two_years))
    found["displacement_pending"] = q("SELECT COUNT(*) FROM displacement_reviews WHERE status = 'pending'")[0][0]
    found["ideas"] = q("SELECT COUNT(*) FROM ideas WHERE threshold_reached_at IS NOT NULL AND hidden_at IS NULL "
                       "AND state IN ('new', 'considering')")[0][0]
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_dashboard_number_equals_a_direct_sql_count(app, seed):
    now = utcnow()
    today = _local_day(now)
    with app.test_request_context():
        generate(seed, now)
        for span in (calc.last_twelve_months(today), calc.custom(today - timedelta(days=200), today)):
            dash = dashboard(span, now=now)
            for which, period in (("value", span), ("previous", span.previous)):
                want = expected(period, now)
                for key in ("hours", "active", "new", "first_timers", "times", "fill_rate", "no_shows",
                            "no_show_rate", "offers", "offers_expired", "invitations_sent", "invitations_accepted"):
                    assert getattr(dash.figures[key], which) == want[key], (key, which, seed)
            want = expected(span, now)
            assert dict(dash.hours_organisations) == want["hours_organisations"]
            assert dict(dash.hours_categories) == want["hours_categories"]
            assert {m: h for m, h in dash.hours_months if h} == want["hours_months"]
            assert {m: n for m, n in dash.active_months if n} == want["active_months"]
            assert {b: n for b, n in dash.active_bands if n} == dict(want["active_bands"])
            assert {b: n for b, n in dash.new_bands if n} == dict(want["new_bands"])
            assert {m: n for m, n in dash.new_months if n} == dict(want["new_months"])
            assert {f.key: (f.capacity, f.taken) for f in dash.fill_organisations} == want["fill_organisations"]
            assert {f.key: (f.capacity, f.taken) for f in dash.fill_categories} == want["fill_categories"]
            assert dash.waiting_now == want["waiting"]
            assert (dash.urgent_times, dash.urgent_places) == (want["urgent_times"], want["urgent_places"])
            assert len(dash.urgent) == min(want["urgent_times"], 25)
            assert sorted(name for name, _ in dash.without_upcoming) == want["without_upcoming"]
            assert "Uden tider" in want["without_upcoming"]
            assert dict(dash.old_clearances) == want["old_clearances"]
            assert dash.displacement_pending == want["displacement_pending"] == 3
            assert len(dash.ideas) == want["ideas"]
        # The data set is not trivial: each kind of number is there at least once.
        assert dash.figures["hours"].value > 0 and dash.figures["times"].value > 0
        full = expected(calc.Span(today - timedelta(days=800), today + timedelta(days=30)), now)
        assert full["hours"] > 0 and full["no_shows"] > 0 and full["offers_expired"] > 0
        assert full["invitations_accepted"] > 0 and full["first_timers"] > 0
