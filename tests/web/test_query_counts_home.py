"""No N+1 on the front page and "Min side": a volunteer with 3 or 30 times behind them, and a
portal with few or many tasks, costs the same number of SQL statements (the hours come from the
ledger in two statements whatever the history)."""

from datetime import date, timedelta

from portal.extensions import db
from portal.models import Attendance, HoursEntry, HoursStatus, Signup, SignupState, utcnow
from tests.conftest import counting_queries, login
from tests.factories import make_event, make_organisation, make_slot, make_story, make_task, make_user

# Measured when pinned (issue 8); a change means a page started to query per row, or got cheaper.
# (anonymous front page, signed-in front page with suggestions, /me)
# Suggestions look in a 5 km box first (portal.matching.suggestions.BOXES_KM): with few tasks the
# box never settles the list, so both of its statements (times, ongoing roles) are run twice: +2.
# /me also lists the companies the person administers (issue 10): +1, and the ideas they wrote or
# offered to help with (issue 11): +1.
# The front page that shows the need (issue 12): the times that need people in the next 7 days,
# the concrete needs soon, the current award year, the latest stories and the next event: +5 for
# anonymous and signed-in visitors alike (the winners are read only in the announced phase).
PINNED = (5, 17, 19)


def add_history(app, email, n):
    """n organisations' worth of tasks; the volunteer attended n past times, logged n approved
    (and n pending) hour entries, and holds n upcoming times."""
    with app.app_context():
        from sqlalchemy import select

        from portal.models import User
        karen = db.session.scalar(select(User).where(User.email == email))
        now = utcnow()
        for i in range(n):
            org = make_organisation(admin=make_user())
            task = make_task(org, title=f"Besøg {i}")
            ongoing = make_task(org, title=f"Have {i}", kind="ongoing", category_slug="nature")
            past = make_slot(task, starts_at=now - timedelta(days=3 + i, hours=i % 5), hours=2)
            upcoming = make_slot(task, starts_at=now + timedelta(days=2 + i, hours=i % 5), capacity=4)
            db.session.add_all([
                Signup(user_id=karen.id, slot_id=past.id, state=SignupState.confirmed, attendance=Attendance.attended),
                Signup(user_id=karen.id, slot_id=upcoming.id, state=SignupState.confirmed),
                HoursEntry(task_id=ongoing.id, user_id=karen.id, worked_on=date.today() - timedelta(days=i + 1),
                           minutes=60, status=HoursStatus.approved),
                HoursEntry(task_id=ongoing.id, user_id=karen.id, worked_on=date.today() - timedelta(days=i + 1),
                           minutes=60, status=HoursStatus.pending),
            ])
            past.taken += 1
            upcoming.taken += 1
            # What the front page shows besides the times (issue 12): stories with and without a
            # picture, and events.
            make_story(org, picture=i % 2 == 0)
            make_event(starts_at=now + timedelta(days=5 + i))
        db.session.commit()


def statements_for(app, client, path):
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_front_page_and_min_side_cost_the_same_for_a_short_and_a_long_history(app):
    with app.app_context():
        make_user(email="karen@example.dk")
        db.session.commit()
    client = app.test_client()
    login(client, "karen@example.dk")
    anonymous = app.test_client()

    add_history(app, "karen@example.dk", 3)
    small = (statements_for(app, anonymous, "/"), statements_for(app, client, "/"), statements_for(app, client, "/me"))
    add_history(app, "karen@example.dk", 27)
    large = (statements_for(app, anonymous, "/"), statements_for(app, client, "/"), statements_for(app, client, "/me"))
    assert large == small, (small, large)
    assert small == PINNED, small
    # 30 attended times of 2 h and 30 approved hours; the pending hours count nothing.
    assert '<span class="hours-total__number">90</span>' in client.get("/me").get_data(as_text=True)


def test_the_front_page_costs_one_more_statement_once_winners_are_announced_however_many(app):
    """In the announced phase the winners are read in one statement (portal.awards.winners.hall_of_fame),
    the same for one category as for eight; in the nominating phase nothing more is read."""
    from portal.models import AwardWinner
    from tests.factories import make_award_category, make_award_year, make_nomination

    anonymous = app.test_client()
    with app.app_context():
        make_award_year(year=2030, phase="nominating")
        db.session.commit()
    assert statements_for(app, anonymous, "/") == PINNED[0]

    def announce(year, categories):
        with app.app_context():
            award_year = make_award_year(year=year, phase="announced")
            for n in range(categories):
                nomination = make_nomination(make_award_category(award_year, sort_order=n),
                                             nominee_name=f"Vinder {year}-{n}")
                db.session.add(AwardWinner(category_id=nomination.category_id, nomination_id=nomination.id,
                                           motivation="Tak for indsatsen."))
            db.session.commit()

    with app.app_context():
        from sqlalchemy import delete

        from portal.models import AwardYear
        db.session.execute(delete(AwardYear))
        db.session.commit()
    announce(2031, 1)
    one = statements_for(app, anonymous, "/")
    assert "Vinder 2031-0" in anonymous.get("/").get_data(as_text=True)
    announce(2032, 8)
    eight = statements_for(app, anonymous, "/")
    assert "Vinder 2032-7" in anonymous.get("/").get_data(as_text=True)
    assert one == eight == PINNED[0] + 1
