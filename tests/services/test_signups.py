"""Sign-up rules through the services and the real database."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.followup import services as followup
from portal.models import OutboxMessage, Signup, SignupState, SlotStatus, VolunteerProfile
from portal.signups import services as signups
from portal.tasks import services as tasks
from tests.factories import make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
THURSDAY = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(ctx):
    admin = make_user(email="mette@example.dk")
    org = make_organisation(admin=admin, name="Enggården")
    task = make_task(org, title="Cykeltur med beboere")
    slot = make_slot(task, starts_at=THURSDAY, capacity=2)
    return org, task, slot


def confirmed_count(slot):
    return db.session.scalar(select(func.count(Signup.id)).where(Signup.slot_id == slot.id,
                                                                  Signup.state == SignupState.confirmed))


def mails(to, template_word):
    return [m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == to))
            if template_word in m.subject]


def test_signing_up_takes_a_seat_and_mails_a_calendar_invitation(world):
    org, task, slot = world
    ida = make_user(email="ida@example.dk")
    signup = signups.sign_up(ida, slot, now=NOW)
    assert signup.state is SignupState.confirmed and slot.taken == 1 == confirmed_count(slot)
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "ida@example.dk")).all()
    assert mail.attachment_name.endswith(".ics") and b"BEGIN:VEVENT" in mail.attachment


def test_a_second_signup_by_the_same_person_is_refused(world):
    org, task, slot = world
    ida = make_user()
    signups.sign_up(ida, slot, now=NOW)
    with pytest.raises(signups.AlreadySignedUp):
        signups.sign_up(ida, slot, now=NOW)
    assert slot.taken == 1


def test_a_full_slot_raises_and_the_waitlist_shows_the_position(world):
    org, task, slot = world
    for _ in range(2):
        signups.sign_up(make_user(), slot, now=NOW)
    late = make_user()
    with pytest.raises(signups.SlotFull):
        signups.sign_up(late, slot, now=NOW)
    first = signups.join_waitlist(late, slot, now=NOW)
    second = signups.join_waitlist(make_user(), slot, now=NOW + timedelta(minutes=1))
    assert (signups.waitlist_position(first), signups.waitlist_position(second)) == (1, 2)
    assert slot.taken == 2 == confirmed_count(slot)


def test_ineligible_people_are_refused_with_the_reason(world):
    org, task, slot = world
    task.min_age = 18
    teen = make_user(birth_date=date(2011, 1, 1))
    with pytest.raises(signups.NotEligible) as error:
        signups.sign_up(teen, slot, now=NOW)
    assert "18" in str(error.value.message)
    assert slot.taken == 0


def test_børneattest_recorded_by_the_organisation_lets_a_person_in(world):
    org, task, slot = world
    task.needs_child_certificate = True
    ida = make_user()
    with pytest.raises(signups.NotEligible):
        signups.sign_up(ida, slot, now=NOW)
    followup.set_clearance(org.id, ida, approved=True, checked_on=date(2026, 11, 1), checked_by=org.memberships[0].user)
    assert signups.sign_up(ida, slot, now=NOW).state is SignupState.confirmed


def test_the_monthly_cap_from_the_profile_is_respected(world):
    org, task, slot = world
    ida = make_user()
    db.session.add(VolunteerProfile(user_id=ida.id, max_hours_per_month=1))
    signups.sign_up(ida, slot, now=NOW)
    other = make_slot(task, starts_at=THURSDAY + timedelta(days=1))
    with pytest.raises(signups.NotEligible) as error:
        signups.sign_up(ida, other, now=NOW)
    assert "1" in str(error.value.message)


def test_cancelling_frees_the_seat_and_holds_it_for_the_first_in_line(world):
    org, task, slot = world
    anna, bo = make_user(email="anna@example.dk"), make_user(email="bo@example.dk")
    first = signups.sign_up(anna, slot, now=NOW)
    signups.sign_up(make_user(), slot, now=NOW)
    waiting = signups.join_waitlist(bo, slot, now=NOW)
    signups.cancel(first, now=NOW)
    assert waiting.state is SignupState.offered and slot.taken == 2  # the seat is held for Bo
    assert waiting.offer_expires_at == NOW + timedelta(hours=24)
    with pytest.raises(signups.SlotFull):
        signups.sign_up(make_user(), slot, now=NOW)  # nobody can grab the held seat
    signups.accept(waiting, now=NOW + timedelta(hours=1))
    assert waiting.state is SignupState.confirmed and slot.taken == 2 == confirmed_count(slot)
    assert mails("bo@example.dk", "")  # the offer and the confirmation


def test_an_unanswered_offer_passes_to_the_next(world):
    org, task, slot = world
    signups.sign_up(make_user(), slot, now=NOW)
    leaving = signups.sign_up(make_user(), slot, now=NOW)
    first = signups.join_waitlist(make_user(), slot, now=NOW)
    second = signups.join_waitlist(make_user(), slot, now=NOW + timedelta(seconds=1))
    signups.cancel(leaving, now=NOW)
    assert first.state is SignupState.offered
    assert signups.expire_offers(now=NOW + timedelta(hours=25)) == 1
    assert first.state is SignupState.cancelled and first.cancel_reason == "offer_expired"
    assert second.state is SignupState.offered and slot.taken == 2
    with pytest.raises(Exception):
        signups.accept(first, now=NOW + timedelta(hours=25))


def test_offers_end_two_hours_before_the_start(world):
    org, task, slot = world
    leaving = signups.sign_up(make_user(), slot, now=NOW)
    signups.sign_up(make_user(), slot, now=NOW)
    waiting = signups.join_waitlist(make_user(), slot, now=NOW)
    later = THURSDAY - timedelta(hours=30)  # 30 h before: 24 h would end 6 h before, fine
    signups.cancel(leaving, now=later)
    assert waiting.offer_expires_at == later + timedelta(hours=24)
    tight = make_slot(task, starts_at=NOW + timedelta(hours=25), capacity=1)
    leaving = signups.sign_up(make_user(), tight, now=NOW)
    waiting = signups.join_waitlist(make_user(), tight, now=NOW)
    signups.cancel(leaving, now=NOW)
    assert waiting.offer_expires_at == tight.starts_at - timedelta(hours=2)


def test_inside_the_last_24_hours_the_first_to_accept_gets_the_place(world):
    org, task, slot = world
    task.cancel_deadline_hours = 2
    soon = THURSDAY - timedelta(hours=10)
    leaving = signups.sign_up(make_user(), slot, now=NOW)
    signups.sign_up(make_user(), slot, now=NOW)
    a = signups.join_waitlist(make_user(email="a@example.dk"), slot, now=NOW)
    b = signups.join_waitlist(make_user(email="b@example.dk"), slot, now=NOW + timedelta(seconds=1))
    signups.cancel(leaving, now=soon)
    assert a.state is b.state is SignupState.waitlisted and slot.taken == 1
    assert mails("a@example.dk", "") and mails("b@example.dk", "")  # both are told
    signups.accept(b, now=soon + timedelta(minutes=5))
    assert b.state is SignupState.confirmed and slot.taken == 2
    with pytest.raises(signups.SlotFull):
        signups.accept(a, now=soon + timedelta(minutes=6))
    assert a.state is SignupState.waitlisted


def test_cancelling_after_the_deadline_is_refused(world):
    org, task, slot = world
    signup = signups.sign_up(make_user(), slot, now=NOW)
    with pytest.raises(signups.TooLateToCancel):
        signups.cancel(signup, now=THURSDAY - timedelta(hours=3))
    assert signup.state is SignupState.confirmed and slot.taken == 1


def test_a_series_books_every_thursday_in_range_and_skips_full_ones(world):
    org, _, _ = world
    task = make_task(org, title="Cykeltur hver torsdag", kind="recurring")
    tasks.set_rule(task, weekdays=[3], every_weeks=1, starts=datetime(2026, 1, 1, 13).time(),
                   ends=datetime(2026, 1, 1, 14).time(), first_date=date(2026, 11, 26), last_date=None,
                   capacity=6, exceptions=[], now=NOW)
    thursdays = signups.sign_up_series(make_user(email="ida@example.dk"), task, first=date(2026, 11, 26),
                                       last=date(2026, 12, 10), now=NOW)
    assert [s.occurrence_date for s in thursdays.signed] == [date(2026, 11, 26), date(2026, 12, 3), date(2026, 12, 10)]
    assert len(mails("ida@example.dk", "")) == 1  # one e-mail for the series
    full = task.slots[3]
    full.capacity, full.taken = 1, 1
    again = signups.sign_up_series(make_user(), task, first=date(2026, 11, 26), last=date(2026, 12, 17), now=NOW)
    assert len(again.signed) == 3 and [s for s, _ in again.skipped] == [full]


def test_capacity_cannot_silently_drop_below_the_signed_up(world):
    org, task, slot = world
    signups.sign_up(make_user(), slot, now=NOW)
    signups.sign_up(make_user(), slot, now=NOW)
    with pytest.raises(tasks.CapacityBelowTaken):
        tasks.change_slot(slot, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=1, place_note=None, now=NOW)
    waiting = signups.join_waitlist(make_user(), slot, now=NOW)
    tasks.change_slot(slot, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=3, place_note=None, now=NOW)
    assert waiting.state is SignupState.offered and slot.taken == 3


def test_a_new_time_tells_everyone_and_bumps_the_sequence(world):
    org, task, slot = world
    signups.sign_up(make_user(email="ida@example.dk"), slot, now=NOW)
    tasks.change_slot(slot, starts_at=THURSDAY + timedelta(hours=1), ends_at=THURSDAY + timedelta(hours=2),
                      capacity=2, place_note="Mødested: hovedindgangen", now=NOW)
    assert slot.sequence == 1
    assert len(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "ida@example.dk")).all()) == 2


def test_cancelling_a_slot_cancels_its_signups_and_tells_them(world):
    org, task, slot = world
    signup = signups.sign_up(make_user(email="ida@example.dk"), slot, now=NOW)
    tasks.cancel_slot(slot, now=NOW)
    db.session.refresh(signup)
    assert slot.status is SlotStatus.cancelled and slot.taken == 0 and slot.sequence == 1
    assert signup.state is SignupState.cancelled and signup.cancel_reason == "slot_cancelled"


def test_reminders_go_out_once_24_hours_before(world):
    org, task, slot = world
    signups.sign_up(make_user(email="ida@example.dk"), slot, now=NOW)
    assert signups.send_reminders(now=THURSDAY - timedelta(hours=30)) == 0
    assert signups.send_reminders(now=THURSDAY - timedelta(hours=20)) == 1
    assert signups.send_reminders(now=THURSDAY - timedelta(hours=19)) == 0


def test_materialising_twice_makes_nothing_new(world):
    org, task, slot = world
    made = tasks.set_rule(task, weekdays=[3], every_weeks=2, starts=datetime(2026, 1, 1, 13).time(),
                          ends=datetime(2026, 1, 1, 14).time(), first_date=date(2026, 11, 26), last_date=None,
                          capacity=6, exceptions=[date(2026, 12, 10)], now=NOW)
    assert made == 3  # 26/11, (10/12 is an exception), 24/12, 7/1 within 8 weeks
    assert tasks.materialise(task, now=NOW) == 0
    assert tasks.materialise_all(now=NOW + timedelta(days=14)) == 1


def test_change_and_cancel_mails_carry_a_calendar_update_with_the_same_uid(world):
    from icalendar import Calendar
    org, task, slot = world
    signup = signups.sign_up(make_user(email="ida@example.dk"), slot, now=NOW)
    tasks.change_slot(slot, starts_at=THURSDAY + timedelta(hours=1), ends_at=THURSDAY + timedelta(hours=2),
                      capacity=2, place_note=None, now=NOW)
    signups.cancel(signup, now=NOW)
    invitation, changed, cancelled = [
        Calendar.from_ical(m.attachment).walk("VEVENT")[0] for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_email == "ida@example.dk").order_by(OutboxMessage.id))]
    assert invitation["UID"] == changed["UID"] == cancelled["UID"]
    assert invitation["SEQUENCE"] < changed["SEQUENCE"] < cancelled["SEQUENCE"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert changed.decoded("DTSTART").astimezone(timezone.utc) == THURSDAY + timedelta(hours=1)


def test_tasks_are_placed_by_the_typed_point_or_else_by_the_gazetteer(ctx):
    org = make_organisation(admin=make_user())
    author = org.memberships[0].user
    from portal.models import Category
    category = db.session.scalar(select(Category.id))
    common = dict(kind="one_off", category_id=category, physical_demand="light", publish=True, now=NOW,
                  title="Gåtur", description="Vi går en tur i byen sammen.", address="Hovedgaden 3",
                  contact_name="Mette", contact_email="m@example.dk", cancel_deadline_hours=24)
    in_town = tasks.create_task(org, author, postcode="2791", city="Store Magleby", **common)
    assert (in_town.latitude, in_town.longitude) == (55.59611, 12.63528)
    typed = tasks.create_task(org, author, postcode="2791", city="Dragør", point="55.5901, 12.6804", **common)
    assert (typed.latitude, typed.longitude) == (55.5901, 12.6804)
    unknown = tasks.create_task(org, author, postcode="8000", city="Aarhus C", **common)
    assert unknown.latitude is None
