"""Certificates as services: a nominee's or winner's certificate is a snapshot issued once per
nomination and kind; a certificate of volunteering snapshots the hours ledger."""

import json
from datetime import timedelta

from portal.extensions import db
from portal.models import Attendance, AwardWinner, CertificateKind, Signup, SignupState, utcnow
from portal.recognition.certificates import details_of, issue_award_certificate, issue_hours_certificate
from tests.factories import (make_award_category, make_award_year, make_nomination, make_organisation,
                             make_slot, make_task, make_user)


def test_a_nominee_certificate_names_the_year_category_and_signer_and_is_issued_once(app, ctx):
    now = utcnow()
    year = make_award_year(now=now, phase="announced", year=2027)
    category = make_award_category(year, name="Årets ildsjæl")
    karen = make_user(name="Karen Holm")
    nomination = make_nomination(category, nominee=karen)

    first = issue_award_certificate(nomination, winner=False, now=now)
    again = issue_award_certificate(nomination, winner=False, now=now + timedelta(minutes=5))

    assert again.id == first.id
    assert first.kind is CertificateKind.nominee
    assert first.recipient_name == "Karen Holm" and first.user_id == karen.id
    assert details_of(first) == {"year": 2027, "category_da": "Årets ildsjæl", "category_en": "Årets ildsjæl"}
    assert first.signed_by_name == app.config["CERTIFICATE_SIGNER_NAME"]
    assert first.signed_by_title == app.config["CERTIFICATE_SIGNER_TITLE"]
    assert len(first.code) >= 16 and first.code.replace("-", "").replace("_", "").isalnum()


def test_a_winner_gets_a_second_certificate_with_the_public_motivation(app, ctx):
    now = utcnow()
    category = make_award_category(make_award_year(now=now, phase="announced"))
    nomination = make_nomination(category, nominee_name="Repaircaféens torsdagshold")
    db.session.add(AwardWinner(category_id=category.id, nomination_id=nomination.id,
                               motivation="Ti års torsdage med skruetrækkeren."))
    db.session.flush()

    nominee = issue_award_certificate(nomination, winner=False, now=now)
    winner = issue_award_certificate(nomination, winner=True, now=now)

    assert winner.id != nominee.id and winner.code != nominee.code
    assert winner.kind is CertificateKind.winner and winner.user_id is None
    assert details_of(winner)["motivation"] == "Ti års torsdage med skruetrækkeren."


def test_an_hours_certificate_snapshots_the_ledger_by_organisation(app, ctx):
    now = utcnow()
    person = make_user(name="Ole Jensen")
    museum = make_organisation(name="Dragør Museum")
    cafe = make_organisation(name="Repair Café Dragør")
    for org, hours in ((museum, 3), (cafe, 2), (cafe, 1.5)):
        slot = make_slot(make_task(org), starts_at=now - timedelta(days=40), hours=hours)
        db.session.add(Signup(user_id=person.id, slot_id=slot.id, state=SignupState.confirmed,
                              attendance=Attendance.attended))
    db.session.flush()

    certificate = issue_hours_certificate(person, year=None, now=now)

    assert certificate.kind is CertificateKind.hours and certificate.hours == 6.5
    assert json.loads(certificate.details)["organisations"] == [
        {"name": "Repair Café Dragør", "hours": 3.5}, {"name": "Dragør Museum", "hours": 3.0}]


def test_a_double_click_gets_one_certificate_and_a_later_ask_a_new_one(app):
    import threading

    from sqlalchemy import func, select

    from portal.database import write_transaction
    from portal.models import Certificate, User
    with app.app_context():
        ole = make_user(name="Ole Dobbelt")
        slot = make_slot(make_task(make_organisation()), starts_at=utcnow() - timedelta(days=2), hours=3)
        db.session.add(Signup(user_id=ole.id, slot_id=slot.id, state=SignupState.confirmed,
                              attendance=Attendance.attended))
        db.session.commit()
        user_id = ole.id
        db.session.remove()
    barrier, results, lock, now = threading.Barrier(2, timeout=30), [], threading.Lock(), utcnow()

    def click():
        with app.test_request_context(), write_transaction():
            try:
                barrier.wait()
                result = issue_hours_certificate(db.session.get(User, user_id), year=None, now=now).code
                db.session.commit()
            except Exception as exc:  # any error is the failure this test looks for
                db.session.rollback()
                result = f"{type(exc).__name__}: {exc}".splitlines()[0]
            db.session.remove()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(set(results)) == 1 and len(results[0]) == 22, results
    with app.app_context():
        assert db.session.scalar(select(func.count(Certificate.id))) == 1
        later = issue_hours_certificate(db.session.get(User, user_id), year=None, now=now + timedelta(minutes=5))
        assert later.code != results[0]
        db.session.remove()
