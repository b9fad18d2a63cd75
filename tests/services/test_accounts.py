"""Registration, confirmation, login, reset and the person's own data (services + database)."""

from datetime import date, datetime, timezone

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from portal.account import services as account
from portal.auth import services as auth
from portal.errors import (EmailNotConfirmed, EmailTaken, InvalidCredentials, InvalidToken,
                           TooYoung)
from portal.extensions import db
from portal.models import (Consent, Membership, Organisation, OutboxMessage, User)
from tests.factories import PASSWORD, make_organisation, make_user

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def register(**overrides):
    data = dict(name="Ida Holm", email="Ida@Example.dk", password="lang nok adgangskode",
                birth_date=date(1950, 12, 24), postcode="2791", phone=None, locale="da", now=NOW)
    data.update(overrides)
    return auth.register_user(**data)


def mails_to(address):
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == address)))


def test_registration_stores_consents_and_queues_a_danish_confirmation(ctx):
    user = register()
    assert user.email == "ida@example.dk" and not user.is_confirmed
    assert {(c.kind.value, c.given_at) for c in user.consents} == {("terms", NOW), ("privacy", NOW)}
    [mail] = mails_to("ida@example.dk")
    assert "/confirm/" in mail.body_text
    assert "lang nok adgangskode" not in mail.body_text  # never mail a password


def test_registering_a_taken_address_creates_nothing_and_tells_the_owner(ctx):
    make_user(email="ida@example.dk", name="Ida")
    assert register(email="IDA@example.dk") is None
    assert db.session.scalar(select(func.count(User.id))) == 1
    [mail] = mails_to("ida@example.dk")
    assert "/login" in mail.body_text and "/confirm/" not in mail.body_text


@pytest.mark.parametrize("birth, message", [
    (date(2014, 1, 1), "13"),             # 12 years old: too young to consent online
    (date(2030, 1, 1), "fremtiden"),
    (date(1890, 1, 1), "årstallet"),
])
def test_impossible_or_too_young_birth_dates_are_refused(ctx, birth, message):
    with pytest.raises(TooYoung) as error:
        register(birth_date=birth)
    assert error.value.field == "birth_date"
    assert message in str(error.value.message)


def test_a_fifteen_year_old_can_register(ctx):
    assert register(birth_date=date(2011, 11, 22)) is not None


def test_confirmation_link_confirms_once_and_rejects_tampering(ctx):
    user = register()
    token = auth.confirmation_token(user, user.email)
    assert auth.confirm_email(token, now=NOW).email_confirmed_at == NOW
    tampered = ("A" if token[0] != "A" else "B") + token[1:]  # changes the signed payload itself
    with pytest.raises(InvalidToken):
        auth.confirm_email(tampered, now=NOW)


def test_confirmation_link_expires(ctx):
    user = register()
    token = auth.confirmation_token(user, user.email)
    current_app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    try:
        with pytest.raises(InvalidToken):
            auth.confirm_email(token, now=NOW)
    finally:
        current_app.config["EMAIL_TOKEN_MAX_AGE"] = 48 * 3600


def test_login_needs_a_confirmed_address_and_resends_the_link(ctx):
    user = register()
    with pytest.raises(EmailNotConfirmed):
        auth.authenticate("ida@example.dk", "lang nok adgangskode", now=NOW)
    assert len(mails_to(user.email)) == 2
    auth.confirm_email(auth.confirmation_token(user, user.email), now=NOW)
    assert auth.authenticate(" IDA@example.dk ".strip(), "lang nok adgangskode", now=NOW) == user
    with pytest.raises(InvalidCredentials):
        auth.authenticate("ida@example.dk", "wrong password", now=NOW)


def test_reset_link_works_once_and_ends_all_sessions(ctx):
    user = make_user(email="ida@example.dk")
    version = user.session_version
    auth.start_password_reset("ida@example.dk")
    token = auth.reset_token(user)
    auth.reset_password(token, "a brand new password", now=NOW)
    assert check_password_hash(user.password_hash, "a brand new password")
    assert user.session_version == version + 1
    with pytest.raises(InvalidToken):
        auth.reset_password(token, "yet another password", now=NOW)
    subjects = [m.subject for m in mails_to("ida@example.dk")]
    assert len(subjects) == 2  # the link, then "your password has been changed"


def test_reset_for_an_unknown_address_sends_nothing(ctx):
    auth.start_password_reset("nobody@example.dk")
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_new_email_is_used_only_after_its_owner_confirms(ctx):
    user = make_user(email="ida@example.dk")
    sent = account.update_profile(user, name="Ida H", email="ida.new@example.dk", birth_date=user.birth_date,
                                  postcode="2770", phone="22334455", locale="en", now=NOW)
    assert sent and user.email == "ida@example.dk" and user.pending_email == "ida.new@example.dk"
    assert (user.name, user.postcode, user.phone, user.locale) == ("Ida H", "2770", "22334455", "en")
    [mail] = mails_to("ida.new@example.dk")
    token = auth.confirmation_token(user, "ida.new@example.dk")
    auth.confirm_email(token, now=NOW)
    assert user.email == "ida.new@example.dk" and user.pending_email is None


def test_changing_to_an_address_someone_else_uses_is_refused(ctx):
    make_user(email="taken@example.dk")
    user = make_user(email="ida@example.dk")
    with pytest.raises(EmailTaken) as error:
        account.update_profile(user, name="Ida", email="Taken@example.dk", birth_date=user.birth_date,
                               postcode="2791", phone=None, locale="da", now=NOW)
    assert error.value.field == "email"


def test_export_contains_everything_we_hold_about_the_person(ctx):
    user = make_user(email="ida@example.dk", phone="22 33 44 55")
    make_organisation(admin=user, name="Søndagscaféen")
    auth.start_password_reset("ida@example.dk")
    data = account.export_data(user)
    assert data["profile"]["email"] == "ida@example.dk" and data["profile"]["phone"] == "22 33 44 55"
    assert data["memberships"][0]["organisation"] == "Søndagscaféen"
    assert data["organisation_applications"][0]["status"] == "approved"
    assert len(data["emails"]) == 1
    assert "password_hash" not in str(data)


def test_deleting_an_account_removes_personal_data_and_keeps_the_organisation(ctx):
    user = make_user(email="ida@example.dk")
    org = make_organisation(admin=user, name="Søndagscaféen")
    auth.start_password_reset("ida@example.dk")
    with pytest.raises(InvalidCredentials):
        account.delete_account(user, "wrong password")
    account.delete_account(user, PASSWORD)
    db.session.commit()
    assert db.session.scalar(select(func.count(User.id))) == 0
    assert db.session.scalar(select(func.count(Consent.id))) == 0
    assert db.session.scalar(select(func.count(Membership.id))) == 0
    assert mails_to("ida@example.dk") == []
    kept = db.session.get(Organisation, org.id)
    assert kept.name == "Søndagscaféen" and kept.applicant_id is None
