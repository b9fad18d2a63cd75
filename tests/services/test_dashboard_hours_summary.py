"""portal.hours.services.hours_summary (the ledger summed in the database, for the dashboards at
national scale) gives exactly what adding up contributions()' rows in Python gives: the same
rules, the same Copenhagen days, on seeded random data with times near local midnight at month
ends and on DST nights (both databases)."""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from portal.core.hours import Period
from portal.extensions import db
from portal.hours.services import contributions, hours_summary
from portal.models import Attendance, HoursEntry, HoursStatus, Signup, SignupState
from tests.factories import make_organisation, make_slot, make_task, make_user

CPH = ZoneInfo("Europe/Copenhagen")


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CPH).astimezone(timezone.utc)


def _awkward_instants(year: int, rng) -> list[datetime]:
    """Starts just before and after local midnight at month ends, and around the DST changes."""
    found = []
    for month in range(1, 13):
        first = date(year, month, 1)
        for minutes in (-61, -60, -1, 0, 1, 59, 60, 61):
            found.append(datetime.combine(first, time(0), tzinfo=CPH).astimezone(timezone.utc)
                         + timedelta(minutes=minutes))
    for night in (date(year, 3, 31), date(year, 10, 31)):   # the last Sunday of March/October
        while night.weekday() != 6:
            night -= timedelta(days=1)
        for minutes in range(-90, 240, 29):
            found.append(datetime.combine(night, time(0), tzinfo=CPH).astimezone(timezone.utc)
                         + timedelta(minutes=minutes))
    found += [_local(date(year, rng.randint(1, 12), rng.randint(1, 28)), rng.randint(0, 23), rng.choice((0, 30)))
              for _ in range(40)]
    return found


def _generate(seed: int):
    rng = random.Random(seed)
    year = date.today().year - 1
    orgs = [make_organisation(name=f"Forening {i}") for i in range(3)]
    tasks = [make_task(orgs[i % 3], title=f"Opgave {i}",
                       category_slug=("older-people", "nature", "culture-museum")[i % 3]) for i in range(6)]
    people = [make_user() for _ in range(12)]
    for starts in _awkward_instants(year, rng):
        slot = make_slot(rng.choice(tasks), starts_at=starts, hours=rng.choice((1, 2, 3)), capacity=6)
        slot.ends_at = slot.starts_at + timedelta(minutes=rng.choice((1, 45, 60, 95, 180)), seconds=rng.choice((0, 1)))
        for user in rng.sample(people, rng.randint(0, 4)):
            db.session.add(Signup(slot_id=slot.id, user_id=user.id, state=SignupState.confirmed,
                                  attendance=rng.choice((Attendance.attended, Attendance.attended,
                                                         Attendance.no_show, None))))
    for _ in range(60):
        db.session.add(HoursEntry(task_id=rng.choice(tasks).id, user_id=rng.choice(people).id,
                                  worked_on=date(year, 1, 1) + timedelta(days=rng.randint(-20, 385)),
                                  minutes=rng.choice((15, 30, 60, 95)),
                                  status=rng.choice((HoursStatus.approved, HoursStatus.pending, HoursStatus.rejected))))
    db.session.flush()
    return year, orgs, people


def _expected(rows, edges, keys):
    sums = defaultdict(int)
    for c in rows:
        if not edges[0] <= c.day < edges[-1]:
            continue
        bucket = max(i for i, edge in enumerate(edges[:-1]) if c.day >= edge)
        sums[tuple(getattr(c, f"{k}_id") for k in keys) + (bucket,)] += c.seconds
    return sorted(key + (seconds,) for key, seconds in sums.items())


def _month_edges(year: int) -> list[date]:
    return [date(year - 1, 12, 15)] + [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]


def test_sums_in_the_database_equal_the_ledger_rows_added_up(app):
    with app.app_context():
        year, orgs, people = _generate(1311)
        edges = _month_edges(year)
        rows = contributions(period=Period(edges[0], edges[-1]))
        assert len(rows) > 100
        for keys in ((), ("organisation", "category"), ("user",), ("user", "organisation")):
            assert [tuple(r) for r in hours_summary(group_by=keys, boundaries=edges)] == _expected(rows, edges, keys)
        # one organisation, and a group of people (a company's consenting staff)
        mine = contributions(organisation=orgs[1], period=Period(edges[0], edges[-1]))
        assert hours_summary(group_by=("category",), boundaries=edges, organisation=orgs[1]) == \
            _expected(mine, edges, ("category",))
        group = [p.id for p in people[:5]]
        theirs = contributions(users=group, period=Period(edges[0], edges[-1]))
        assert hours_summary(group_by=("user",), boundaries=edges, users=group) == _expected(theirs, edges, ("user",))


def test_a_time_starting_just_before_local_midnight_counts_on_its_local_day(app):
    with app.app_context():
        org = make_organisation()
        task = make_task(org)
        person = make_user()
        # 23:30 on 31 March local is 21:30 UTC: March, not April
        slot = make_slot(task, starts_at=_local(date(2025, 3, 31), 23, 30), hours=2)
        db.session.add(Signup(slot_id=slot.id, user_id=person.id, state=SignupState.confirmed,
                              attendance=Attendance.attended))
        db.session.flush()
        edges = [date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)]
        assert hours_summary(group_by=("user",), boundaries=edges) == [(person.id, 0, 7200)]
