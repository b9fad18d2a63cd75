"""Abuse limits as people meet them: what may flood other people's inboxes is capped per
recipient, per organisation and per user; a school class still gets through; a blocked form
keeps what was typed and tells the true wait. (Across several worker processes with Redis:
test_limits_across_workers.py.)"""

import logging
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.extensions import db
from portal.models import OutboxMessage, Signup, User, utcnow
from tests.conftest import birth_fields, login, make_test_config, submit
from tests.factories import make_organisation, make_slot, make_task, make_user


@pytest.fixture
def limited(app, database_url):
    """Builds an app on the suite's database with rate limits on (in-memory, fresh counts per
    app) and the given overrides; hands the shared Flask-Limiter back to the suite's app after."""
    yield lambda **overrides: create_app(make_test_config(database_url, RATELIMIT_ENABLED=True, **overrides))
    from portal.extensions import limiter
    limiter.init_app(app)


def mails_to(app, address) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_email == address))
        db.session.remove()
    return count


def pupil(n, **extra):
    return {"name": f"Elev {n}", "email": f"elev{n}@skolen.dk", "password": "en lang nok adgangskode",
            "postcode": "2791", "accept_terms": "y", **birth_fields(date(2011, 3, 1 + n % 28)), **extra}


def test_a_school_class_of_30_registers_from_one_network_and_the_41st_is_told_the_true_wait(limited):
    """Pins REGISTER_RATE_LIMIT at its default: 30 pupils registering from one network at once
    all get through (so 30 spread over 20 minutes certainly do); the quota is 40 an hour, and
    the one after that sees the form again with what was typed and "try again in 60 minutes"."""
    app = limited()
    client = app.test_client()
    codes = [submit(client, "/register", pupil(n)).status_code for n in range(30)]
    assert codes == [302] * 30
    assert [submit(client, "/register", pupil(n)).status_code for n in range(30, 40)] == [302] * 10
    blocked = submit(client, "/register?lang=en", pupil(40, name="Sofie Nielsen", phone="22 33 44 55"),
                     form_url="/register?lang=en")
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Try again in 60 minutes" in page
    assert 'value="Sofie Nielsen"' in page and 'value="elev40@skolen.dk"' in page and 'value="22 33 44 55"' in page
    assert mails_to(app, "elev40@skolen.dk") == 0
    danish = submit(client, "/register?lang=da", pupil(41), form_url="/register?lang=da").get_data(as_text=True)
    assert "Prøv igen om 60 minutter" in danish


def test_forms_with_mistakes_do_not_use_up_the_quota(limited):
    app = limited(REGISTER_RATE_LIMIT="2 per hour")
    client = app.test_client()
    for n in range(5):
        assert submit(client, "/register", pupil(n, accept_terms="")).status_code == 200
    assert [submit(client, "/register", pupil(n)).status_code for n in range(3)] == [302, 302, 429]


def test_registration_hashes_the_password_whether_or_not_the_address_exists(app, client, monkeypatch):
    """Pins equal work for a new and an existing address: the expensive hash runs exactly once
    with the same method either way, so the answer's timing does not tell who has a profile."""
    import portal.auth.services as services
    calls = []
    real = services.generate_password_hash
    monkeypatch.setattr(services, "generate_password_hash",
                        lambda password, method, **kw: calls.append(method) or real(password, method=method, **kw))
    new = submit(client, "/register", pupil(1))
    assert calls == [app.config["PASSWORD_HASH_METHOD"]]
    again = submit(app.test_client(), "/register", pupil(1, name="Someone Else"))
    assert calls == [app.config["PASSWORD_HASH_METHOD"]] * 2
    assert new.status_code == again.status_code == 302
    assert new.headers["Location"] == again.headers["Location"]


def test_reset_mails_to_one_address_stop_after_three_without_saying_so(limited):
    """Pins ACCOUNT_MAIL_RATE_LIMIT for reset links: five requests for one address give three
    mails, and the fourth and fifth answers are the same as the first (nothing reveals the cap,
    nor whether the address has a profile)."""
    app = limited()
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    client = app.test_client()
    answers = []
    for _ in range(5):
        response = submit(client, "/forgot-password", {"email": "Ida@Example.dk"}, follow_redirects=True)
        answers.append((response.status_code, re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))))
    assert mails_to(app, "ida@example.dk") == 3
    assert len(set(answers)) == 1 and answers[0][0] == 200
    assert "ida@example.dk" in answers[0][1].lower()


def test_someone_registering_an_existing_address_again_and_again_sends_its_owner_three_mails(limited):
    app = limited()
    with app.app_context():
        make_user(email="elev1@skolen.dk")
        db.session.commit()
    client = app.test_client()
    assert [submit(client, "/register", pupil(1)).status_code for _ in range(5)] == [302] * 5
    assert mails_to(app, "elev1@skolen.dk") == 3


def test_changing_ones_address_to_someone_elses_again_and_again_sends_them_three_links(limited):
    app = limited()
    with app.app_context():
        make_user(email="troll@example.dk", name="Troll")
        db.session.commit()
    client = app.test_client()
    login(client, "troll@example.dk")
    data = {"name": "Troll", "postcode": "2791", "locale": "en", **birth_fields(date(1980, 1, 1))}
    codes = [submit(client, "/me/profile", dict(data, email=email), form_url="/me/profile").status_code
             for email in ["victim@example.dk", "troll@example.dk"] * 3 + ["victim@example.dk"]]
    assert codes == [302] * 6 + [200]
    assert mails_to(app, "victim@example.dk") == 3
    page = submit(client, "/me/profile?lang=en", dict(data, email="victim@example.dk"),
                  form_url="/me/profile").get_data(as_text=True)
    assert "several confirmation links to this address. Try again in 60 minutes" in page


def test_forgot_password_from_one_network_is_limited_with_the_true_wait(limited):
    app = limited(FORGOT_PASSWORD_RATE_LIMIT="2 per hour")
    client = app.test_client()
    codes = [submit(client, "/forgot-password", {"email": f"p{n}@example.dk"}).status_code for n in range(2)]
    blocked = submit(client, "/forgot-password?lang=en", {"email": "p9@example.dk"}, form_url="/forgot-password?lang=en")
    assert codes == [302, 302] and blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Try again in 60 minutes" in page and 'value="p9@example.dk"' in page


def test_invitations_are_limited_per_organisation_and_per_recipient(limited):
    """Pins INVITATION_RATE_LIMIT (per organisation) and INVITATION_RECIPIENT_RATE_LIMIT: the
    admin sees the form again with the reason and the wait (429), and no further mail goes out."""
    app = limited(INVITATION_RATE_LIMIT="3 per hour")
    with app.app_context():
        org = make_organisation(admin=make_user(email="mette@example.dk"), name="Dragør Rideklub")
        db.session.commit()
        members = f"/organisations/{org.slug}/members"
    client = app.test_client()
    login(client, "mette@example.dk")
    invite = lambda email: submit(client, members + "?lang=en", {"email": email, "role": "member"},  # noqa: E731
                                  form_url=members + "?lang=en")
    assert [invite(f"kollega{n}@example.dk").status_code for n in range(3)] == [302, 302, 302]
    blocked = invite("kollega9@example.dk")
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Dragør Rideklub has sent many invitations recently" in page and "Try again in 60 minutes" in page
    assert 'value="kollega9@example.dk"' in page
    assert mails_to(app, "kollega9@example.dk") == 0

    app = limited()  # fresh counts; default: 3 invitations a day to one address
    client = app.test_client()
    login(client, "mette@example.dk")
    codes = [invite("jonas@example.dk").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert mails_to(app, "jonas@example.dk") == 3


def test_task_invitations_count_towards_the_organisations_invitations(limited):
    from portal.matching import invitations
    from portal.ratelimits import TooMany
    from portal.volunteers.services import ensure_profile as ensure_volunteer_profile
    app = limited(INVITATION_RATE_LIMIT="2 per hour")
    with app.test_request_context():
        admin = make_user()
        task = make_task(make_organisation(admin=admin))
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=5))
        volunteers = [make_user() for _ in range(3)]
        for volunteer in volunteers:
            ensure_volunteer_profile(volunteer).suggestions_opt_in = True
        for volunteer in volunteers[:2]:
            invitations.invite(task, slot, volunteer, by=admin, now=utcnow())
        with pytest.raises(TooMany):
            invitations.invite(task, slot, volunteers[2], by=admin, now=utcnow())
        db.session.rollback()
        db.session.remove()


def test_sign_up_and_waitlist_posts_are_limited_per_user(limited):
    """Pins SIGNUP_RATE_LIMIT: a user's third sign-up POST within the limit's hour changes
    nothing and says how long to wait."""
    from portal.signups.services import sign_up
    app = limited(SIGNUP_RATE_LIMIT="2 per hour")
    with app.test_request_context():
        org = make_organisation(admin=make_user())
        task = make_task(org)
        start = utcnow().replace(microsecond=0) + timedelta(days=5)
        full = make_slot(task, starts_at=start, capacity=1)
        slots = [make_slot(task, starts_at=start + timedelta(days=d)) for d in (1, 2)]
        make_user(email="ida@example.dk")
        sign_up(make_user(), full, now=utcnow())
        db.session.commit()
        task_id, full_id, slot_ids = task.id, full.id, [s.id for s in slots]
    client = app.test_client()
    login(client, "ida@example.dk")
    page = f"/tasks/{task_id}"
    submit(client, f"/slots/{slot_ids[0]}/signup", {"action": "signup"}, form_url=page)
    submit(client, f"/slots/{full_id}/signup", {"action": "waitlist"}, form_url=page)
    response = submit(client, f"/slots/{slot_ids[1]}/signup?lang=en", {"action": "signup"}, form_url=page,
                      follow_redirects=True)
    assert "You have sent many sign-ups in a short while" in response.get_data(as_text=True)
    assert "Try again in 60 minutes" in response.get_data(as_text=True)
    with app.app_context():
        ida = db.session.scalar(select(User).where(User.email == "ida@example.dk"))
        states = sorted(s.value for s in db.session.scalars(select(Signup.state).where(Signup.user_id == ida.id)))
        db.session.remove()
    assert states == ["confirmed", "waitlisted"]


def test_a_store_that_does_not_answer_limits_per_process_instead_of_failing(limited, caplog):
    app = limited(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1", LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="portal.ratelimits"):
        codes = [submit(client, "/login", {"email": "n@example.dk", "password": "wrong wrong"}).status_code
                 for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "did not answer" in caplog.text


@pytest.mark.parametrize("uri, enabled, warned", [("memory://", True, True), ("redis://127.0.0.1:6379", True, False),
                                                   ("memory://", False, False)])
def test_a_production_app_counting_in_memory_says_so_at_startup(database_url, caplog, uri, enabled, warned):
    with caplog.at_level(logging.WARNING):
        create_app(make_test_config(database_url, TESTING=False, RATELIMIT_STORAGE_URI=uri, RATELIMIT_ENABLED=enabled))
    assert ("rate limits are counted per process" in caplog.text) is warned


def test_behind_a_trusted_proxy_each_client_has_its_own_quota_and_the_header_is_ignored_otherwise(limited):
    """Pins TRUSTED_PROXIES: behind nginx every request comes from the proxy's address, so the
    client is read from X-Forwarded-For (the last entry the proxy added); without a trusted
    proxy the header is the client's own claim and changes nothing."""
    def attempts(app, addresses):
        codes = []
        for address in addresses:
            client = app.test_client()
            client.environ_base["HTTP_X_FORWARDED_FOR"] = f"10.9.9.9, {address}"  # the first part is the client's claim
            codes.append(submit(client, "/login", {"email": "n@example.dk", "password": "wrong wrong"}).status_code)
        return codes

    proxied = limited(LOGIN_RATE_LIMIT="1 per minute", TRUSTED_PROXIES=1)
    assert attempts(proxied, ["203.0.113.5", "203.0.113.6", "203.0.113.5"]) == [200, 200, 429]
    direct = limited(LOGIN_RATE_LIMIT="1 per minute")
    assert attempts(direct, ["203.0.113.5", "203.0.113.6"]) == [200, 429]


@pytest.mark.parametrize("remote, network", [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
])
def test_an_ipv6_client_counts_by_its_64(app, remote, network):
    from portal.ratelimits import client_network
    with app.test_request_context(environ_base={"REMOTE_ADDR": remote}):
        assert client_network() == network
