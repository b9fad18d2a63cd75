"""The personal feed is written from one row per time, its signups summed up in SQL, and streamed
(portal.calendar.services._personal_body). Its bytes must be exactly those of the rule worked
out signup by signup from the ORM objects, the way it reads in the docstring: SEQUENCE rises by
one for every own cancelling and signing up again, DTSTAMP is the latest of the slot's change
and the person's own steps, a time is cancelled when the slot is or no live signup is left, and
offers that were declined or ran out were never the person's times."""

import dataclasses
from datetime import timedelta

from sqlalchemy import select

from portal.calendar import services as calendar
from portal.core import ical
from portal.extensions import db
from portal.models import Signup, SignupState, Slot, SlotStatus, User, utcnow
from portal.signups import services as signups
from portal.tasks import services as tasks
from tests.web.test_calendar_feeds import cancel_own_signup, world  # noqa: F401 (world is a fixture)


def signup_by_signup(user_id: int) -> bytes:
    """The personal feed from the ORM objects, one signup at a time."""
    now = utcnow()
    window = ical.feed_window(now, days_back=calendar.PERSONAL_DAYS_BACK)
    theirs = [s for s in db.session.scalars(select(Signup).where(Signup.user_id == user_id).order_by(Signup.id))
              if s.state is SignupState.confirmed
              or (s.state is SignupState.cancelled and s.cancel_reason not in ("declined", "offer_expired"))]
    by_slot: dict[int, list[Signup]] = {}
    for signup in theirs:
        if signup.slot.ends_at > window.starts:
            by_slot.setdefault(signup.slot_id, []).append(signup)
    events = []
    for slot_id in sorted(by_slot, key=lambda i: (by_slot[i][0].slot.starts_at, i)):
        mine, slot = by_slot[slot_id], by_slot[slot_id][0].slot
        live = any(s.state is SignupState.confirmed for s in mine)
        cancellations = sum(s.state is SignupState.cancelled for s in mine)
        stamp = max([slot.updated_at] + [s.created_at for s in mine] + [s.cancelled_at for s in mine if s.cancelled_at])
        events.append(dataclasses.replace(calendar.event_for(slot), stamp=stamp,
                                          sequence=slot.sequence + 2 * cancellations - (0 if live else 1),
                                          cancelled=slot.status is SlotStatus.cancelled or not live))
    return ical.build_calendar(events, name="Mine frivillige opgaver", key=f"user-{user_id}",
                               description=f"Dine frivillige tider fra de sidste {calendar.PERSONAL_DAYS_BACK} dage "
                                           f"og fremover. " + calendar._cap_note(calendar.PERSONAL_CAP))


def test_the_personal_feed_has_the_bytes_of_the_rule_worked_out_signup_by_signup(app, client, world):
    url = f"/me/calendar/{world.token}.ics"
    # Ida cancels one time and signs up for it again, cancels another for good; the boat club
    # cancels a third; a declined offer for the fourth is no cancelling of hers, and an old
    # cancelling of it, stored last, is the latest step of all (its DTSTAMP).
    cancel_own_signup(app, world.ida, world.before)
    with app.app_context():
        signups.sign_up(db.session.get(User, world.ida), db.session.get(Slot, world.before), now=utcnow())
        db.session.commit()
    cancel_own_signup(app, world.ida, world.soon)
    with app.app_context():
        tasks.cancel_slot(db.session.get(Slot, world.boat), now=utcnow())
        later = utcnow() + timedelta(minutes=5)
        db.session.add(Signup(slot_id=world.after, user_id=world.ida, state=SignupState.cancelled,
                              cancel_reason="declined", created_at=later, cancelled_at=later))
        db.session.add(Signup(slot_id=world.after, user_id=world.ida, state=SignupState.cancelled,
                              created_at=later - timedelta(days=1), cancelled_at=later + timedelta(minutes=1)))
        db.session.commit()
    body = client.get(url).data
    with app.test_request_context():
        assert body == signup_by_signup(world.ida)
    # Every kind of history is there, so the comparison covers each branch of the rule.
    text = body.decode()
    assert text.count("STATUS:CANCELLED") == 2 and text.count("STATUS:CONFIRMED") == 2
    assert "SEQUENCE:2" in text
