"""A task title or organisation name stored with a line break or control character (before
the forms refused them, by a command or straight into the database) must not break anything a
person notices: the sign-up goes through and its confirmation mail carries a calendar file
every parser reads; every calendar address still serves a feed icalendar and vobject read."""

from datetime import time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.calendar import services as calendar
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import OutboxMessage, Signup, SignupState, Slot, utcnow
from tests.conftest import login, submit
from tests.core.test_ical import assert_well_formed, parse_three_ways, read_with_vobject
from tests.factories import make_organisation, make_slot, make_task, make_user

TITLES = ["Gåtur\r\nmed kaffe", "Gåtur\nmed kaffe", "Gåtur\rmed kaffe", "Gåtur\x07med\x1bkaffe\x7f",
          "Gåtur\u2028med\x85kaffe", "Gåtur\x00med kaffe"]


@pytest.fixture(params=TITLES, ids=["crlf", "lf", "cr", "controls", "unicode-breaks", "nul"])
def stored(request, app):
    title = request.param
    with app.app_context():
        if "\x00" in title and db.engine.dialect.name == "postgresql":
            pytest.skip("PostgreSQL cannot store a NUL byte, so none can be stored to break a feed")
        mette = make_user(email="mette@example.dk")
        org = make_organisation(admin=mette, name="Ældresagen\r\nDragør\x07")
        task = make_task(org, title=title)
        task.description = "Første linje\r\nAnden linje\x07"
        day = to_local(utcnow()).date() + timedelta(days=10)
        slot = make_slot(task, starts_at=to_utc(day, time(10)), hours=2)
        ida = make_user(email="ida@example.dk", name="Ida\r\nBcc: evil@example.com")
        token = calendar.regenerate_token(ida)
        db.session.commit()
        return dict(task=task.id, slot=slot.id, slug=org.slug, token=token, ida=ida.id)


def _words(text: str) -> list[str]:
    return text.split()


def _check_feed(body: bytes, slot_id: int) -> None:
    assert_well_formed(body)
    text = body.decode("utf-8").replace("\r\n", "")
    assert not [c for c in text if ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c in "\u2028\u2029"]
    [occurrence] = [o for o in parse_three_ways(body) if o.uid == f"slot-{slot_id}@frivillig.dragoer.dk"]
    assert _words(occurrence.summary) == ["Gåtur", "med", "kaffe", "–", "Ældresagen", "Dragør"]
    [event] = [e for e in read_with_vobject(body).vevent_list if e.uid.value == occurrence.uid]
    assert _words(event.organizer.params["CN"][0]) == ["Ældresagen", "Dragør"]
    assert event.description.value.startswith("Første linje\nAnden linje")


def test_every_calendar_address_still_serves_a_readable_feed(app, client, stored):
    for url in ("/calendar.ics", f"/tasks/{stored['task']}/calendar.ics",
                f"/organisations/{stored['slug']}/calendar.ics", f"/slots/{stored['slot']}.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        _check_feed(response.data, stored["slot"])
    task_feed = Calendar.from_ical(client.get(f"/tasks/{stored['task']}/calendar.ics").data)
    assert _words(str(task_feed["X-WR-CALNAME"])) == ["Gåtur", "med", "kaffe"]
    org_feed = Calendar.from_ical(client.get(f"/organisations/{stored['slug']}/calendar.ics").data)
    assert _words(str(org_feed["X-WR-CALNAME"])) == ["Ældresagen", "Dragør", "–", "Dragør", "Frivillig"]


def test_signing_up_works_and_the_confirmation_with_its_calendar_file_is_delivered(app, client, stored, outbox):
    login(client, "ida@example.dk")
    response = submit(client, f"/slots/{stored['slot']}/signup", {"action": "signup"},
                      form_url=f"/tasks/{stored['task']}")
    assert response.status_code == 302
    with app.app_context():
        signup = db.session.scalars(select(Signup).where(Signup.slot_id == stored["slot"])).one()
        assert signup.state is SignupState.confirmed
        assert db.session.get(Slot, stored["slot"]).taken == 1
        [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "ida@example.dk"))
        assert "\n" not in message.subject and "\r" not in message.subject
        attachment = message.attachment
    _check_feed(attachment, stored["slot"])
    [sent] = [m for m in outbox() if m["To"] == "ida@example.dk"]
    assert _words(sent["Subject"])[-3:] == ["Gåtur", "med", "kaffe"]
    assert sent.get_all("Bcc") is None
    [part] = [p for p in sent.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_payload(decode=True) == attachment
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))) is None
    # The personal feed shows the new time too.
    _check_feed(client.get(f"/me/calendar/{stored['token']}.ics").data, stored["slot"])


def test_an_organisation_slug_stored_with_a_line_break_still_serves_its_feed(app, client):
    with app.app_context():
        org = make_organisation(admin=make_user(email="mette@example.dk"))
        org.slug = 'bad"\nslug'
        make_slot(make_task(org), starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
    response = client.get("/organisations/bad%22%0Aslug/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'inline; filename="bad-slug.ics"'
    assert_well_formed(response.data)
