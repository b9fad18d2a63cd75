"""Tasks and sign-up through the test client: what organisers and volunteers see and do."""

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import (HoursEntry, Signup, SignupState, Slot, utcnow)
from tests.conftest import login, submit
from tests.factories import make_organisation, make_slot, make_task, make_user

TASK = {"title": "Cykeltur med beboerne", "description": "Vi cykler en tur med beboerne hver torsdag.",
        "category": "", "kind": "recurring", "place_name": "", "address": "Vinkelvej 2", "postcode": "2791",
        "city": "Dragør", "min_age": "", "physical_demand": "moderate", "what_to_bring": "",
        "contact_name": "Mette", "contact_email": "mette@example.dk", "contact_phone": "",
        "cancel_deadline_hours": "24", "publish": "y"}


@pytest.fixture
def enggaarden(app):
    with app.app_context():
        admin = make_user(email="mette@example.dk")
        org = make_organisation(admin=admin, name="Enggården")
        db.session.commit()
        return org.slug


def next_thursday() -> date:
    today = to_local(utcnow()).date()
    return today + timedelta(days=(3 - today.weekday()) % 7 or 7)


def category_id(app, slug="older-people"):
    from portal.models import Category
    with app.app_context():
        return db.session.scalar(select(Category.id).where(Category.slug == slug))


def test_an_organiser_posts_the_school_example_every_thursday_13_to_14_with_6_places(app, enggaarden):
    mette = app.test_client()
    login(mette, "mette@example.dk")
    response = submit(mette, f"/organisations/{enggaarden}/tasks/new",
                      dict(TASK, category=str(category_id(app))))
    assert response.status_code == 302
    times_url = response.headers["Location"]
    task_id = int(re.search(r"/tasks/(\d+)/times", times_url).group(1))
    first = next_thursday()
    rule = {"rule-weekdays": "3", "rule-every_weeks": "1", "rule-starts": "13:00", "rule-ends": "14:00",
            "rule-first_date": first.isoformat(), "rule-last_date": "", "rule-capacity": "6", "rule-exceptions": ""}
    assert submit(mette, f"/tasks/{task_id}/rule", rule, form_url=times_url).status_code == 302
    with app.app_context():
        slots = db.session.scalars(select(Slot).where(Slot.task_id == task_id).order_by(Slot.starts_at)).all()
        assert len(slots) == 8  # eight Thursdays ahead
        assert {to_local(s.starts_at).strftime("%a %H:%M") for s in slots} == {"Thu 13:00"}
        assert {s.capacity for s in slots} == {6}
    page = app.test_client().get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Cykeltur med beboerne" in page and "6 pladser tilbage" in page


def test_bad_times_are_explained_next_to_the_fields_and_kept(app, enggaarden):
    with app.app_context():
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation))
        task_id = make_task(org).id
        db.session.commit()
    mette = app.test_client()
    login(mette, "mette@example.dk")
    bad = {"slot-day": "2026-13-01", "slot-starts": "14:00", "slot-ends": "13:00", "slot-capacity": "0"}
    response = submit(mette, f"/tasks/{task_id}/slots?lang=en", bad, form_url=f"/tasks/{task_id}/times")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="slot-day-error"' in html and "between 1 and 500" in html
    assert 'value="14:00"' in html and 'value="13:00"' in html
    rule = {"rule-starts": "14:00", "rule-ends": "13:00", "rule-first_date": "2026-12-03",
            "rule-capacity": "6", "rule-every_weeks": "1", "rule-exceptions": "31-02-2027"}
    html = submit(mette, f"/tasks/{task_id}/rule?lang=en", rule, form_url=f"/tasks/{task_id}/times").get_data(as_text=True)
    assert "Choose at least one weekday" in html and "end must be after the start" in html
    assert "day-month-year" in html and 'value="31-02-2027"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Slot.id))) == 0


def test_capacity_cannot_be_set_below_the_signed_up_from_the_form(app, enggaarden):
    with app.app_context():
        from portal.models import Organisation
        from portal.signups.services import sign_up
        org = db.session.scalar(select(Organisation))
        # 10:00 local, not "now + 3 days": late in the evening that hour would end after midnight.
        in_3_days = to_utc(to_local(utcnow()).date() + timedelta(days=3), time(10))
        slot = make_slot(make_task(org), starts_at=in_3_days, capacity=3)
        sign_up(make_user(), slot, now=utcnow())
        sign_up(make_user(), slot, now=utcnow())
        db.session.commit()
        slot_id, local = slot.id, to_local(slot.starts_at)
    mette = app.test_client()
    login(mette, "mette@example.dk")
    form = {"day": local.date().isoformat(), "starts": local.strftime("%H:%M"),
            "ends": (local + timedelta(hours=1)).strftime("%H:%M"), "capacity": "1", "place_note": ""}
    html = submit(mette, f"/slots/{slot_id}/edit?lang=en", form, form_url=f"/slots/{slot_id}/edit").get_data(as_text=True)
    assert "2 people are already signed up" in html
    with app.app_context():
        assert db.session.get(Slot, slot_id).capacity == 3


def test_public_list_filters_and_hides_drafts(app, client, enggaarden):
    with app.app_context():
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation))
        soon = utcnow() + timedelta(days=2)
        make_slot(make_task(org, title="Lektiehjælp", category_slug="homework-reading"), starts_at=soon)
        make_slot(make_task(org, title="Kladde", status="draft"), starts_at=soon)
        make_slot(make_task(org, title="Gåtur", category_slug="older-people"), starts_at=soon)
        db.session.commit()
    everything = client.get("/tasks").get_data(as_text=True)
    assert "Lektiehjælp" in everything and "Gåtur" in everything and "Kladde" not in everything
    filtered = client.get("/tasks?category=homework-reading").get_data(as_text=True)
    assert "Lektiehjælp" in filtered and "Gåtur" not in filtered
    assert 'option value="homework-reading" selected' in filtered  # the filter state stays in the form
    # "In 2 days" may be next month (or next year): ask for the month it falls in.
    month = client.get(f"/tasks?view=month&month={to_local(soon):%Y-%m}&category=older-people").get_data(as_text=True)
    assert "Gåtur" in month and "Lektiehjælp" not in month
    week = client.get(f"/tasks?view=week&week={to_local(soon).strftime('%G-W%V')}").get_data(as_text=True)
    assert "Gåtur" in week


def test_sign_up_cancel_and_the_waitlist_over_http(app, enggaarden, outbox):
    with app.app_context():
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation))
        task = make_task(org, title="Julemarked")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=5), capacity=1)
        make_user(email="anna@example.dk")
        make_user(email="bo@example.dk")
        db.session.commit()
        slot_id, task_id = slot.id, task.id
    anna, bo = app.test_client(), app.test_client()
    login(anna, "anna@example.dk")
    login(bo, "bo@example.dk")
    assert submit(anna, f"/slots/{slot_id}/signup", form_url=f"/tasks/{task_id}").status_code == 302
    page = bo.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Skriv dig på ventelisten" in page and "Fuldt" in page
    submit(bo, f"/slots/{slot_id}/signup", {"action": "waitlist"}, form_url=f"/tasks/{task_id}")
    assert "nummer 1 på ventelisten" in bo.get(f"/tasks/{task_id}").get_data(as_text=True)
    with app.app_context():
        anna_signup = db.session.scalar(select(Signup.id).join(Signup.user).where(Signup.state == SignupState.confirmed))
    submit(anna, f"/signups/{anna_signup}/cancel", form_url="/me")
    offer = [m for m in outbox() if m["To"] == "bo@example.dk"][-1]
    link = re.search(r"http://localhost(/signups/respond/\S+)", offer.get_body().get_content()).group(1)
    assert bo.get(link).status_code == 200  # opening the link changes nothing by itself
    with app.app_context():
        assert db.session.scalar(select(Signup.state).join(Signup.user).where(Signup.user.has(email="bo@example.dk"))) \
            is SignupState.offered
    assert submit(bo, link, {"answer": "accept"}).status_code == 302
    with app.app_context():
        slot = db.session.get(Slot, slot_id)
        confirmed = db.session.scalar(select(func.count(Signup.id)).where(Signup.slot_id == slot_id,
                                                                           Signup.state == SignupState.confirmed))
        assert slot.taken == confirmed == 1
    assert "Du er tilmeldt" in bo.get(f"/tasks/{task_id}").get_data(as_text=True)


def test_ineligible_volunteers_see_the_reason_before_and_after_trying(app, enggaarden):
    with app.app_context():
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation))
        task = make_task(org, title="Lektiehjælp", min_age=18, needs_certificate=True)
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=5))
        make_user(email="teen@example.dk", birth_date=date(2011, 6, 1))
        db.session.commit()
        slot_id, task_id = slot.id, task.id
    teen = app.test_client()
    login(teen, "teen@example.dk")
    before = teen.get(f"/tasks/{task_id}?lang=en").get_data(as_text=True)
    assert "at least 18 years old" in before and "børneattest" in before
    assert f'action="/slots/{slot_id}/signup"' not in before  # no button to press
    after = submit(teen, f"/slots/{slot_id}/signup", form_url=f"/tasks/{task_id}", follow_redirects=True)
    assert "at least 18 years old" in after.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Signup.id))) == 0


def test_roster_and_csv_are_for_the_organisation_only(app, enggaarden):
    with app.app_context():
        from portal.models import Organisation
        from portal.signups.services import sign_up
        org = db.session.scalar(select(Organisation))
        slot = make_slot(make_task(org), starts_at=utcnow() + timedelta(days=3))
        sign_up(make_user(email="ida@example.dk", name="Ida Ærø", phone="22 33 44 55"), slot, now=utcnow())
        make_user(email="stranger@example.dk")
        db.session.commit()
        slot_id = slot.id
    mette, stranger = app.test_client(), app.test_client()
    login(mette, "mette@example.dk")
    login(stranger, "stranger@example.dk")
    roster = mette.get(f"/slots/{slot_id}/roster").get_data(as_text=True)
    assert "Ida Ærø" in roster and "22 33 44 55" in roster
    csv = mette.get(f"/slots/{slot_id}/roster.csv")
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeff") and '"Ida Ærø";"ida@example.dk";"22 33 44 55"' in text
    assert stranger.get(f"/slots/{slot_id}/roster").status_code == 403
    assert "22 33 44 55" not in app.test_client().get(f"/tasks/{db_task_id(app, slot_id)}").get_data(as_text=True)


def db_task_id(app, slot_id):
    with app.app_context():
        return db.session.get(Slot, slot_id).task_id


def test_attendance_and_logged_hours_add_up_on_my_page(app, enggaarden):
    with app.app_context():
        from portal.models import Organisation
        from portal.signups.services import sign_up
        org = db.session.scalar(select(Organisation))
        past = make_slot(make_task(org), starts_at=utcnow() + timedelta(days=2), hours=2)
        signup = sign_up(make_user(email="ida@example.dk"), past, now=utcnow())
        past.starts_at, past.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
        role = make_task(org, title="Besøgsven", kind="ongoing")
        db.session.commit()
        signup_id, role_id = signup.id, role.id
    mette, ida = app.test_client(), app.test_client()
    login(mette, "mette@example.dk")
    login(ida, "ida@example.dk")
    submit(mette, f"/signups/{signup_id}/attendance", {"attended": "yes"}, form_url="/me")
    bad = submit(ida, f"/tasks/{role_id}/hours?lang=en", {"worked_on": "2099-01-01", "hours": "1,5"}).get_data(as_text=True)
    assert "future" in bad and 'value="1,5"' in bad
    ok = submit(ida, f"/tasks/{role_id}/hours", {"worked_on": to_local(utcnow()).date().isoformat(), "hours": "1,5",
                                                 "note": "Gåtur"})
    assert ok.status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(HoursEntry)).one()
        assert entry.minutes == 90
    slug = enggaarden
    submit(mette, f"/organisations/{slug}/hours", {"entry": str(entry.id), "answer": "approve"})
    page = ida.get("/me").get_data(as_text=True)
    assert re.search(r'hours-total__number">3\.5<', page)  # 2 attended + 1.5 approved (English page)


def test_tick_makes_times_passes_offers_on_and_reminds_once(app, enggaarden, outbox):
    """One tick rolls the recurring horizon on, passes an unanswered offer to the next and
    reminds 24 hours before; a second tick right after does nothing again."""
    from portal.cli import run_time_based_work
    with app.app_context():
        from portal.models import Organisation
        from portal.signups.services import cancel, join_waitlist, sign_up
        from portal.tasks.services import set_rule
        org = db.session.scalar(select(Organisation))
        task = make_task(org, kind="recurring")
        now = utcnow()
        set_rule(task, weekdays=[0, 1, 2, 3, 4, 5, 6], every_weeks=1, starts=time(10), ends=time(11),
                 first_date=to_local(now).date(), last_date=None, capacity=1, exceptions=[], now=now)
        last = db.session.scalars(select(Slot).where(Slot.task_id == task.id).order_by(Slot.starts_at.desc())).first()
        db.session.delete(last)  # as if the horizon had not reached that day yet
        soon = make_slot(make_task(org), starts_at=now + timedelta(hours=20), capacity=1)
        sign_up(make_user(email="ida@example.dk"), soon, now=now)
        far = make_slot(make_task(org), starts_at=now + timedelta(days=5), capacity=1)
        leaving = sign_up(make_user(), far, now=now)
        waiting = join_waitlist(make_user(email="bo@example.dk"), far, now=now)
        join_waitlist(make_user(email="cy@example.dk"), far, now=now + timedelta(seconds=1))
        cancel(leaving, now=now)
        waiting.offer_expires_at = now - timedelta(minutes=1)  # nobody answered
        db.session.commit()
        first = run_time_based_work(now=now)
        second = run_time_based_work(now=now)
        quiet = {"deal_follow_ups": 0, "badges": 0, "idea_thresholds": 0, "idea_helpers_invited": 0, "ideas_unconfirmed_deleted": 0,
                 "call_closing_reminders": 0, "help_requests_deleted": 0, "outbox_forgotten": 0,
                 "nominations_unconfirmed_deleted": 0, "award_thanks": 0, "milestone_mails": 0,
                 "nominees_asked": 0}
        quiet["agreement_evaluations"] = 0  # issue 13: no agreement is due for its review here
        quiet["audit_forget"] = 0  # issue 13: the audit log forgets entries older than three years
        assert first == {"slots": 1, "expired": 1, "reminders": 1, "digests": 0, **quiet}
        assert second == {"slots": 0, "expired": 0, "reminders": 0, "digests": 0, **quiet}
        states = {s.user.email: s.state for s in db.session.scalars(select(Signup).where(Signup.slot_id == far.id))}
        assert states["bo@example.dk"] is SignupState.cancelled and states["cy@example.dk"] is SignupState.offered
    reminders = [m for m in outbox() if m["To"] == "ida@example.dk" and "Påmindelse" in m["Subject"]]
    assert len(reminders) == 1


def test_a_failed_single_time_keeps_the_saved_weekly_rule_in_its_form(app, enggaarden):
    with app.app_context():
        from portal.models import Organisation
        from portal.tasks.services import set_rule
        org = db.session.scalar(select(Organisation))
        task = make_task(org, kind="recurring")
        set_rule(task, weekdays=[3], every_weeks=2, starts=time(13), ends=time(14), first_date=next_thursday(),
                 last_date=None, capacity=6, exceptions=[], now=utcnow())
        db.session.commit()
        task_id = task.id
    mette = app.test_client()
    login(mette, "mette@example.dk")
    html = submit(mette, f"/tasks/{task_id}/slots", {"slot-day": "", "slot-starts": "", "slot-ends": "",
                                                      "slot-capacity": ""}, form_url=f"/tasks/{task_id}/times").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*id="rule-weekdays-3"', html)
    assert re.search(r'id="rule-capacity"[^>]*value="6"', html)


def test_the_menu_marks_task_management_as_the_organisations_section(app, enggaarden):
    with app.app_context():
        from portal.models import Organisation
        task_id = make_task(db.session.scalar(select(Organisation))).id
        db.session.commit()
    mette = app.test_client()
    login(mette, "mette@example.dk")
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', mette.get(f"/tasks/{task_id}/times").get_data(as_text=True))
    assert current == ["/organisations"]
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', mette.get(f"/tasks/{task_id}").get_data(as_text=True))
    assert current == ["/tasks"]
