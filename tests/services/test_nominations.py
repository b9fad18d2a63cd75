"""Nominations' rules (issue 12): consent first (nothing public until the nominee says yes; a
"no" is never shown and the nominator is told only that it cannot go ahead), the age rule of
"under 25", nobody nominates themselves, nominations without an account confirmed by a mailed
link (deleted after 7 days otherwise), tokens that answer once and expire, hearts counted once,
and the coordinator's years and categories."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.awards import queries, services
from portal.awards.services import Nominee
from portal.core.awards import Dates
from portal.core.timeutil import to_local
from portal.errors import DomainError, InvalidState, InvalidToken, NotAllowed
from portal.extensions import db
from portal.models import (AwardCategory, Nomination, NominationConsent, NominationHeart, NomineeKind,
                           OrganisationStatus, OutboxMessage, utcnow)
from tests.factories import (make_award_category, make_award_year, make_company, make_nomination,
                             make_organisation, make_user)

REASON = "Hun har i ti år holdt repaircaféen åben hver torsdag og lært unge at lodde."


def years_ago(n, *, days=0):
    """The birth date of someone who turned `n` today (Danish date), moved `days` earlier."""
    today = to_local(utcnow()).date()
    try:
        born = today.replace(year=today.year - n)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - n, day=28)
    return born - timedelta(days=days)


def mails_to(address):
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == address)
                                   .order_by(OutboxMessage.id)))


def token_in(message, kind):
    match = re.search(rf"/awards/{kind}/([A-Za-z0-9_\-]+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def person(email, name="Karen Holm"):
    return Nominee(kind=NomineeKind.person, name=name, email=email)


@pytest.fixture
def year(ctx):
    award_year = make_award_year(phase="nominating")
    return award_year, make_award_category(award_year, kind="person")


def public(award_year):
    return [s.nomination.id for s in queries.public_nominations(award_year)]


def test_a_nomination_is_public_only_after_the_nominee_says_yes(year):
    award_year, category = year
    citizen = make_user(email="borger@example.dk", name="Bente Borger")
    karen = make_user(email="karen@example.dk", name="Karen Holm")
    now = utcnow()
    nomination = services.nominate(award_year, citizen, category_id=category.id, nominee=person("Karen@Example.dk"),
                                   reason=REASON, locale="da", now=now)
    assert nomination.nominee_user_id == karen.id and nomination.consent is NominationConsent.pending
    assert public(award_year) == [] and not nomination.is_public
    [ask] = mails_to("karen@example.dk")
    token = token_in(ask, "consent")
    assert "Bente" in ask.body_text and "borger@example.dk" not in ask.body_text
    assert nomination.consent_token_hash is not None and token not in nomination.consent_token_hash

    shown = services.consent_request(token, now=now)
    assert shown.id == nomination.id
    services.answer_by_token(token, yes=True, show_hours=True, now=now)
    assert public(award_year) == [nomination.id]
    assert nomination.show_hours and nomination.consent_token_hash is None
    # The link answers once.
    with pytest.raises(InvalidToken):
        services.answer_by_token(token, yes=False, show_hours=False, now=now)
    assert nomination.consent is NominationConsent.given


def test_a_no_is_never_shown_and_the_nominator_learns_only_that_it_cannot_go_ahead(year):
    award_year, category = year
    citizen = make_user(email="borger@example.dk")
    now = utcnow()
    nomination = services.nominate(award_year, citizen, category_id=category.id,
                                   nominee=person("ole@example.dk", "Ole Olsen"), reason=REASON, locale="da", now=now)
    token = token_in(mails_to("ole@example.dk")[0], "consent")
    services.answer_by_token(token, yes=False, show_hours=True, now=now)
    assert nomination.consent is NominationConsent.declined and not nomination.show_hours
    assert public(award_year) == []
    [told] = mails_to("borger@example.dk")
    assert "cannot go ahead" in told.body_text or "ikke gå videre" in told.body_text


def test_show_hours_needs_an_account_and_shows_the_ledgers_hours(year):
    award_year, category = year
    now = utcnow()
    nomination = services.nominate(award_year, make_user(), category_id=category.id,
                                   nominee=person("uden.profil@example.dk"), reason=REASON, locale="da", now=now)
    services.answer_by_token(token_in(mails_to("uden.profil@example.dk")[0], "consent"), yes=True,
                             show_hours=True, now=now)
    assert not nomination.show_hours
    [item] = queries.public_nominations(award_year)
    assert item.hours is None and item.tasks is None


def test_hours_and_tasks_shown_come_from_the_ledger(year):
    from portal.hours.services import total_hours
    from portal.models import Attendance, Signup, SignupState
    from tests.factories import make_slot, make_task

    award_year, category = year
    karen = make_user(email="karen@example.dk")
    org = make_organisation(admin=make_user())
    for i, hours in enumerate((2, 3)):
        slot = make_slot(make_task(org, title=f"Opgave {i}"), starts_at=utcnow() - timedelta(days=10 + i),
                         hours=hours)
        db.session.add(Signup(slot_id=slot.id, user_id=karen.id, state=SignupState.confirmed,
                              attendance=Attendance.attended))
    db.session.flush()
    make_nomination(category, nominee=karen, show_hours=True)
    [item] = queries.public_nominations(award_year)
    assert item.hours == total_hours(user=karen) == 5.0 and item.tasks == 2


def test_the_consent_link_expires_after_30_days_and_when_the_jury_starts(year):
    award_year, category = year
    now = utcnow()
    services.nominate(award_year, make_user(), category_id=category.id, nominee=person("a@example.dk"),
                      reason=REASON, locale="da", now=now)
    token = token_in(mails_to("a@example.dk")[0], "consent")
    with pytest.raises(InvalidToken):
        services.consent_request(token, now=now + timedelta(days=services.CONSENT_DAYS, seconds=1))
    with pytest.raises(InvalidToken):
        services.consent_request(token, now=award_year.jury_starts_at)
    for junk in ("", "x" * 500, "nope", token + "x"):
        with pytest.raises(InvalidToken):
            services.consent_request(junk, now=now)
    assert services.consent_request(token, now=award_year.jury_starts_at - timedelta(seconds=1))


def test_nobody_nominates_themselves(year):
    award_year, category = year
    karen = make_user(email="karen@example.dk")
    with pytest.raises(DomainError) as caught:
        services.nominate(award_year, karen, category_id=category.id, nominee=person(" KAREN@example.dk "),
                          reason=REASON, locale="da", now=utcnow())
    assert caught.value.field == "nominee_email"
    with pytest.raises(DomainError):
        services.send_nomination(award_year, nominator_name="Ole", nominator_email="ole@example.dk",
                                 category_id=category.id, nominee=person("OLE@example.dk"), reason=REASON,
                                 network="127.0.0.1", locale="da", now=utcnow())
    assert db.session.scalar(select(func.count(Nomination.id))) == 0


@pytest.mark.parametrize("age, days, allowed", [(24, 0, True), (25, 0, False), (25, -1, True), (40, 0, False),
                                                 (None, 0, True)])
def test_under_25_refuses_the_yes_of_a_person_whose_known_age_is_too_high(ctx, age, days, allowed):
    """The age rule is checked at the nominee's answer, never at the nomination: a refusal there
    told anyone who typed an address that it has an account and that its owner is over 24."""
    award_year = make_award_year(phase="nominating")
    young = make_award_category(award_year, kind="person", max_age=24)
    make_user(email="ung@example.dk", birth_date=years_ago(age, days=days) if age else None)
    nominator = make_user()
    nomination = services.nominate(award_year, nominator, category_id=young.id, nominee=person("ung@example.dk"),
                                   reason=REASON, locale="da", now=utcnow())
    assert nomination.nominee_user_id is not None
    token = token_in(mails_to("ung@example.dk")[0], "consent")
    if allowed:
        services.answer_by_token(token, yes=True, show_hours=False, now=utcnow())
        assert nomination.is_public
    else:
        with pytest.raises(DomainError) as caught:
            services.answer_by_token(token, yes=True, show_hours=False, now=utcnow())
        assert "24" in str(caught.value.message)
        assert nomination.consent is NominationConsent.pending and not nomination.is_public
        # They can still say no, and the nominator hears only that it cannot go ahead.
        services.answer_by_token(token, yes=False, show_hours=False, now=utcnow())
        assert len(mails_to(nominator.email)) == 1


def test_an_anonymous_nominator_cannot_tell_an_account_or_its_age_from_the_answer(ctx):
    award_year = make_award_year(phase="nominating")
    young = make_award_category(award_year, kind="person", max_age=24)
    make_user(email="voksen@example.dk", birth_date=years_ago(60))
    for email in ("voksen@example.dk", "ingen@example.dk"):
        sent = services.send_nomination(award_year, nominator_name="Ole", nominator_email="ole@example.dk",
                                        category_id=young.id, nominee=person(email), reason=REASON,
                                        network="127.0.0.1", locale="da", now=utcnow())
        assert sent.id is not None and sent.confirmed_at is None


@pytest.mark.parametrize("phase", ["upcoming", "closed", "jury", "announced"])
def test_nominations_only_while_nominating(ctx, phase):
    award_year = make_award_year(phase=phase)
    category = make_award_category(award_year)
    with pytest.raises(InvalidState):
        services.nominate(award_year, make_user(), category_id=category.id, nominee=person("a@example.dk"),
                          reason=REASON, locale="da", now=utcnow())


def test_a_category_of_another_year_or_kind_is_refused(year):
    award_year, category = year
    other = make_award_category(make_award_year(phase="nominating"))
    with pytest.raises(DomainError):
        services.nominate(award_year, make_user(), category_id=other.id, nominee=person("a@example.dk"),
                          reason=REASON, locale="da", now=utcnow())
    with pytest.raises(DomainError):
        services.nominate(award_year, make_user(), category_id=category.id,
                          nominee=Nominee(kind=NomineeKind.association, organisation_id=1), reason=REASON,
                          locale="da", now=utcnow())


def test_an_association_is_asked_through_its_contact_and_must_be_approved(ctx):
    award_year = make_award_year(phase="nominating")
    category = make_award_category(award_year, kind="association")
    approved = make_organisation(admin=make_user(), name="Dragør Naturvogtere")
    pending = make_organisation(admin=make_user(), name="Ny forening", status=OrganisationStatus.pending)
    with pytest.raises(DomainError) as caught:
        services.nominate(award_year, make_user(), category_id=category.id,
                          nominee=Nominee(kind=NomineeKind.association, organisation_id=pending.id),
                          reason=REASON, locale="da", now=utcnow())
    assert caught.value.field == "organisation"
    nomination = services.nominate(award_year, make_user(), category_id=category.id,
                                   nominee=Nominee(kind=NomineeKind.association, organisation_id=approved.id),
                                   reason=REASON, locale="da", now=utcnow())
    assert nomination.nominee_name == "Dragør Naturvogtere" and nomination.nominee_organisation_id == approved.id
    assert len(mails_to(approved.contact_email.lower())) == 1


def test_a_company_is_asked_through_its_contact(ctx):
    from portal.models import CompanyStatus
    award_year = make_award_year(phase="nominating")
    category = make_award_category(award_year, kind="company")
    company = make_company(admin=make_user(), name="Dragør Tømrer ApS", status=CompanyStatus.approved)
    nomination = services.nominate(award_year, make_user(), category_id=category.id,
                                   nominee=Nominee(kind=NomineeKind.company, company_id=company.id),
                                   reason=REASON, locale="da", now=utcnow())
    assert nomination.nominee_company_id == company.id
    assert len(mails_to(company.contact_email.lower())) == 1


def test_without_an_account_the_link_confirms_once_and_only_then_the_nominee_is_asked(year):
    award_year, category = year
    now = utcnow()
    nomination = services.send_nomination(
        award_year, nominator_name="Ole Olsen", nominator_email="Ole@Example.dk", category_id=category.id,
        nominee=person("karen@example.dk"), reason=REASON, network="10.0.0.1", locale="da", now=now)
    assert nomination.confirmed_at is None and mails_to("karen@example.dk") == []
    token = token_in(mails_to("ole@example.dk")[0], "confirm")
    services.confirm_nomination(token, locale="da", now=now)
    assert nomination.confirmed_at is not None
    services.confirm_nomination(token, locale="da", now=now + timedelta(minutes=1))
    [ask] = mails_to("karen@example.dk")
    assert "Ole" in ask.body_text and "Olsen" not in ask.body_text
    services.answer_by_token(token_in(ask, "consent"), yes=True, show_hours=False, now=now)
    assert public(award_year) == [nomination.id]


def test_an_unconfirmed_link_expires_and_the_tick_deletes_it_after_7_days(year):
    award_year, category = year
    now = utcnow()
    old = services.send_nomination(award_year, nominator_name="A", nominator_email="a@example.dk",
                                   category_id=category.id, nominee=person("x@example.dk"), reason=REASON,
                                   network="10.0.0.1", locale="da", now=now - timedelta(days=8))
    fresh = services.send_nomination(award_year, nominator_name="B", nominator_email="b@example.dk",
                                     category_id=category.id, nominee=person("y@example.dk"), reason=REASON,
                                     network="10.0.0.1", locale="da", now=now - timedelta(days=6))
    with pytest.raises(InvalidToken):
        services.confirm_nomination(token_in(mails_to("a@example.dk")[0], "confirm"), locale="da", now=now)
    old_id, fresh_id = old.id, fresh.id
    assert services.delete_unconfirmed(now=now) == 1
    assert services.delete_unconfirmed(now=now) == 0
    db.session.expire_all()
    assert db.session.get(Nomination, old_id) is None and db.session.get(Nomination, fresh_id) is not None


def test_a_logged_in_nominee_answers_on_my_nominations_and_nobody_else_can(year):
    award_year, category = year
    karen = make_user(email="karen@example.dk")
    nomination = make_nomination(category, nominee=karen, consent="pending")
    with pytest.raises(NotAllowed):
        services.answer_as_nominee(nomination, make_user(), yes=True, show_hours=False, now=utcnow())
    services.answer_as_nominee(nomination, karen, yes=True, show_hours=True, now=utcnow())
    assert nomination.is_public and nomination.show_hours
    with pytest.raises(InvalidState):
        services.answer_as_nominee(nomination, karen, yes=False, show_hours=False, now=utcnow())


def test_a_nominee_can_take_back_their_yes_and_leaves_the_page_and_the_hall_of_fame(ctx):
    """Consent is as easy to withdraw as to give: the nominee's yes can be taken back on "My
    nominations", even after the announcement, and nobody else can do it for them."""
    from portal.awards import winners
    from portal.models import AwardWinner

    award_year = make_award_year(phase="announced")
    category = make_award_category(award_year)
    karen = make_user(email="karen@example.dk")
    nomination = make_nomination(category, nominee=karen)
    db.session.add(AwardWinner(category_id=category.id, nomination_id=nomination.id, motivation="For alt.",
                               decided_by_id=make_user(coordinator=True).id, created_at=utcnow(),
                               updated_at=utcnow()))
    db.session.flush()
    assert public(award_year) == [nomination.id] and winners.hall_of_fame(now=utcnow())[award_year.year]
    with pytest.raises(NotAllowed):
        services.withdraw_consent(nomination, make_user(), now=utcnow())
    services.withdraw_consent(nomination, karen, now=utcnow())
    assert public(award_year) == [] and award_year.year not in winners.hall_of_fame(now=utcnow())
    assert not nomination.is_public and not nomination.show_hours
    with pytest.raises(InvalidState):
        services.withdraw_consent(nomination, karen, now=utcnow())


def test_a_heart_counts_once_and_a_withdrawal_only_when_there_was_one(year):
    award_year, category = year
    nomination = make_nomination(category)
    anna, bo = make_user(), make_user()
    assert services.give_heart(nomination, anna, now=utcnow()) is True
    assert services.give_heart(nomination, anna, now=utcnow()) is False
    assert services.give_heart(nomination, bo, now=utcnow()) is True
    assert nomination.heart_count == 2
    assert services.withdraw_heart(nomination, anna) is True
    assert services.withdraw_heart(nomination, anna) is False
    assert nomination.heart_count == 1
    assert db.session.scalar(select(func.count()).select_from(NominationHeart)) == 1


def test_no_heart_for_a_nomination_that_is_not_public(year):
    award_year, category = year
    with pytest.raises(InvalidState):
        services.give_heart(make_nomination(category, consent="pending"), make_user(), now=utcnow())


def test_a_new_year_gets_the_four_usual_categories_and_dates_in_order(ctx):
    now = utcnow()
    dates = Dates(now, now + timedelta(days=40), now + timedelta(days=45), now + timedelta(days=80))
    award_year = services.create_year(year=2031, dates=dates, intro="Hvem gør en forskel?", now=now)
    names = [c.name_da for c in queries.categories(award_year)]
    assert names == ["Årets frivillige", "Årets ildsjæl under 25", "Årets forening", "Årets virksomhed"]
    assert queries.categories(award_year)[1].max_age == 24
    with pytest.raises(DomainError) as caught:
        services.create_year(year=2031, dates=dates, intro="", now=now)
    assert caught.value.field == "year"
    for bad, field in (
            (Dates(now, now, now + timedelta(days=45), now + timedelta(days=80)), "close_day"),
            (Dates(now, now + timedelta(days=40), now + timedelta(days=39), now + timedelta(days=80)), "jury_day"),
            (Dates(now, now + timedelta(days=40), now + timedelta(days=45), now + timedelta(days=45)),
             "announce_day")):
        with pytest.raises(DomainError) as caught:
            services.update_year(award_year, dates=bad, intro="", now=now)
        assert caught.value.field == field


def test_after_the_announcement_the_dates_stay_and_only_the_text_changes(ctx):
    """Moving the announcement back into the future would reopen scoring and the winners after
    the certificates went out, and take the winners off the hall of fame again."""
    award_year = make_award_year(phase="announced")
    now = utcnow()
    same = queries.dates_of(award_year)
    later = Dates(same.nominations_open_at, same.nominations_close_at, same.jury_starts_at,
                  now + timedelta(days=3))
    with pytest.raises(DomainError):
        services.update_year(award_year, dates=later, intro="", now=now)
    assert queries.phase_of(award_year, now).value == "announced"
    services.update_year(award_year, dates=same, intro="Tak til alle!", now=now)
    assert award_year.intro == "Tak til alle!"
    before = make_award_year(phase="jury")
    moved = queries.dates_of(before)
    services.update_year(before, dates=Dates(moved.nominations_open_at, moved.nominations_close_at,
                                             moved.jury_starts_at, moved.announce_at + timedelta(days=1)),
                         intro="", now=now)


def test_a_category_with_nominations_cannot_be_deleted_or_change_kind(year):
    award_year, category = year
    empty = make_award_category(award_year)
    services.delete_category(empty)
    make_nomination(category, consent="declined")
    with pytest.raises(InvalidState):
        services.delete_category(category)
    fields = dict(name_da=category.name_da, name_en="x", description_da="", description_en="",
                  nominee_kind=NomineeKind.company, max_age=None, sort_order=1)
    with pytest.raises(DomainError) as caught:
        services.edit_category(category, **fields)
    assert caught.value.field == "nominee_kind"
    assert db.session.get(AwardCategory, category.id) is not None


def test_hiding_takes_a_nomination_off_the_page_and_tells_the_nominator_why(year):
    award_year, category = year
    nominator = make_user(email="borger@example.dk")
    nomination = make_nomination(category, nominator=nominator)
    assert public(award_year) == [nomination.id]
    services.hide_nomination(nomination, reason="Begrundelsen nævner en nabos helbred.", now=utcnow())
    assert public(award_year) == []
    [told] = mails_to("borger@example.dk")
    assert "nabos helbred" in told.body_text


def test_sending_the_same_nomination_twice_asks_the_nominee_once(year):
    award_year, category = year
    citizen = make_user(email="borger@example.dk")
    now = utcnow()
    first = services.nominate(award_year, citizen, category_id=category.id, nominee=person("karen@example.dk"),
                              reason=REASON, locale="da", now=now)
    again = services.nominate(award_year, citizen, category_id=category.id, nominee=person("KAREN@example.dk"),
                              reason=REASON, locale="da", now=now)
    assert again.id == first.id and len(mails_to("karen@example.dk")) == 1
    # Someone else may nominate her too: that is a nomination of its own.
    other = services.nominate(award_year, make_user(), category_id=category.id, nominee=person("karen@example.dk"),
                              reason=REASON, locale="da", now=now)
    assert other.id != first.id


def test_without_an_account_a_double_click_sends_one_link_and_a_later_resend_a_new_one(year):
    award_year, category = year
    now = utcnow()
    send = lambda at: services.send_nomination(  # noqa: E731
        award_year, nominator_name="Ole", nominator_email="ole@example.dk", category_id=category.id,
        nominee=person("karen@example.dk"), reason=REASON, network="10.0.0.1", locale="da", now=at)
    first = send(now)
    assert send(now + timedelta(seconds=5)).id == first.id and len(mails_to("ole@example.dk")) == 1
    old_link = token_in(mails_to("ole@example.dk")[0], "confirm")
    assert send(now + timedelta(hours=1)).id == first.id
    new_link = token_in(mails_to("ole@example.dk")[1], "confirm")
    with pytest.raises(InvalidToken):
        services.confirm_nomination(old_link, locale="da", now=now + timedelta(hours=2))
    services.confirm_nomination(new_link, locale="da", now=now + timedelta(hours=2))
    assert first.confirmed_at is not None and len(mails_to("karen@example.dk")) == 1


def test_a_well_loved_volunteer_nominated_by_many_is_asked_about_the_rest_the_next_day(year, app, monkeypatch):
    """The daily limit on mails to one address never refuses a nominator (which would tell them
    others nominated her, and let anyone block her nominations): the question waits for the tick."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"nominees-{utcnow().timestamp()}")
    monkeypatch.setitem(app.config, "NOMINATION_RECIPIENT_RATE_LIMIT", "2 per day")
    award_year, category = year
    now = utcnow()
    make_user(email="karen@example.dk", name="Karen Holm")
    made = [services.nominate(award_year, make_user(name=f"Nabo {n}"), category_id=category.id,
                              nominee=person("karen@example.dk"), reason=f"{REASON} ({n})", locale="da", now=now)
            for n in range(4)]
    db.session.commit()
    assert len(mails_to("karen@example.dk")) == 2
    assert [m.consent_asked_at is not None for m in made] == [True, True, False, False]
    assert services.ask_waiting_nominees(now=now) == 0          # still today's limit
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"nominees-next-day-{utcnow().timestamp()}")
    assert services.ask_waiting_nominees(now=now + timedelta(days=1)) == 2
    assert services.ask_waiting_nominees(now=now + timedelta(days=1)) == 0
    db.session.commit()
    assert len(mails_to("karen@example.dk")) == 4
    assert all(m.consent_asked_at is not None for m in made)
