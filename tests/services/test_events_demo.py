"""The events' demo rows: Frivillig Fredag on the last Friday of September with a programme, helper
and taster tasks (first-timers signed up), the welfare meeting with its agenda and call, two
pictures; loading twice adds nothing."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.core.events import last_friday_of_september
from portal.core.timeutil import to_local
from portal.events import queries
from portal.extensions import db
from portal.models import Event, EventKind, Picture, Task, utcnow
from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
from tools.demo_calls import load_demo_calls
from tools.demo_events import load_demo_events
from tools.demo_exchange import load_demo_exchange


def test_the_demo_has_a_volunteer_day_and_a_welfare_meeting_and_loads_once(ctx):
    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_exchange(now=now)
    load_demo_calls(now=now)
    assert load_demo_events(now=now) is True
    db.session.commit()
    day = db.session.scalar(select(Event).where(Event.kind == EventKind.volunteer_day))
    local_day = to_local(day.starts_at).date()
    assert local_day == last_friday_of_september(local_day.year) and day.starts_at > now
    assert [item.title for item in day.items][-2:] == ["Årets frivilligpriser uddeles", "Musik i gården"]
    assert to_local(day.items[-2].starts_at).hour == 16
    rows = queries.event_tasks(day, now=now)
    tasters = [row for row in rows if row.task.is_taster]
    assert len(tasters) == 3 and len({row.task.organisation_id for row in tasters}) >= 2
    assert 2 <= len(rows) - len(tasters) <= 3
    assert all(to_local(s.starts_at).date() == local_day for row in rows for s in row.slots)
    assert queries.first_timer_count(day) == 3
    meeting = db.session.scalar(select(Event).where(Event.kind == EventKind.welfare_meeting))
    assert timedelta(weeks=6) <= meeting.starts_at - now <= timedelta(weeks=8)
    assert len(meeting.items) >= 3 and queries.call_before(meeting) is not None
    assert db.session.scalar(select(func.count(Task.id)).where(Task.picture_id.is_not(None))) == 2
    counts = (db.session.scalar(select(func.count(Event.id))), db.session.scalar(select(func.count(Task.id))),
              db.session.scalar(select(func.count(Picture.id))))
    assert load_demo_events(now=now) is False
    assert counts == (db.session.scalar(select(func.count(Event.id))), db.session.scalar(select(func.count(Task.id))),
                      db.session.scalar(select(func.count(Picture.id))))
