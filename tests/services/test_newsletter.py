"""The coordinator's newsletter (issue 13): who gets it (opted in, confirmed, by interest and postcode;
assisted profiles without e-mail skipped and NOT put on the call list), the needs filled in, each reader's
language and unsubscribe link, List-Unsubscribe headers in the built mail, sending once only (also when
two coordinators press at once, on SQLite and PostgreSQL), and hostile text that never breaks a mail."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.database import write_transaction
from portal.extensions import db
from portal.mail import build_email
from portal.models import (AuditEvent, CallListItem, Category, Newsletter, NewsletterStatus, OutboxMessage, utcnow)
from portal.newsletter import errors, queries, services
from portal.volunteers.services import ensure_profile
from tests import clicks
from tests.factories import make_assisted, make_organisation, make_slot, make_task, make_user


def _category(slug="older-people"):
    return db.session.scalar(select(Category).where(Category.slug == slug))


def volunteer(*, opt_in=True, locale="da", postcode="2791", interests=("older-people",), confirmed=True,
              name=None):
    user = make_user(locale=locale, postcode=postcode, confirmed=confirmed, name=name)
    profile = ensure_profile(user)
    profile.interests = [_category(slug) for slug in interests]
    if opt_in:
        services.set_opt_in(user, True)
    db.session.flush()
    return user


def draft(coordinator, **fields):
    values = dict(subject_da="Julehjælp på Enggården", subject_en="Christmas help at Enggården",
                  intro_da="Kære frivillige,\n\nDer er brug for jer.", intro_en="Dear volunteers,\n\nWe need you.",
                  category_id=None, postcode=None, now=utcnow())
    values.update(fields)
    return services.save(None, coordinator, **values)


def outbox():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_only_opted_in_confirmed_people_with_email_are_recipients_and_assisted_go_nowhere(ctx):
    coordinator = make_user(coordinator=True)
    yes = volunteer()
    volunteer(opt_in=False)
    volunteer(confirmed=False)
    assisted = make_assisted()
    services.set_opt_in(assisted, True)     # even if someone ticked it for them: no e-mail, no newsletter
    sent = services.send(draft(coordinator), coordinator, now=utcnow())
    assert sent == 1
    assert [m.to_email for m in outbox()] == [yes.email]
    assert db.session.scalar(select(func.count(CallListItem.id))) == 0


def test_interest_and_postcode_narrow_the_recipients(ctx):
    coordinator = make_user(coordinator=True)
    both = volunteer(interests=("older-people",), postcode="2791")
    volunteer(interests=("older-people",), postcode="2770")
    other = _category_slug_other()
    volunteer(interests=(other,), postcode="2791")
    older = _category("older-people")
    assert queries.recipient_count(None, None) == 3
    assert queries.recipient_count(older.id, None) == 2
    assert queries.recipient_count(None, "2791") == 2
    newsletter = draft(coordinator, category_id=older.id, postcode="2791")
    assert services.send(newsletter, coordinator, now=utcnow()) == 1
    assert [m.to_email for m in outbox()] == [both.email]


def _category_slug_other() -> str:
    return db.session.scalar(select(Category.slug).where(Category.slug != "older-people").order_by(Category.id))


def test_each_reader_gets_their_language_their_name_the_needs_and_their_own_unsubscribe_link(ctx):
    coordinator = make_user(coordinator=True)
    now = utcnow()
    org = make_organisation(name="Enggården")
    task = make_task(org, title="Juletræ\ni forhallen")           # a stored newline must not break the mail
    make_slot(task, starts_at=now + timedelta(days=2), capacity=4)
    later = make_task(org, title="Langt ude i fremtiden")
    make_slot(later, starts_at=now + timedelta(days=20))
    dane = volunteer(name="Karen Jensen")
    brit = volunteer(locale="en", name="Peter Smith")
    services.send(draft(coordinator, intro_da="Første afsnit.\r\n\r\n\r\nAndet afsnit 🎄"), coordinator, now=now)
    by_address = {m.to_email: m for m in outbox()}
    da, en = by_address[dane.email], by_address[brit.email]
    assert da.subject == "Julehjælp på Enggården" and en.subject == "Christmas help at Enggården"
    assert "Karen Jensen" in da.body_text and "Peter Smith" in en.body_text
    assert "Første afsnit.\n\nAndet afsnit 🎄" in da.body_text
    assert "Dear volunteers,\n\nWe need you." in en.body_text
    assert "- Juletræ i forhallen (Enggården)" in da.body_text
    assert f"/tasks/{task.id}" in da.body_text and "Langt ude" not in da.body_text
    assert "4 more people are needed" in en.body_text
    dane_token = dane.volunteer_profile.newsletter_token
    assert da.list_unsubscribe == f"http://localhost/newsletter/unsubscribe/{dane_token}"
    assert da.list_unsubscribe in da.body_text and da.list_unsubscribe not in en.body_text
    assert en.list_unsubscribe.endswith(brit.volunteer_profile.newsletter_token)


def test_the_built_mail_has_one_click_unsubscribe_headers(ctx):
    coordinator = make_user(coordinator=True)
    volunteer()
    services.send(draft(coordinator, subject_da="Linje\r\nBcc: alle@example.dk"), coordinator, now=utcnow())
    mail = build_email(outbox()[0], "frivillig@dragoer.dk")
    assert mail["List-Unsubscribe"] == f"<{outbox()[0].list_unsubscribe}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Bcc"] is None and "\n" not in mail["Subject"]
    assert mail["From"].addresses[0].display_name == "Dragør Frivillig"


def test_sent_once_marks_it_sent_with_the_count_audits_and_refuses_a_second_time(ctx):
    coordinator = make_user(coordinator=True)
    volunteer(), volunteer(locale="en")
    newsletter = draft(coordinator)
    now = utcnow()
    assert services.send(newsletter, coordinator, now=now) == 2
    db.session.commit()
    db.session.refresh(newsletter)
    assert newsletter.status is NewsletterStatus.sent and newsletter.recipient_count == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "newsletter_sent"))
    assert event.summary == "2 recipients" and event.object_id == newsletter.id
    with pytest.raises(errors.NewsletterError):
        services.send(newsletter, coordinator, now=now)
    db.session.rollback()
    with pytest.raises(errors.NewsletterError):
        services.save(newsletter, coordinator, subject_da="x", subject_en="x", intro_da="x", intro_en="x",
                      category_id=None, postcode=None, now=now)
    db.session.rollback()
    assert len(outbox()) == 2


def test_nobody_to_send_to_leaves_it_a_draft(ctx):
    coordinator = make_user(coordinator=True)
    newsletter = draft(coordinator)
    db.session.commit()
    with pytest.raises(errors.NewsletterError):
        services.send(newsletter, coordinator, now=utcnow())
    db.session.rollback()
    assert db.session.get(Newsletter, newsletter.id).status is NewsletterStatus.draft


def test_two_coordinators_pressing_send_at_once_send_it_once(app):
    with app.app_context():
        coordinators = [make_user(coordinator=True).id for _ in range(6)]
        for _ in range(5):
            volunteer()
        newsletter = draft(db.session.get(__import__("portal.models", fromlist=["User"]).User, coordinators[0]))
        db.session.commit()
        newsletter_id = newsletter.id
        db.session.remove()

    def press(newsletter, user):
        try:
            return services.send(newsletter, user, now=utcnow())
        except errors.NewsletterError:
            db.session.rollback()
            return "already sent"

    outcomes, problems = clicks.race(app, Newsletter, newsletter_id, coordinators, press)
    assert problems == []
    assert outcomes == {5: 1, "already sent": 5}
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 5
        db.session.remove()


def test_unsubscribe_turns_the_newsletter_off_and_unknown_tokens_change_nothing(ctx):
    user = volunteer()
    token = user.volunteer_profile.newsletter_token
    assert services.unsubscribe("x" * 43) is False
    assert services.unsubscribe("nul\x00byte") is False
    assert services.unsubscribe("a" * 10_000) is False
    assert user.volunteer_profile.newsletter_opt_in is True
    assert services.unsubscribe(token) is True
    assert user.volunteer_profile.newsletter_opt_in is False
    assert services.unsubscribe(token) is True      # twice is fine


def test_opting_in_makes_a_token_once_and_opting_out_keeps_it(ctx):
    user = make_user()
    profile = services.set_opt_in(user, True)
    token = profile.newsletter_token
    assert token and len(token) >= 40
    services.set_opt_in(user, False)
    services.set_opt_in(user, True)
    assert profile.newsletter_token == token


def test_the_needs_are_the_next_14_days_soonest_first_one_per_task_and_filtered(ctx):
    now = utcnow()
    org = make_organisation()
    soon = make_task(org, title="Snart")
    make_slot(soon, starts_at=now + timedelta(days=1))
    make_slot(soon, starts_at=now + timedelta(days=3))
    full = make_task(org, title="Fuld")
    slot = make_slot(full, starts_at=now + timedelta(hours=5), capacity=1)
    slot.taken = 1
    past = make_task(org, title="Forbi")
    make_slot(past, starts_at=now - timedelta(hours=2))
    other = make_task(org, title="Andet sted")
    other.postcode = "2770"
    make_slot(other, starts_at=now + timedelta(days=2))
    draft_task = make_task(org, title="Kladde", status="draft")
    make_slot(draft_task, starts_at=now + timedelta(days=1))
    db.session.flush()
    assert [n.title for n in queries.upcoming_needs(now=now)] == ["Snart", "Andet sted"]
    assert [n.title for n in queries.upcoming_needs(now=now, postcode="2791")] == ["Snart"]
    other_category = db.session.scalar(select(Category.id).where(Category.slug != "older-people"))
    assert queries.upcoming_needs(now=now, category_id=other_category) == []


def test_five_thousand_recipients_are_queued_in_one_go(ctx):
    """Dragør scale and more: 5,000 opted-in volunteers; the time is printed for the report."""
    import time

    from portal.auth.services import hash_password  # noqa: F401  (make_user is too slow here; bulk rows)
    from portal.models import User, VolunteerProfile
    coordinator = make_user(coordinator=True)
    now = utcnow()
    users = [dict(email=f"many{i}@example.dk", name=f"Frivillig {i}", locale="en" if i % 5 == 0 else "da",
                  postcode="2791", email_confirmed_at=now, created_at=now, updated_at=now, session_version=1,
                  is_coordinator=False, milestone_mails=True) for i in range(5000)]
    db.session.execute(__import__("sqlalchemy").insert(User), users)
    ids = db.session.scalars(select(User.id).where(User.email.like("many%"))).all()
    db.session.execute(__import__("sqlalchemy").insert(VolunteerProfile),
                       [dict(user_id=i, availability=0, newsletter_opt_in=True, created_at=now, updated_at=now)
                        for i in ids])
    newsletter = draft(coordinator)
    db.session.commit()
    started = time.perf_counter()
    with write_transaction():
        assert services.send(newsletter, coordinator, now=now) == 5000
        db.session.commit()
    print(f"\nnewsletter to 5000: {time.perf_counter() - started:.2f} s")
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 5000
    tokens = db.session.scalar(select(func.count(func.distinct(VolunteerProfile.newsletter_token))))
    assert tokens == 5000


@pytest.fixture
def limits_on(app):
    import uuid
    saved = {key: app.config.get(key) for key in ("RATELIMIT_ENABLED", "NEWSLETTER_RATE_LIMIT",
                                                  "RATELIMIT_KEY_PREFIX")}
    app.config.update(RATELIMIT_ENABLED=True, NEWSLETTER_RATE_LIMIT="1 per day",
                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    yield
    app.config.update(saved)


def test_a_coordinator_may_send_only_so_many_newsletters(ctx, limits_on):
    from portal.ratelimits import TooMany
    coordinator = make_user(coordinator=True)
    volunteer()
    assert services.send(draft(coordinator), coordinator, now=utcnow()) == 1
    second = draft(coordinator)
    db.session.commit()
    with pytest.raises(TooMany):
        services.send(second, coordinator, now=utcnow())
    db.session.rollback()
    assert db.session.get(Newsletter, second.id).status is NewsletterStatus.draft


def test_the_personal_data_export_says_whether_the_person_gets_the_newsletter(ctx):
    import json

    from portal.account.services import export_data
    user = volunteer()
    assert '"newsletter": true' in json.dumps(export_data(user))
