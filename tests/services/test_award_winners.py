"""Winners after the announcement (issue 12): the hall of fame shows only announced years, newest
first; the tick step thanks every consenting nominee once (a certificate, and a mail in their
language with the certificate's link), even when two nodes run it at the same moment (threads, on
whichever database the suite runs)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal import jobs
from portal.awards import jury_services as jury
from portal.awards import winners
from portal.database import write_transaction
from portal.extensions import db
from portal.models import AwardYear, Certificate, CertificateKind, OutboxMessage, utcnow
from tests.factories import (make_award_category, make_award_year, make_jury_member, make_nomination,
                             make_user)


def _decide(year, category, nomination, motivation="Hun holder repaircaféen åben hver torsdag."):
    """Record a winner while the jury works, then move the year's announcement into the past."""
    announce = year.announce_at
    year.announce_at = utcnow() + timedelta(days=1)
    db.session.flush()
    jury.record_winner(category, nomination, make_user(coordinator=True), motivation=motivation, now=utcnow())
    year.announce_at = announce
    db.session.flush()


def _nominated(category, name, email=None, **fields):
    """A nominee known by name (and an e-mail address where consent was asked), without an account."""
    nomination = make_nomination(category, nominee_name=name, **fields)
    nomination.nominee_email = email
    db.session.flush()
    return nomination


def test_the_tick_step_is_registered():
    assert any(step.target == "portal.awards.winners:thank_nominees" for step in jobs.steps())


def test_hall_of_fame_shows_announced_years_only_newest_first_in_category_order(ctx):
    now = utcnow()
    old = make_award_year(phase="announced", year=2024)
    new = make_award_year(phase="announced", year=2025, announce_at=now - timedelta(days=1))
    coming = make_award_year(phase="jury", year=2026)
    for year in (old, new, coming):
        second = make_award_category(year, name=f"Årets forening {year.year}", kind="association", sort_order=2)
        first = make_award_category(year, name=f"Årets frivillige {year.year}", sort_order=1)
        _decide(year, second, make_nomination(second, nominee_name=f"Naturvogterne {year.year}"),
                motivation="For ryddede strande.")
        _decide(year, first, make_nomination(first, nominee_name=f"Birthe {year.year}"))
    hidden_category = make_award_category(old, name="Skjult vinder")
    hidden = make_nomination(hidden_category, nominee_name="Trukket tilbage")
    _decide(old, hidden_category, hidden)
    hidden.hidden_at = now
    db.session.flush()

    fame = winners.hall_of_fame(now=now)
    assert list(fame) == [2025, 2024]
    assert [w.nominee_name for w in fame[2025]] == ["Birthe 2025", "Naturvogterne 2025"]
    assert fame[2025][1].motivation == "For ryddede strande."
    assert fame[2025][0].category_name_da == "Årets frivillige 2025"
    assert "Trukket tilbage" not in [w.nominee_name for w in fame[2024]]
    # At the announcement time exactly, the year is public.
    assert 2026 in winners.hall_of_fame(now=coming.announce_at)
    assert 2026 not in winners.hall_of_fame(now=coming.announce_at - timedelta(seconds=1))


@pytest.fixture
def announced(ctx):
    """A year just announced: a winner with an English account, a nominee with a Danish account, a
    nominee reached by e-mail only, one without any address, one who declined and one never asked."""
    year = make_award_year(phase="jury", year=2027)
    category = make_award_category(year, name="Årets frivillige")
    english = make_user(email="sam@example.dk", name="Sam Hughes")
    english.locale = "en"
    danish = make_user(email="karen@example.dk", name="Karen Holm")
    won = make_nomination(category, nominee=english)
    make_nomination(category, nominee=danish)
    _nominated(category, "Ole By-mail", "ole@example.dk")
    make_nomination(category, nominee_name="Koret på Wiedergården")
    _nominated(category, "Sagde nej", "nej@example.dk", consent="declined")
    _nominated(category, "Aldrig svaret", "ventede@example.dk", consent="pending")
    make_jury_member(year)
    jury.record_winner(category, won, make_user(coordinator=True), motivation="Sam har lært 40 børn at cykle.",
                       now=utcnow())
    year.announce_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    return year


def test_thanks_go_once_to_every_consenting_nominee_in_their_language(announced):
    now = utcnow()
    assert winners.thank_nominees(now=now) == 4
    mails = {m.to_email: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mails) == {"sam@example.dk", "karen@example.dk", "ole@example.dk"}
    sam, karen = mails["sam@example.dk"], mails["karen@example.dk"]
    assert sam.subject.startswith("Congratulations") and "Sam har lært 40 børn at cykle." in sam.body_text
    assert "Sam har lært" not in karen.body_text
    certificates = db.session.scalars(select(Certificate)).all()
    assert sorted(c.kind.value for c in certificates) == ["nominee", "nominee", "nominee", "winner"]
    assert "Koret på Wiedergården" in [c.recipient_name for c in certificates]
    for mail in mails.values():
        codes = [c.code for c in certificates if c.code in mail.body_text]
        assert len(codes) == 1 and f"http://localhost/certificates/{codes[0]}" in mail.body_text
    assert db.session.get(AwardYear, announced.id).thanked_at is not None
    db.session.commit()
    assert winners.thank_nominees(now=now + timedelta(hours=1)) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 3


def test_mails_are_in_the_nominees_language(announced, app):
    """With the Danish catalogue compiled the Danish mail is Danish; the English one is English either way."""
    winners.thank_nominees(now=utcnow())
    sam = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "sam@example.dk"))
    assert "Dear Sam Hughes" in sam.body_text and "Your personal certificate" in sam.body_text
    ole = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "ole@example.dk"))
    from flask_babel import force_locale, gettext
    with force_locale("da"):
        expected = gettext("Your personal certificate:")
    assert expected in ole.body_text


def test_nothing_is_thanked_before_the_announcement(ctx):
    year = make_award_year(phase="jury")
    _nominated(make_award_category(year), "Anna", "a@example.dk")
    assert winners.thank_nominees(now=utcnow()) == 0
    assert year.thanked_at is None
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_two_ticks_at_once_thank_each_nominee_once(app):
    with app.app_context():
        year = make_award_year(phase="announced", year=2031)
        category = make_award_category(year)
        for n in range(5):
            _nominated(category, f"Nominee {n}", f"n{n}@example.dk")
        db.session.commit()
        db.session.remove()

    barrier = threading.Barrier(2, timeout=60)
    results, errors = [], []
    lock = threading.Lock()

    def tick():
        with app.test_request_context():
            try:
                with write_transaction():
                    barrier.wait()
                    done = winners.thank_nominees(now=utcnow())
                    db.session.commit()
                with lock:
                    results.append(done)
            except Exception as exc:  # noqa: BLE001 - any error fails the test
                db.session.rollback()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert sorted(results) == [0, 5]
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 5
        assert db.session.scalar(select(func.count(Certificate.id)).where(
            Certificate.kind == CertificateKind.nominee)) == 5
        db.session.remove()
