"""Assisted profiles through the services: a citizen without e-mail is created with a consent record,
signed up through the real sign-up rules (a full time puts them on the waitlist), and every mail the
portal would have sent them (reminder, waitlist offer, cancelled time) becomes a line on the call list
instead; the citizen can take the profile over, and staff can export and delete their data."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.assisted import queries, services
from portal.errors import DomainError, EmailTaken, InvalidToken
from portal.extensions import db
from portal.models import (AssistedProfile, AuditEvent, CallListItem, ConsentKind, OutboxMessage, Signup,
                           SignupState, Slot, User, utcnow)
from tests.factories import add_member, make_assisted, make_organisation, make_slot, make_task, make_user


def _create(staff, **fields):
    now = fields.pop("now", utcnow())
    values = dict(organisation=None, name="Erna Holm", phone="32531234", postal_address="Strandstræde 3, 2791 Dragør",
                  birth_date=date(1939, 4, 2), locale="da", consent_method="phone",
                  consent_given_on=now.date() - timedelta(days=1), explained=True, note="Ring efter kl. 10",
                  now=now)
    values.update(fields)
    return services.create_profile(staff, **values)


def _mails() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def _lines(user, reason=None):
    query = select(CallListItem).where(CallListItem.user_id == user.id)
    if reason:
        query = query.where(CallListItem.reason == reason)
    return list(db.session.scalars(query))


@pytest.fixture
def anne(ctx):
    return make_user(email="anne@example.dk", coordinator=True, name="Anne Møller")


def test_a_profile_has_no_email_no_password_and_records_how_when_and_by_whom_consent_was_given(anne):
    user = _create(anne, consent_method="paper")
    profile = db.session.scalar(select(AssistedProfile).where(AssistedProfile.user_id == user.id))
    assert user.email is None and user.password_hash is None and user.phone == "32531234"
    assert profile.consent_method.value == "paper" and profile.recorded_by_id == anne.id
    assert profile.note == "Ring efter kl. 10"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assisted_profile_created"))
    assert event.actor_id == anne.id and "paper" in event.summary


@pytest.mark.parametrize("offset, expected", [(timedelta(days=1), "consent_given_on"),
                                              (None, "consent_given_on")])
def test_consent_in_the_future_or_before_2025_is_refused(anne, offset, expected):
    now = utcnow()
    given = now.date() + offset if offset else date(2024, 12, 31)
    with pytest.raises(DomainError) as refused:
        _create(anne, consent_given_on=given, now=now)
    assert refused.value.field == expected
    assert db.session.scalar(select(func.count(AssistedProfile.id))) == 0


def test_without_the_explanation_ticked_nothing_is_created(anne):
    with pytest.raises(DomainError) as refused:
        _create(anne, explained=False)
    assert refused.value.field == "explained"


def test_the_same_name_and_phone_asks_for_confirmation_first(anne):
    _create(anne, name="Poul Jensen", phone="40404040")
    with pytest.raises(DomainError) as refused:
        _create(anne, name="poul  jensen", phone="40404040")
    assert refused.value.field == "confirm_duplicate"
    _create(anne, name="Poul Jensen", phone="40404040", confirm_duplicate=True)
    assert db.session.scalar(select(func.count(AssistedProfile.id))) == 2


def test_signing_up_uses_the_real_rules_and_a_full_time_puts_the_citizen_on_the_waitlist(anne):
    org = make_organisation(name="Enggården")
    task = make_task(org, title="Fællessang")
    slot = make_slot(task, starts_at=utcnow() + timedelta(days=5), capacity=1)
    erna, poul = make_assisted(name="Erna Holm"), make_assisted(name="Poul Jensen")
    first = services.sign_up_for(anne, services.profile_of(erna.id), slot.id, now=utcnow())
    second = services.sign_up_for(anne, services.profile_of(poul.id), slot.id, now=utcnow())
    assert first.state is SignupState.confirmed and second.state is SignupState.waitlisted
    db.session.refresh(slot)
    assert slot.taken == 1
    # Staff told the citizen themselves: no confirmation line, and no mail at all.
    assert _lines(erna) == [] and _mails() == 0
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "assisted_signup")) == 2


def test_age_rules_hold_for_an_assisted_citizen(anne):
    org = make_organisation()
    task = make_task(org, min_age=18)
    slot = make_slot(task, starts_at=utcnow() + timedelta(days=5))
    young = make_assisted(birth_date=date(utcnow().year - 12, 1, 1))
    with pytest.raises(DomainError):
        services.sign_up_for(anne, services.profile_of(young.id), slot.id, now=utcnow())


def test_a_draft_task_or_a_past_time_cannot_be_chosen(anne):
    org = make_organisation()
    draft = make_slot(make_task(org, status="draft"), starts_at=utcnow() + timedelta(days=3))
    past = make_slot(make_task(org), starts_at=utcnow() - timedelta(days=1))
    profile = services.profile_of(make_assisted().id)
    for slot_id in (draft.id, past.id, None, 2**31 - 1):
        with pytest.raises(DomainError) as refused:
            services.sign_up_for(anne, profile, slot_id, now=utcnow())
        assert refused.value.field == "slot"


def test_the_reminder_the_day_before_becomes_a_call_list_line_not_a_mail(anne):
    from portal.signups.services import send_reminders

    org = make_organisation(name="Enggården")
    slot = make_slot(make_task(org, title="Fællessang"), starts_at=utcnow() + timedelta(days=2))
    erna = make_assisted(name="Erna Holm")
    services.sign_up_for(anne, services.profile_of(erna.id), slot.id, now=utcnow())
    assert send_reminders(now=slot.starts_at - timedelta(hours=20)) == 1
    [line] = _lines(erna, "reminder")
    assert "Fællessang" in line.subject and "Erna Holm" in line.body and line.done_at is None
    assert _mails() == 0


def test_a_waitlist_offer_becomes_a_line_and_the_call_list_shows_its_deadline(anne):
    org = make_organisation()
    slot = make_slot(make_task(org, title="Cykeltur"), starts_at=utcnow() + timedelta(days=6), capacity=1)
    volunteer = make_user()
    erna = make_assisted(name="Erna Holm")
    from portal.signups import services as signups
    taken = signups.sign_up(volunteer, slot, now=utcnow(), send_mail=False)
    services.sign_up_for(anne, services.profile_of(erna.id), slot.id, now=utcnow())
    signups.cancel(taken, now=utcnow())
    [line] = _lines(erna, "waitlist_offer")
    assert "Cykeltur" in line.body
    facts = queries.call_list(now=utcnow())
    [offer] = facts["offers"][erna.id]
    assert offer.state is SignupState.offered and offer.offer_expires_at > utcnow()
    assert [g.person.id for g in facts["groups"]] == [erna.id]
    # Staff accept on the citizen's behalf: the seat is theirs.
    services.accept_offer_for(anne, services.profile_of(erna.id), offer, now=utcnow())
    assert offer.state is SignupState.confirmed


def test_a_cancelled_time_reaches_the_citizen_through_the_call_list(anne):
    from portal.tasks import services as tasks

    org = make_organisation()
    owner = make_user()
    add_member(org, owner)
    slot = make_slot(make_task(org, title="Loppemarked"), starts_at=utcnow() + timedelta(days=4))
    erna = make_assisted()
    services.sign_up_for(anne, services.profile_of(erna.id), slot.id, now=utcnow())
    tasks.cancel_slot(slot, now=utcnow())
    assert _lines(erna), "the cancellation should be on the call list"
    assert _mails() == 0


def test_marking_called_twice_says_it_is_already_done(anne):
    erna = make_assisted()
    item = CallListItem(user_id=erna.id, reason="reminder", subject="Påmindelse", body="Hej Erna")
    db.session.add(item)
    db.session.flush()
    services.mark_called(anne, item, note="Kommer", now=utcnow())
    assert item.done_by_id == anne.id and item.outcome_note == "Kommer"
    with pytest.raises(DomainError):
        services.mark_called(anne, item, note=None, now=utcnow())


def test_taking_over_makes_an_ordinary_confirmed_account_and_the_link_works_once(anne):
    from portal.auth.services import authenticate

    erna = make_assisted(name="Erna Holm")
    profile = services.profile_of(erna.id)
    token = services.start_takeover(anne, profile, "Erna@Example.dk", now=utcnow())
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.to_email == "erna@example.dk" and token in mail.body_text
    user = services.complete_takeover(token, "en lang sang om havet", now=utcnow())
    assert user.email == "erna@example.dk" and user.email_confirmed_at is not None
    assert {c.kind for c in user.consents} == {ConsentKind.terms, ConsentKind.privacy}
    assert services.profile_of(erna.id) is None and profile.taken_over_at is not None
    assert authenticate("erna@example.dk", "en lang sang om havet", now=utcnow()).id == erna.id
    with pytest.raises(InvalidToken):
        services.complete_takeover(token, "en lang sang om havet", now=utcnow())


def test_an_email_already_in_use_is_refused_and_an_expired_link_is_dead(anne):
    make_user(email="taken@example.dk")
    profile = services.profile_of(make_assisted().id)
    with pytest.raises(EmailTaken):
        services.start_takeover(anne, profile, "taken@example.dk", now=utcnow())
    token = services.start_takeover(anne, profile, "fri@example.dk", now=utcnow())
    with pytest.raises(InvalidToken):
        services.profile_for_takeover(token, now=utcnow() + timedelta(days=15))


def test_login_never_matches_a_profile_without_email(anne):
    from portal.auth.services import authenticate, user_by_email
    from portal.errors import InvalidCredentials

    make_assisted()
    assert user_by_email("") is None
    with pytest.raises(InvalidCredentials):
        authenticate("", "anything at all", now=utcnow())


def test_export_holds_the_citizens_data_and_is_audited(anne):
    erna = make_assisted(name="Erna Holm")
    data = services.export_for(anne, services.profile_of(erna.id), now=utcnow())
    assert "Erna Holm" in str(data)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "data_exported"))


def test_deleting_frees_the_seat_for_the_waitlist_and_removes_everything(anne):
    org = make_organisation()
    slot = make_slot(make_task(org), starts_at=utcnow() + timedelta(days=6), capacity=1)
    erna, poul = make_assisted(name="Erna Holm"), make_assisted(name="Poul Jensen")
    services.sign_up_for(anne, services.profile_of(erna.id), slot.id, now=utcnow())
    services.sign_up_for(anne, services.profile_of(poul.id), slot.id, now=utcnow())
    services.delete_profile(anne, services.profile_of(erna.id), now=utcnow())
    db.session.expire_all()
    assert db.session.get(User, erna.id) is None
    assert db.session.scalar(select(func.count(AssistedProfile.id))) == 1
    state = db.session.scalar(select(Signup.state).where(Signup.user_id == poul.id))
    assert state is SignupState.offered
    assert db.session.get(Slot, slot.id).taken == 1


def test_a_moved_time_reaches_the_citizen_through_the_call_list(anne):
    from portal.tasks import services as tasks

    org = make_organisation()
    slot = make_slot(make_task(org, title="Julemarked"), starts_at=utcnow() + timedelta(days=4))
    erna = make_assisted()
    services.sign_up_for(anne, services.profile_of(erna.id), slot.id, now=utcnow())
    later = slot.starts_at + timedelta(hours=2)
    tasks.change_slot(slot, starts_at=later, ends_at=later + timedelta(hours=1), capacity=slot.capacity,
                      place_note=None, now=utcnow())
    [line] = _lines(erna, "slot_changed")
    assert "Julemarked" in line.body
    assert _mails() == 0


def test_changing_details_keeps_before_and_after_of_what_changed_in_the_audit_log(anne):
    import json

    erna = make_assisted(name="Erna Holm", phone="32 12 34 56")
    profile = services.profile_of(erna.id)
    changed = services.update_profile(anne, profile, name="Erna Holm", phone="32 99 88 77",
                                      postal_address=profile.postal_address, birth_date=erna.birth_date,
                                      locale="da", note="Ring efter kl. 10", now=utcnow())
    assert changed == ["phone", "note"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assisted_profile_changed"))
    assert json.loads(event.before) == {"phone": "32 12 34 56", "note": None}
    assert json.loads(event.after) == {"phone": "32 99 88 77", "note": "Ring efter kl. 10"}
    # Saving without a change writes nothing.
    services.update_profile(anne, profile, name="Erna Holm", phone="32 99 88 77",
                            postal_address=profile.postal_address, birth_date=erna.birth_date, locale="da",
                            note="Ring efter kl. 10", now=utcnow())
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "assisted_profile_changed")) == 1


def test_the_organisations_call_list_holds_only_its_own_citizens(anne):
    engg, other = make_organisation(), make_organisation()
    mine, theirs = make_assisted(name="Erna Holm", organisation=engg), make_assisted(name="Poul Jensen", organisation=other)
    for person in (mine, theirs):
        db.session.add(CallListItem(user_id=person.id, reason="reminder", subject="Påmindelse", body="Hej"))
    db.session.flush()
    facts = queries.call_list(organisation=engg, now=utcnow())
    assert [g.person.id for g in facts["groups"]] == [mine.id]
    assert queries.open_count(organisation=engg) == 1 and queries.open_count() == 2


def test_where_the_charter_is_required_staff_read_it_out_and_record_the_yes(anne):
    from portal.models import CodeAcceptance
    from tests.factories import make_code_of_conduct

    code = make_code_of_conduct()
    org = make_organisation(name="Enggården")
    org.requires_code_of_conduct = True
    slot = make_slot(make_task(org), starts_at=utcnow() + timedelta(days=5))
    erna = make_assisted()
    profile = services.profile_of(erna.id)
    with pytest.raises(DomainError) as refused:
        services.sign_up_for(anne, profile, slot.id, now=utcnow())
    assert refused.value.field == "charter" and "Enggården" in str(refused.value.message)
    signup = services.sign_up_for(anne, profile, slot.id, now=utcnow(), charter_read=True)
    assert signup.state is SignupState.confirmed
    accepted = db.session.scalar(select(CodeAcceptance).where(CodeAcceptance.user_id == erna.id))
    assert accepted.code_id == code.id and accepted.recorded_by_id == anne.id


def test_a_seat_free_close_to_the_start_reaches_the_citizen_and_staff_can_take_it_for_them(anne):
    from portal.signups import services as signups

    org = make_organisation()
    slot = make_slot(make_task(org, title="Strandrensning", cancel_deadline_hours=2),
                     starts_at=utcnow() + timedelta(hours=10), capacity=1)
    volunteer = make_user()
    taken = signups.sign_up(volunteer, slot, now=utcnow(), send_mail=False)
    erna = make_assisted(name="Erna Holm")
    waiting = services.sign_up_for(anne, services.profile_of(erna.id), slot.id, now=utcnow())
    assert waiting.state is SignupState.waitlisted
    signups.cancel(taken, now=utcnow(), reason="organiser")
    [line] = _lines(erna, "place_free")
    assert "Strandrensning" in line.body
    facts = queries.call_list(now=utcnow())
    assert [s.id for s in facts["offers"][erna.id]] == [waiting.id]
    services.accept_offer_for(anne, services.profile_of(erna.id), waiting, now=utcnow())
    assert waiting.state is SignupState.confirmed
