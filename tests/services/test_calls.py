"""Calls for input, the rules: who may ask, the deadline, the place of a "near" call, one answer per
person counted once, closing only after the deadline with a note that reaches everyone who answered,
and the owner's reminder sent at most every three days, once across concurrent ticks."""

import threading
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from portal import jobs
from portal.calls import queries, services
from portal.calls.errors import CallError
from portal.core.timeutil import to_local
from portal.database import write_transaction
from portal.errors import DomainError, InvalidState, NotAllowed
from portal.extensions import db
from portal.models import (Call, CallAnswer, CallAudience, CallStatus, OrganisationStatus,
                           OutboxMessage, VolunteerProfile, utcnow)
from tests.factories import add_member, make_call, make_organisation, make_task, make_user


def _fields(days=14, **overrides):
    day = to_local(utcnow()).date() + timedelta(days=days)
    values = dict(title="Hvad skal biblioteket bruge de frivillige til?",
                  question="Hvilke aktiviteter på biblioteket ville du komme til?",
                  background="Vi planlægger næste års program.", closes_on=day, closes_time=time(12))
    values.update(overrides)
    return services.CallFields(**values)


@pytest.fixture
def world(ctx):
    librarian, admin, coordinator = make_user(name="Sanne Bech"), make_user(name="Bo Admin"), make_user(coordinator=True)
    library = make_organisation(admin=admin, name="Dragør Bibliotek")
    add_member(library, librarian)
    return dict(library=library, librarian=librarian, admin=admin, coordinator=coordinator, citizen=make_user(
        name="Karen Holm", email="karen@example.dk"))


def _mail_to(email):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == email)).all()


def test_a_contact_person_posts_for_the_organisation_and_the_coordinator_for_the_municipality(world):
    w = world
    call = services.create_call(w["librarian"], w["library"], _fields(), publish=True, now=utcnow())
    assert call.status is CallStatus.open and call.organisation_id == w["library"].id and call.published_at
    assert to_local(call.closes_at).time() == time(12), "the deadline is entered in Danish time"
    municipal = services.create_call(w["coordinator"], None, _fields(), publish=False, now=utcnow())
    assert municipal.status is CallStatus.draft and municipal.organisation_id is None
    assert services.asker_name(municipal) == "Dragør Kommune"
    with pytest.raises(NotAllowed):
        services.create_call(w["citizen"], w["library"], _fields(), publish=True, now=utcnow())
    with pytest.raises(NotAllowed):
        services.create_call(w["librarian"], None, _fields(), publish=True, now=utcnow())


def test_an_organisation_not_yet_approved_cannot_ask(world):
    pending = make_organisation(admin=world["librarian"], status=OrganisationStatus.pending)
    with pytest.raises(InvalidState):
        services.create_call(world["librarian"], pending, _fields(), publish=True, now=utcnow())


def test_the_deadline_must_be_in_the_future_and_within_a_year(world):
    with pytest.raises(CallError) as past:
        services.create_call(world["librarian"], world["library"], _fields(days=-1), publish=True, now=utcnow())
    assert past.value.field == "closes_on"
    with pytest.raises(CallError):
        services.create_call(world["librarian"], world["library"], _fields(days=400), publish=True, now=utcnow())


def test_a_near_call_is_placed_by_the_gazetteer_and_an_unknown_place_is_refused(world):
    call = services.create_call(world["librarian"], world["library"],
                                _fields(audience="near", postcode="2791", place_name="Store Magleby", radius_km=2.0),
                                publish=True, now=utcnow())
    assert (round(call.latitude, 2), round(call.longitude, 2)) == (55.60, 12.64) and call.radius_km == 2.0
    with pytest.raises(CallError) as unknown:
        services.create_call(world["librarian"], world["library"],
                             _fields(audience="near", postcode="9990", radius_km=2.0), publish=True, now=utcnow())
    assert unknown.value.field == "postcode"
    with pytest.raises(CallError) as no_radius:
        services.create_call(world["librarian"], world["library"], _fields(audience="near", postcode="2791"),
                             publish=True, now=utcnow())
    assert no_radius.value.field == "radius_km"


def test_the_meeting_is_a_published_task_of_the_organisation(world):
    own = make_task(world["library"], title="Borgermøde på biblioteket")
    other = make_task(make_organisation(admin=make_user()), title="Andres opgave")
    call = services.create_call(world["librarian"], world["library"], _fields(meeting_task_id=own.id),
                                publish=True, now=utcnow())
    assert call.meeting_task_id == own.id
    for wrong in (other.id, 2**40, -3):
        with pytest.raises(CallError):
            services.create_call(world["librarian"], world["library"], _fields(meeting_task_id=wrong),
                                 publish=True, now=utcnow())
    # The municipality may hold its meeting at any approved organisation's task.
    municipal = services.create_call(world["coordinator"], None, _fields(meeting_task_id=other.id), publish=True,
                                     now=utcnow())
    assert municipal.meeting_task_id == other.id


def test_one_answer_per_person_counted_once_and_changeable_until_the_deadline(world):
    call = make_call(organisation=world["library"], owner=world["librarian"])
    first = services.answer(call, world["citizen"], body="Læsecirkel for unge", show_name=False, now=utcnow())
    again = services.answer(call, world["citizen"], body="Læsecirkel og brætspil", show_name=True, now=utcnow())
    assert first.id == again.id and again.body == "Læsecirkel og brætspil" and again.show_name
    services.answer(call, world["admin"], body="Lektiecafé", show_name=False, now=utcnow())
    db.session.refresh(call)
    assert call.answer_count == 2
    assert db.session.scalar(select(func.count(CallAnswer.id)).where(CallAnswer.call_id == call.id)) == 2
    with pytest.raises(InvalidState):
        services.answer(call, world["citizen"], body="For sent", show_name=False, now=call.closes_at)
    with pytest.raises(InvalidState):
        services.answer(call, make_user(), body="For sent", show_name=False, now=call.closes_at + timedelta(seconds=1))
    db.session.refresh(call)
    assert call.answer_count == 2


def test_a_draft_takes_no_answers(world):
    call = make_call(organisation=world["library"], owner=world["librarian"], status="draft")
    with pytest.raises(InvalidState):
        services.answer(call, world["citizen"], body="Hej", show_name=False, now=utcnow())


def test_closing_only_after_the_deadline_and_everyone_who_answered_is_told_in_their_language(world):
    w = world
    call = make_call(organisation=w["library"], owner=w["librarian"], title="Bibliotekets frivillige")
    english = make_user(email="tourist@example.dk", name="Sam Jones")
    english.locale = "en"
    services.answer(call, w["citizen"], body="Højtlæsning", show_name=False, now=utcnow())
    services.answer(call, english, body="Language café", show_name=True, now=utcnow())
    with pytest.raises(InvalidState):
        services.close_call(call, w["librarian"], outcome="Vi starter en sprogcafé.", now=utcnow())
    with pytest.raises(NotAllowed):
        services.close_call(call, w["citizen"], outcome="Vi starter en sprogcafé.", now=call.closes_at)
    told = services.close_call(call, w["librarian"], outcome="Vi starter en sprogcafé i januar.",
                               now=call.closes_at + timedelta(hours=1))
    assert told == 2 and call.status is CallStatus.closed and call.outcome == "Vi starter en sprogcafé i januar."
    [danish] = _mail_to("karen@example.dk")
    [english_mail] = _mail_to("tourist@example.dk")
    assert "Vi starter en sprogcafé i januar." in danish.body_text and "Bibliotekets frivillige" in danish.subject
    assert "Vi starter en sprogcafé i januar." in english_mail.body_text and "What came of it" in english_mail.subject
    with pytest.raises(InvalidState):
        services.close_call(call, w["librarian"], outcome="Igen", now=call.closes_at + timedelta(hours=2))


def test_the_database_refuses_a_closed_call_without_a_note(world):
    call = make_call(organisation=world["library"], owner=world["librarian"])
    call.status = CallStatus.closed
    with pytest.raises(Exception):
        db.session.flush()
    db.session.rollback()


def test_editing_stops_at_the_deadline(world):
    call = services.create_call(world["librarian"], world["library"], _fields(), publish=False, now=utcnow())
    services.update_call(call, world["admin"], _fields(title="Ny titel"), publish=True, now=utcnow())
    assert call.title == "Ny titel" and call.status is CallStatus.open
    with pytest.raises(InvalidState):
        services.update_call(call, world["admin"], _fields(title="Efter fristen", days=30), publish=False,
                             now=call.closes_at + timedelta(minutes=1))
    with pytest.raises(NotAllowed):
        services.update_call(call, world["citizen"], _fields(), publish=False, now=utcnow())


def test_young_and_near_calls_point_out_the_people_they_are_for(world):
    today = to_local(utcnow()).date()
    young = make_call(organisation=world["library"], audience=CallAudience.young)
    teen = make_user(birth_date=date(today.year - 16, 1, 1))
    older = make_user(birth_date=date(today.year - 40, 1, 1))
    assert queries.is_for(young, teen, today=today) and not queries.is_for(young, older, today=today)
    assert not queries.is_for(young, make_user(), today=today), "no birth date: nothing to point out"
    near = make_call(organisation=world["library"], audience=CallAudience.near, place_name="Store Magleby",
                     postcode="2791", latitude=55.59611, longitude=12.63528, radius_km=1.0)
    in_town = make_user(postcode="2770")          # Kastrup: about 5 km away
    next_door = make_user()
    db.session.add(VolunteerProfile(user_id=next_door.id, latitude=55.597, longitude=12.636))
    db.session.flush()
    assert queries.is_for(near, next_door, today=today) and not queries.is_for(near, in_town, today=today)
    near.radius_km = 10
    assert queries.is_for(near, in_town, today=today), "the postcode's town places a person without a profile"


def test_the_public_list_orders_open_calls_by_deadline_and_hides_drafts_and_unapproved(world):
    now = utcnow()
    later = make_call(organisation=world["library"], title="Senere", closes_at=now + timedelta(days=20))
    sooner = make_call(organisation=None, title="Snart", closes_at=now + timedelta(days=2))
    make_call(organisation=world["library"], title="Kladde", status="draft")
    make_call(organisation=make_organisation(admin=make_user(), status=OrganisationStatus.pending), title="Skjult")
    waiting = make_call(organisation=world["library"], title="Venter", closes_at=now - timedelta(days=1))
    closed = make_call(organisation=world["library"], title="Lukket", status="closed", outcome="Tak",
                       closes_at=now - timedelta(days=9), closed_at=now - timedelta(days=2))
    listing = queries.listing(None, now=now)
    assert [c.id for c in listing.open] == [sooner.id, later.id]
    assert [c.id for c in listing.waiting] == [waiting.id] and [c.id for c in listing.closed] == [closed.id]
    assert listing.mine == []
    mine = queries.listing(world["librarian"], now=now).mine
    assert {c.title for c in mine} == {"Senere", "Kladde", "Venter"}
    assert "Snart" in {c.title for c in queries.listing(world["coordinator"], now=now).mine}


def test_answers_show_the_first_name_only_when_the_person_agreed(world):
    call = make_call(organisation=world["library"], answers_public=True)
    named = services.answer(call, world["citizen"], body="Ja tak", show_name=True, now=utcnow())
    anonymous = services.answer(call, world["admin"], body="Nej tak", show_name=False, now=utcnow())
    assert queries.shown_name(named) == "Karen" and queries.shown_name(anonymous) == ""


# --- the reminder ---------------------------------------------------------------------------------

def test_the_owner_is_reminded_once_every_three_days_until_the_call_is_closed(world):
    w = world
    now = utcnow()
    call = make_call(organisation=w["library"], owner=w["librarian"], closes_at=now - timedelta(hours=2))
    make_call(organisation=w["library"], owner=w["librarian"], closes_at=now + timedelta(days=10))  # not yet due
    assert services.remind_overdue_owners(now=now) == 1
    db.session.refresh(call)
    assert call.last_reminded_at == now
    assert len(_mail_to(w["librarian"].email)) == 1
    assert services.remind_overdue_owners(now=now + timedelta(days=2)) == 0
    assert services.remind_overdue_owners(now=now + timedelta(days=3)) == 1
    assert len(_mail_to(w["librarian"].email)) == 2
    services.close_call(call, w["librarian"], outcome="Det blev til en læsecirkel.", now=now + timedelta(days=4))
    assert services.remind_overdue_owners(now=now + timedelta(days=7)) == 0


def test_an_owner_who_left_is_replaced_by_the_admins_and_the_municipality_by_its_coordinators(world):
    w = world
    now = utcnow()
    gone = make_call(organisation=w["library"], owner=None, closes_at=now - timedelta(days=1))
    outsider = make_user(email="left@example.dk")
    left = make_call(organisation=w["library"], owner=outsider, closes_at=now - timedelta(days=1))
    municipal = make_call(organisation=None, owner=None, closes_at=now - timedelta(days=1))
    assert services.owners_to_remind(gone) == [w["admin"]]
    assert services.owners_to_remind(left) == [w["admin"]]
    assert services.owners_to_remind(municipal) == [w["coordinator"]]
    assert services.remind_overdue_owners(now=now) == 3
    assert len(_mail_to(w["admin"].email)) == 2 and len(_mail_to(w["coordinator"].email)) == 1
    assert _mail_to("left@example.dk") == []


def test_the_reminder_is_a_registered_tick_step_and_quiet_on_an_empty_database(ctx):
    step = next(s for s in jobs.steps() if s.name == "call_closing_reminders")
    assert step.load() is services.remind_overdue_owners
    assert services.remind_overdue_owners(now=utcnow()) == 0


def test_two_ticks_at_once_send_one_reminder(app):
    with app.app_context():
        owner = make_user(email="owner@example.dk")
        org = make_organisation(admin=owner)
        call_id = make_call(organisation=org, owner=owner, closes_at=utcnow() - timedelta(days=1)).id
        db.session.commit()
    now = utcnow()
    results, barrier = [], threading.Barrier(4)

    def tick():
        with app.app_context():
            barrier.wait()
            with write_transaction():
                results.append(services.remind_overdue_owners(now=now))
                db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 0, 0, 1]
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.to_email == "owner@example.dk")) == 1
        assert db.session.get(Call, call_id).last_reminded_at is not None


def test_two_people_answering_at_once_and_a_double_click_count_exactly(app):
    with app.app_context():
        org = make_organisation(admin=make_user())
        call_id = make_call(organisation=org).id
        people = [make_user().id for _ in range(3)]
        db.session.commit()
    barrier = threading.Barrier(4)
    outcomes = []

    def answer(user_id):
        from portal.models import User
        with app.app_context():
            barrier.wait()
            with write_transaction():
                try:
                    services.answer(db.session.get(Call, call_id), db.session.get(User, user_id), body="Svar",
                                    show_name=False, now=utcnow())
                    db.session.commit()
                    outcomes.append("ok")
                except DomainError:
                    db.session.rollback()
                    outcomes.append("refused")
            db.session.remove()

    # Two different people, and the first person twice (a double click).
    threads = [threading.Thread(target=answer, args=(uid,)) for uid in (people[0], people[1], people[0], people[2])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        count = db.session.get(Call, call_id).answer_count
        rows = db.session.scalar(select(func.count(CallAnswer.id)).where(CallAnswer.call_id == call_id))
        assert count == rows == 3


def test_answers_given_in_private_are_never_made_public_afterwards(world):
    call = services.create_call(world["librarian"], world["library"], _fields(), publish=True, now=utcnow())
    services.answer(call, world["citizen"], body="Kun til biblioteket", show_name=False, now=utcnow())
    with pytest.raises(CallError) as refused:
        services.update_call(call, world["librarian"], _fields(answers_public=True), publish=False, now=utcnow())
    assert refused.value.field == "answers_public" and not call.answers_public
    public = services.create_call(world["librarian"], world["library"], _fields(answers_public=True), publish=True,
                                  now=utcnow())
    services.answer(public, world["citizen"], body="Til alle", show_name=False, now=utcnow())
    services.update_call(public, world["librarian"], _fields(answers_public=False), publish=False, now=utcnow())
    assert not public.answers_public, "making them private is always allowed"
