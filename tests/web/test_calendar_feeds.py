"""The calendar addresses of design.md section 4, over HTTP, with data made through the services.

Every feed is read with icalendar, vobject and recurring-ical-events (tests.core.test_ical) and
compared with the slots in the database."""

import re
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.calendar import services as calendar
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import OrganisationStatus, OutboxMessage, Slot, SlotStatus, utcnow
from portal.signups import services as signups
from portal.tasks import services as tasks
from tests.conftest import login, submit
from tests.core.test_ical import Occurrence, assert_well_formed, local_start_hours, parse_three_ways
from tests.factories import make_organisation, make_slot, make_task, make_user

UTC = timezone.utc


def uid(slot) -> str:
    return f"slot-{slot.id}@frivillig.dragoer.dk"


def expected(*slots) -> list[Occurrence]:
    """What a calendar should show for these slots, read back from the database."""
    for slot in slots:
        db.session.refresh(slot)
    return sorted(Occurrence(uid(s), s.starts_at, s.ends_at, f"{s.task.title} – {s.task.organisation.name}",
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
def world(ctx):
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
    past = tasks.add_slot(bike, starts_at=to_utc(today - timedelta(days=3), time(10)),
                          ends_at=to_utc(today - timedelta(days=3), time(12)), capacity=4)
    reading = new_task(engg, mette, "Højtlæsning for beboerne")
    tasks.set_rule(reading, weekdays=[1], every_weeks=1, starts=time(10), ends=time(11), first_date=today,
                   last_date=None, capacity=3, exceptions=[], now=now)
    boat = add_slot(new_task(boats, lars, "Klargøring af både"), today + timedelta(days=10), 9, 12)
    ida = make_user(email="ida@example.dk", name="Ida Holm")
    for slot in (before, after, boat):
        signups.sign_up(ida, slot, now=now)
    token = calendar.regenerate_token(ida)
    db.session.commit()
    return SimpleNamespace(engg=engg, boats=boats, bike=bike, reading=reading, before=before, after=after,
                           past=past, boat=boat, ida=ida, token=token, mette=mette)


def feed_url(world, which: str) -> str:
    return {"public": "/calendar.ics",
            "organisation": f"/organisations/{world.engg.slug}/calendar.ics",
            "task": f"/tasks/{world.bike.id}/calendar.ics",
            "slot": f"/slots/{world.before.id}.ics",
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


def test_the_public_feed_shows_every_upcoming_public_time_alike_in_three_parsers(client, world):
    body = get_calendar(client, "/calendar.ics")
    upcoming = [world.before, world.after, world.boat, *world.reading.slots]
    assert len(world.reading.slots) >= 7  # eight weeks of Tuesdays, made by the rule
    assert parse_three_ways(body) == expected(*upcoming)
    assert uid(world.past) not in body.decode()  # only what is still to come
    # The Thursdays either side of the change to summer time both start at 13 in Copenhagen.
    hours = local_start_hours(body)
    assert hours[uid(world.before)] == hours[uid(world.after)] == (13, 13)


def test_an_organisation_feed_shows_only_that_organisations_times(client, world):
    body = get_calendar(client, f"/organisations/{world.engg.slug}/calendar.ics")
    assert parse_three_ways(body) == expected(world.before, world.after, *world.reading.slots)
    assert "X-WR-CALNAME:Enggården – Dragør Frivillig" in body.decode()
    other = get_calendar(client, f"/organisations/{world.boats.slug}/calendar.ics")
    assert parse_three_ways(other) == expected(world.boat)


def test_a_task_feed_shows_only_that_tasks_upcoming_times(client, world):
    body = get_calendar(client, f"/tasks/{world.bike.id}/calendar.ics")
    assert parse_three_ways(body) == expected(world.before, world.after)


def test_add_to_calendar_downloads_one_event_as_an_attachment(client, world):
    response = client.get(f"/slots/{world.before.id}.ics")
    assert response.headers["Content-Disposition"] == f'attachment; filename="frivillig-{world.before.id}.ics"'
    body = get_calendar(client, f"/slots/{world.before.id}.ics")
    assert parse_three_ways(body) == expected(world.before)
    assert body.count(b"BEGIN:VEVENT") == 1


def test_the_personal_feed_shows_the_volunteers_own_times(client, world):
    body = get_calendar(client, f"/me/calendar/{world.token}.ics")
    assert parse_three_ways(body) == expected(world.before, world.after, world.boat)
    assert "X-WR-CALNAME:Mine frivillige opgaver" in body.decode()


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
def test_a_new_time_changes_the_etag_and_raises_the_sequence_under_the_same_uid(client, world, which):
    url = feed_url(world, which)
    first = client.get(url)
    old = by_uid(first.data)[uid(world.before)]
    moved = world.before.starts_at + timedelta(hours=1)
    tasks.change_slot(world.before, starts_at=moved, ends_at=moved + timedelta(hours=2), capacity=4,
                      place_note="Mødested: hovedindgangen", now=utcnow())
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200 and response.headers["ETag"] != first.headers["ETag"]
    new = by_uid(response.data)[uid(world.before)]
    assert new.uid == old.uid and new.sequence == old.sequence + 1
    assert (new.starts_at, new.ends_at) == (moved, moved + timedelta(hours=2))
    assert "hovedindgangen" in response.data.decode()


def test_the_personal_feed_keeps_cancelled_times_as_cancelled(client, world):
    """A subscribed calendar removes a time only if the feed says it is cancelled; a time that
    simply vanished could stay in some calendars."""
    url = f"/me/calendar/{world.token}.ics"
    before = by_uid(get_calendar(client, url))
    [mine] = [s for s in signups.overview(world.ida, now=utcnow()).upcoming if s.slot_id == world.after.id]
    signups.cancel(mine, now=utcnow())                     # Ida cancels one time herself
    tasks.cancel_slot(world.boat, now=utcnow())            # the boat club cancels another
    db.session.commit()
    after = by_uid(get_calendar(client, url))
    assert set(after) == {uid(world.before), uid(world.after), uid(world.boat)}
    assert after[uid(world.before)] == before[uid(world.before)]
    for gone in (world.after, world.boat):
        assert after[uid(gone)].status == "CANCELLED"
        assert after[uid(gone)].sequence > before[uid(gone)].sequence
        assert after[uid(gone)].starts_at == before[uid(gone)].starts_at
    # The public feeds simply stop listing a cancelled time; Ida's cancelling does not touch them.
    public = by_uid(get_calendar(client, "/calendar.ics"))
    assert uid(world.boat) not in public and public[uid(world.after)].status == "CONFIRMED"


def test_cancelling_and_signing_up_again_raise_the_personal_sequence_each_time(client, world):
    """Calendars that honour SEQUENCE must never keep the older of two versions of a time."""
    url = f"/me/calendar/{world.token}.ics"
    seen = [by_uid(get_calendar(client, url))[uid(world.before)]]
    [signup] = [s for s in signups.overview(world.ida, now=utcnow()).upcoming if s.slot_id == world.before.id]
    signups.cancel(signup, now=utcnow())
    db.session.commit()
    seen.append(by_uid(get_calendar(client, url))[uid(world.before)])
    signups.sign_up(world.ida, world.before, now=utcnow())
    db.session.commit()
    seen.append(by_uid(get_calendar(client, url))[uid(world.before)])
    assert [o.status for o in seen] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert seen[0].sequence < seen[1].sequence < seen[2].sequence


def test_a_new_calendar_address_retires_the_old_one(client, world):
    login(client, "ida@example.dk")
    addresses = []
    for _ in range(2):
        response = submit(client, "/me/calendar/regenerate", form_url="/me")
        assert response.status_code == 302 and response.headers["Location"] == "/me"
        page = client.get("/me").get_data(as_text=True)
        addresses.append(re.search(r"http://localhost(/me/calendar/[A-Za-z0-9_-]+\.ics)", page).group(1))
    old, new = addresses
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(f"/me/calendar/{world.token}.ics").status_code == 404  # the one from the fixture
    assert parse_three_ways(get_calendar(client, new)) == expected(world.before, world.after, world.boat)
    client.get("/logout")
    assert client.get(new).status_code == 200  # calendar apps fetch without logging in


def test_regenerating_needs_a_login(client, world):
    response = client.post("/me/calendar/regenerate")
    assert response.status_code in (302, 400, 401)
    assert client.get(f"/me/calendar/{world.token}.ics").status_code == 200


def test_a_wrong_calendar_token_is_not_found(client, world):
    for token in ("x", world.token[:-1], world.token + "a", world.token.upper()):
        if token != world.token:
            assert client.get(f"/me/calendar/{token}.ics").status_code == 404, token


def test_drafts_and_unapproved_organisations_never_reach_the_public_calendars(client, world):
    draft = new_task(world.engg, world.mette, "Kladde: juletræsfest", publish=False)
    draft_slot = add_slot(draft, to_local(world.before.starts_at).date(), 9, 10)
    pending = make_organisation(name="Ny forening", status=OrganisationStatus.pending)
    pending_task = make_task(pending, title="Venter på godkendelse")
    pending_slot = make_slot(pending_task, starts_at=world.boat.starts_at)
    suspended_task = new_task(world.boats, world.mette, "Bådelaugets sommerfest")
    suspended_slot = add_slot(suspended_task, to_local(world.boat.starts_at).date(), 15, 17)
    world.boats.status = OrganisationStatus.suspended
    db.session.commit()
    hidden = {uid(draft_slot), uid(pending_slot), uid(suspended_slot), uid(world.boat)}
    for url in ("/calendar.ics", f"/organisations/{world.engg.slug}/calendar.ics"):
        assert not hidden & set(by_uid(get_calendar(client, url))), url
    for url in (f"/organisations/{pending.slug}/calendar.ics", f"/organisations/{world.boats.slug}/calendar.ics",
                f"/tasks/{draft.id}/calendar.ics", f"/tasks/{pending_task.id}/calendar.ics",
                f"/tasks/{suspended_task.id}/calendar.ics", f"/slots/{draft_slot.id}.ics",
                f"/slots/{pending_slot.id}.ics", f"/slots/{suspended_slot.id}.ics"):
        assert client.get(url).status_code == 404, url
    # Publishing the draft is what puts it in the feed.
    tasks.set_status(draft, "published")
    db.session.commit()
    assert uid(draft_slot) in by_uid(get_calendar(client, "/calendar.ics"))


def test_the_signup_email_carries_the_time_under_the_same_uid_as_the_feeds(client, world, outbox):
    bo = make_user(email="bo@example.dk")
    signups.sign_up(bo, world.after, now=utcnow())
    db.session.commit()
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "bo@example.dk")).all()
    assert message.attachment_type == "text/calendar" and message.attachment_name.endswith(".ics")
    assert_well_formed(message.attachment)
    assert parse_three_ways(message.attachment) == expected(world.after)
    assert by_uid(get_calendar(client, "/calendar.ics"))[uid(world.after)] == expected(world.after)[0]
    [sent] = [m for m in outbox() if m["To"] == "bo@example.dk"]
    [part] = [p for p in sent.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_payload(decode=True) == message.attachment


def test_a_slot_that_is_gone_is_not_found(client, world):
    missing = db.session.scalar(select(Slot.id).order_by(Slot.id.desc())) + 1
    assert client.get(f"/slots/{missing}.ics").status_code == 404
    assert client.get("/tasks/999999/calendar.ics").status_code == 404
    assert client.get("/organisations/findes-ikke/calendar.ics").status_code == 404
