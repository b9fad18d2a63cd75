"""The calendar addresses of design.md section 4, over HTTP, with data made through the services.

Every feed is read with icalendar, vobject and recurring-ical-events (tests.core.test_ical) and
compared with the slots in the database. Database work happens in its own application context,
as in the other web tests: a request would otherwise share the test's context (and its `g` and
database session) instead of starting clean like a real one."""

import re
from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.calendar import services as calendar
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import Organisation, OrganisationStatus, OutboxMessage, Slot, SlotStatus, Task, User, utcnow
from portal.signups import services as signups
from portal.tasks import services as tasks
from tests.conftest import login, submit
from tests.core.test_ical import Occurrence, assert_well_formed, local_start_hours, parse_three_ways
from tests.factories import make_organisation, make_slot, make_task, make_user


def uid(slot_id: int) -> str:
    return f"slot-{slot_id}@frivillig.dragoer.dk"


def expected(app, *slot_ids: int) -> list[Occurrence]:
    """What a calendar should show for these slots, read from the database."""
    with app.app_context():
        slots = [db.session.get(Slot, slot_id) for slot_id in slot_ids]
        return sorted(Occurrence(uid(s.id), s.starts_at, s.ends_at, f"{s.task.title} – {s.task.organisation.name}",
                                 "CANCELLED" if s.status is SlotStatus.cancelled else "CONFIRMED", s.sequence)
                      for s in slots)


def new_task(org, author, title, *, publish=True):
    return tasks.create_task(
        org, author, kind="one_off", category_id=tasks.categories()[0].id, physical_demand="light",
        publish=publish, now=utcnow(), title=title, description="Kom og hjælp – der er kaffe og æblekage.",
        place_name="Enggården", address="Enggårdsvej 1", postcode="2791", city="Dragør", min_age=None,
        needs_child_certificate=False, what_to_bring=None, contact_name="Mette", contact_email="mette@example.dk",
        contact_phone=None, cancel_deadline_hours=24)


def add_slot(task, day: date, start: int, end: int, capacity=4):
    return tasks.add_slot(task, starts_at=to_utc(day, time(start)), ends_at=to_utc(day, time(end)), capacity=capacity)


def next_spring_change(today: date) -> date:
    """The coming Sunday on which Denmark moves to summer time (last Sunday of March), at least
    a week away, so the Thursdays either side of it are upcoming whenever the suite runs."""
    year = today.year
    while True:
        last = date(year, 3, 31)
        sunday = last - timedelta(days=(last.weekday() - 6) % 7)
        if sunday - timedelta(days=3) > today + timedelta(days=7):
            return sunday
        year += 1


@pytest.fixture
def world(app):
    with app.app_context():
        now = utcnow()
        today = to_local(now).date()
        mette, lars = make_user(email="mette@example.dk"), make_user(email="lars@example.dk")
        engg = make_organisation(admin=mette, name="Enggården")
        boats = make_organisation(admin=lars, name="Dragør Bådelaug")
        bike = new_task(engg, mette, "Cykeltur med beboere")
        spring = next_spring_change(today)
        # Thursdays at 13 either side of the change to summer time.
        before = add_slot(bike, spring - timedelta(days=3), 13, 15)
        after = add_slot(bike, spring + timedelta(days=4), 13, 15)
        # The spring change can be further ahead than the public feed reaches (90 days): this one
        # is in every feed of the task.
        soon = add_slot(bike, today + timedelta(days=14), 13, 15)
        past = tasks.add_slot(bike, starts_at=to_utc(today - timedelta(days=3), time(10)),
                              ends_at=to_utc(today - timedelta(days=3), time(12)), capacity=4)
        reading = new_task(engg, mette, "Højtlæsning for beboerne")
        tasks.set_rule(reading, weekdays=[1], every_weeks=1, starts=time(10), ends=time(11), first_date=today,
                       last_date=None, capacity=3, exceptions=[], now=now)
        boat = add_slot(new_task(boats, lars, "Klargøring af både"), today + timedelta(days=10), 9, 12)
        ida = make_user(email="ida@example.dk", name="Ida Holm")
        for slot in (before, after, soon, boat):
            signups.sign_up(ida, slot, now=now)
        token = calendar.regenerate_token(ida)
        db.session.commit()
        return SimpleNamespace(engg=engg.slug, boats=boats.slug, boats_id=boats.id, engg_id=engg.id,
                               bike=bike.id, reading_slots=[s.id for s in reading.slots], before=before.id,
                               after=after.id, soon=soon.id, past=past.id, boat=boat.id, ida=ida.id, mette=mette.id, token=token)


def feed_url(world, which: str) -> str:
    return {"public": "/calendar.ics",
            "organisation": f"/organisations/{world.engg}/calendar.ics",
            "task": f"/tasks/{world.bike}/calendar.ics",
            "slot": f"/slots/{world.soon}.ics",
            "personal": f"/me/calendar/{world.token}.ics"}[which]


FEEDS = ["public", "organisation", "task", "slot", "personal"]


def get_calendar(client, url, **headers) -> bytes:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    assert response.mimetype == "text/calendar" and response.mimetype_params["charset"] == "utf-8"
    assert_well_formed(response.data)
    return response.data


def by_uid(body: bytes) -> dict[str, Occurrence]:
    return {o.uid: o for o in parse_three_ways(body)}


def within_public_horizon(app, *slot_ids: int) -> list[int]:
    """Those of the slots that start before midnight after the 89th day from today."""
    with app.app_context():
        end = to_utc(to_local(utcnow()).date() + timedelta(days=90), time(0))
        return [i for i in slot_ids if db.session.get(Slot, i).starts_at < end]


def test_the_public_feed_shows_every_public_time_of_the_next_90_days_alike_in_three_parsers(app, client, world):
    body = get_calendar(client, "/calendar.ics")
    assert len(world.reading_slots) >= 7  # eight weeks of Tuesdays, made by the rule
    shown = within_public_horizon(app, world.before, world.after, world.soon, world.boat, *world.reading_slots)
    assert {world.soon, world.boat, *world.reading_slots} <= set(shown)
    assert parse_three_ways(body) == expected(app, *shown)
    assert uid(world.past) not in by_uid(body)  # only what is still to come


def test_an_organisation_feed_shows_only_that_organisations_times(app, client, world):
    body = get_calendar(client, f"/organisations/{world.engg}/calendar.ics")
    assert parse_three_ways(body) == expected(app, world.before, world.after, world.soon, *world.reading_slots)
    assert str(Calendar.from_ical(body)["X-WR-CALNAME"]) == "Enggården – Dragør Frivillig"
    other = get_calendar(client, f"/organisations/{world.boats}/calendar.ics")
    assert parse_three_ways(other) == expected(app, world.boat)


def test_a_task_feed_shows_only_that_tasks_upcoming_times(app, client, world):
    body = get_calendar(client, f"/tasks/{world.bike}/calendar.ics")
    assert parse_three_ways(body) == expected(app, world.before, world.after, world.soon)
    # The Thursdays either side of the change to summer time both start at 13 in Copenhagen.
    hours = local_start_hours(body)
    assert hours[uid(world.before)] == hours[uid(world.after)] == (13, 13)


def test_add_to_calendar_downloads_one_event_as_an_attachment(app, client, world):
    response = client.get(f"/slots/{world.before}.ics")
    assert response.headers["Content-Disposition"] == f'attachment; filename="frivillig-{world.before}.ics"'
    body = get_calendar(client, f"/slots/{world.before}.ics")
    assert parse_three_ways(body) == expected(app, world.before)
    assert body.count(b"BEGIN:VEVENT") == 1
    # The way back to the task page, also where clients ignore URL (Google, Outlook).
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["URL"]) == f"http://localhost/tasks/{world.bike}"
    assert str(event["DESCRIPTION"]).endswith(f"\n\nhttp://localhost/tasks/{world.bike}")


def test_the_personal_feed_shows_the_volunteers_own_times(app, client, world):
    body = get_calendar(client, f"/me/calendar/{world.token}.ics")
    assert parse_three_ways(body) == expected(app, world.before, world.after, world.soon, world.boat)
    assert str(Calendar.from_ical(body)["X-WR-CALNAME"]) == "Mine frivillige opgaver"
    assert client.get(f"/me/calendar/{world.token}.ics").headers["Cache-Control"].startswith("private")


@pytest.mark.parametrize("which", FEEDS)
def test_an_unchanged_feed_answers_304_to_its_etag(client, world, which):
    url = feed_url(world, which)
    first = client.get(url)
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{16,}"', etag)
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    # A proxy that compresses the feed hands the client a weak tag; it is still the same feed.
    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data  # same data, same bytes


@pytest.mark.parametrize("which", FEEDS)
def test_a_new_time_changes_the_etag_and_raises_the_sequence_under_the_same_uid(app, client, world, which):
    url = feed_url(world, which)
    first = client.get(url)
    old = by_uid(first.data)[uid(world.soon)]
    moved = old.starts_at + timedelta(hours=1)
    with app.app_context():
        tasks.change_slot(db.session.get(Slot, world.soon), starts_at=moved, ends_at=moved + timedelta(hours=2),
                          capacity=4, place_note="Mødested: hovedindgangen", now=utcnow())
        db.session.commit()
    response = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200 and response.headers["ETag"] != first.headers["ETag"]
    new = by_uid(response.data)[uid(world.soon)]
    assert new.uid == old.uid and new.sequence == old.sequence + 1
    assert (new.starts_at, new.ends_at) == (moved, moved + timedelta(hours=2))
    [event] = [e for e in Calendar.from_ical(response.data).walk("VEVENT") if e["UID"] == new.uid]
    assert str(event["LOCATION"]).endswith("(Mødested: hovedindgangen)")


def cancel_own_signup(app, user_id: int, slot_id: int) -> None:
    with app.app_context():
        [signup] = [s for s in signups.overview(db.session.get(User, user_id), now=utcnow()).upcoming
                    if s.slot_id == slot_id]
        signups.cancel(signup, now=utcnow())
        db.session.commit()


def test_the_personal_feed_keeps_cancelled_times_as_cancelled(app, client, world):
    """A subscribed calendar removes a time only if the feed says it is cancelled; a time that
    simply vanished could stay in some calendars."""
    url = f"/me/calendar/{world.token}.ics"
    before = by_uid(get_calendar(client, url))
    cancel_own_signup(app, world.ida, world.soon)          # Ida cancels one time herself
    with app.app_context():
        tasks.cancel_slot(db.session.get(Slot, world.boat), now=utcnow())  # the boat club cancels another
        db.session.commit()
    after = by_uid(get_calendar(client, url))
    assert set(after) == {uid(world.before), uid(world.after), uid(world.soon), uid(world.boat)}
    assert after[uid(world.before)] == before[uid(world.before)]
    for gone in (world.soon, world.boat):
        assert after[uid(gone)].status == "CANCELLED"
        assert after[uid(gone)].sequence > before[uid(gone)].sequence
        assert after[uid(gone)].starts_at == before[uid(gone)].starts_at
    # The public feeds simply stop listing a cancelled time; Ida's cancelling does not touch them.
    public = by_uid(get_calendar(client, "/calendar.ics"))
    assert uid(world.boat) not in public and public[uid(world.soon)].status == "CONFIRMED"


def test_cancelling_and_signing_up_again_raise_the_personal_sequence_each_time(app, client, world):
    """Calendars that honour SEQUENCE must never keep the older of two versions of a time."""
    url = f"/me/calendar/{world.token}.ics"
    seen = [by_uid(get_calendar(client, url))[uid(world.before)]]
    cancel_own_signup(app, world.ida, world.before)
    seen.append(by_uid(get_calendar(client, url))[uid(world.before)])
    with app.app_context():
        signups.sign_up(db.session.get(User, world.ida), db.session.get(Slot, world.before), now=utcnow())
        db.session.commit()
    seen.append(by_uid(get_calendar(client, url))[uid(world.before)])
    assert [o.status for o in seen] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert seen[0].sequence < seen[1].sequence < seen[2].sequence


def test_a_new_calendar_address_retires_the_old_one(app, client, world):
    login(client, "ida@example.dk")
    addresses = []
    for _ in range(2):
        response = submit(client, "/me/calendar/regenerate", form_url="/me")
        assert response.status_code == 302 and response.headers["Location"] == "/me"
        page = client.get("/me").get_data(as_text=True)
        assert "den gamle virker ikke længere" in page
        addresses.append(re.search(r"http://localhost(/me/calendar/[A-Za-z0-9_-]+\.ics)", page).group(1))
    old, new = addresses
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(f"/me/calendar/{world.token}.ics").status_code == 404  # the one from the fixture
    assert parse_three_ways(get_calendar(client, new)) == expected(app, world.before, world.after, world.soon,
                                                                   world.boat)
    submit(client, "/logout", form_url="/me")
    assert client.get("/me").status_code == 302
    assert client.get(new).status_code == 200  # calendar apps fetch without logging in


def test_a_volunteer_without_a_calendar_address_can_get_one(app, client, world):
    with app.app_context():
        make_user(email="bo@example.dk")
        db.session.commit()
    login(client, "bo@example.dk")
    assert not re.search(r"/me/calendar/[A-Za-z0-9_-]+\.ics", client.get("/me").get_data(as_text=True))
    submit(client, "/me/calendar/regenerate", form_url="/me")
    page = client.get("/me").get_data(as_text=True)
    assert "Din kalenderadresse er klar" in page
    address = re.search(r"http://localhost(/me/calendar/[A-Za-z0-9_-]+\.ics)", page).group(1)
    assert parse_three_ways(get_calendar(client, address)) == []  # nothing booked yet, still a calendar


def test_regenerating_needs_a_login_and_a_form_token(client, world):
    assert client.post("/me/calendar/regenerate").status_code == 400  # no CSRF token
    assert submit(client, "/me/calendar/regenerate", form_url="/login").status_code == 302  # to the login
    assert client.get(f"/me/calendar/{world.token}.ics").status_code == 200


def test_a_wrong_calendar_token_is_not_found(client, world):
    for token in ("x", world.token[:-1], world.token + "a", world.token.swapcase()):
        assert client.get(f"/me/calendar/{token}.ics").status_code == 404, token


def test_drafts_and_unapproved_organisations_never_reach_the_public_calendars(app, client, world):
    with app.app_context():
        mette = db.session.get(User, world.mette)
        day = to_local(db.session.get(Slot, world.boat).starts_at).date()
        draft = new_task(db.session.get(Organisation, world.engg_id), mette, "Kladde: juletræsfest", publish=False)
        draft_slot = add_slot(draft, day, 9, 10)
        pending = make_organisation(name="Ny forening", status=OrganisationStatus.pending)
        pending_task = make_task(pending, title="Venter på godkendelse")
        pending_slot = make_slot(pending_task, starts_at=to_utc(day, time(12)))
        boats = db.session.get(Organisation, world.boats_id)
        suspended_task = new_task(boats, mette, "Bådelaugets sommerfest")
        suspended_slot = add_slot(suspended_task, day, 15, 17)
        boats.status = OrganisationStatus.suspended
        db.session.commit()
        draft_id, draft_slot, pending_slug = draft.id, draft_slot.id, pending.slug
        hidden_tasks = [draft.id, pending_task.id, suspended_task.id]
        hidden_slots = [draft_slot, pending_slot.id, suspended_slot.id, world.boat]
    for url in ("/calendar.ics", f"/organisations/{world.engg}/calendar.ics"):
        shown = by_uid(get_calendar(client, url))
        assert uid(world.soon) in shown and not {uid(s) for s in hidden_slots} & set(shown), url
    for url in (f"/organisations/{pending_slug}/calendar.ics", f"/organisations/{world.boats}/calendar.ics",
                *(f"/tasks/{t}/calendar.ics" for t in hidden_tasks), *(f"/slots/{s}.ics" for s in hidden_slots)):
        assert client.get(url).status_code == 404, url
    # Publishing the draft is what puts it in the feed.
    with app.app_context():
        tasks.set_status(db.session.get(Task, draft_id), "published")
        db.session.commit()
    assert uid(draft_slot) in by_uid(get_calendar(client, "/calendar.ics"))


def test_the_signup_email_carries_the_time_under_the_same_uid_as_the_feeds(app, client, world, outbox):
    with app.app_context():
        signups.sign_up(make_user(email="bo@example.dk"), db.session.get(Slot, world.soon), now=utcnow())
        db.session.commit()
        [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "bo@example.dk")).all()
        attachment, name, kind = message.attachment, message.attachment_name, message.attachment_type
    assert kind == "text/calendar" and name.endswith(".ics")
    assert_well_formed(attachment)
    assert parse_three_ways(attachment) == expected(app, world.soon)
    assert by_uid(get_calendar(client, "/calendar.ics"))[uid(world.soon)] == expected(app, world.soon)[0]
    [sent] = [m for m in outbox() if m["To"] == "bo@example.dk"]
    [part] = [p for p in sent.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_payload(decode=True) == attachment


def test_calendars_of_things_that_do_not_exist_are_not_found(client, world):
    assert client.get(f"/slots/{max(world.reading_slots) + 100}.ics").status_code == 404
    assert client.get(f"/tasks/{world.bike + 100}/calendar.ics").status_code == 404
    assert client.get("/organisations/findes-ikke/calendar.ics").status_code == 404
