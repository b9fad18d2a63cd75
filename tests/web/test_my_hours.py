"""/me/hours: a volunteer's hours by year and organisation from the one ledger (Danish number format),
the certificate of volunteering made from them, the list of certificates with withdrawal, and the
switch for milestone mails."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attendance, Certificate, HoursEntry, HoursStatus, Signup, SignupState, User, utcnow
from portal.recognition.certificates import details_of
from tests.conftest import counting_queries, login, submit
from tests.factories import make_organisation, make_slot, make_task, make_user


def attend(user, org, *, days_ago, hours):
    slot = make_slot(make_task(org), starts_at=utcnow() - timedelta(days=days_ago), hours=hours)
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed,
                          attendance=Attendance.attended))
    db.session.flush()


@pytest.fixture
def world(app):
    with app.app_context():
        ole = make_user(email="ole@example.dk", name="Ole Jensen")
        make_user(email="other@example.dk", name="Other Person")
        museum = make_organisation(name="Dragør Museum")
        cafe = make_organisation(name="Repair Café Dragør")
        attend(ole, museum, days_ago=400, hours=3)      # last year (or the year before, early in January)
        attend(ole, cafe, days_ago=20, hours=2.5)
        attend(ole, cafe, days_ago=10, hours=2)
        attend(ole, museum, days_ago=5, hours=1)
        # Neither a pending entry nor a no-show counts.
        task = make_task(cafe)
        db.session.add(HoursEntry(task_id=task.id, user_id=ole.id, worked_on=utcnow().date() - timedelta(days=3),
                                  minutes=600, status=HoursStatus.pending))
        slot = make_slot(task, starts_at=utcnow() - timedelta(days=8), hours=4)
        db.session.add(Signup(user_id=ole.id, slot_id=slot.id, state=SignupState.confirmed,
                              attendance=Attendance.no_show))
        db.session.commit()
        return {"ole": ole.id}


def test_my_hours_shows_the_ledger_by_year_and_organisation_in_danish_numbers(client, world):
    login(client, "ole@example.dk")
    page = client.get("/me/hours?lang=da").get_data(as_text=True)
    assert "8,5" in page                      # 3 + 2.5 + 2 + 1; the pending 10 hours and the no-show do not count
    assert "4,5" in page                      # Repair Café, all years
    assert "Dragør Museum" in page and "Repair Café Dragør" in page
    assert "8.5" not in page


def test_my_page_links_to_my_hours(client, world):
    login(client, "ole@example.dk")
    assert 'href="/me/hours"' in client.get("/me").get_data(as_text=True)


def test_asking_for_a_certificate_snapshots_the_hours_and_lists_it(client, app, world):
    login(client, "ole@example.dk")
    response = submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours")
    assert response.status_code == 302
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert certificate.hours == 8.5 and certificate.user_id == world["ole"]
        code = certificate.code
    page = client.get("/me/hours?lang=en").get_data(as_text=True)
    assert code in page and f"/certificates/{code}.pdf" in page


def test_a_year_without_hours_or_a_made_up_period_is_refused_next_to_the_field(client, app, world):
    login(client, "ole@example.dk")
    for value in ("1999", "9223372036854775808", "=cmd|' /C calc'!A0", ""):
        response = submit(client, "/me/hours/certificates?lang=en", {"period": value}, form_url="/me/hours")
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "<h1>My hours</h1>" in page and "form-error" in page
    # A NUL byte is refused before the view, by the portal's own guard.
    assert submit(client, "/me/hours/certificates", {"period": "all\x00"}, form_url="/me/hours").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_someone_without_hours_is_told_why_there_is_no_certificate(client, app, world):
    login(client, "other@example.dk")
    page = client.get("/me/hours?lang=en").get_data(as_text=True)
    assert "You can get a certificate once you have counted hours." in page
    response = submit(client, "/me/hours/certificates?lang=en", {"period": "all"}, form_url="/me/hours")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_the_certificate_limit_answers_429_with_the_form(client, app, world):
    app.config.update(RATELIMIT_ENABLED=True, CERTIFICATE_RATE_LIMIT="2 per hour")
    try:
        login(client, "ole@example.dk")
        codes = [submit(client, "/me/hours/certificates?lang=en", {"period": "all"}, form_url="/me/hours").status_code
                 for _ in range(3)]
    finally:
        app.config.update(RATELIMIT_ENABLED=False, CERTIFICATE_RATE_LIMIT="10 per hour;30 per day")
    assert codes == [302, 302, 429]
    with app.app_context():
        # The second ask came within seconds with the same hours: the same certificate, not a copy.
        assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_withdrawing_marks_the_verification_page_and_only_the_holder_may(client, app, world):
    login(client, "ole@example.dk")
    submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours")
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    other = app.test_client()
    login(other, "other@example.dk")
    assert submit(other, "/me/certificates/withdraw", {"code": code}, form_url="/me/hours").status_code == 404
    assert "is genuine" in app.test_client().get(f"/certificates/{code}?lang=en").get_data(as_text=True)
    assert submit(client, "/me/certificates/withdraw", {"code": code}, form_url="/me/hours").status_code == 302
    anonymous = app.test_client()
    page = anonymous.get(f"/certificates/{code}?lang=en").get_data(as_text=True)
    assert "withdrawn on" in page and "is genuine" not in page
    assert anonymous.get(f"/certificates/{code}.pdf").status_code == 302
    # The holder took it back: the page no longer says who it was for, nor their hours and places.
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        name, organisations = certificate.recipient_name, details_of(certificate)["organisations"]
    assert name and name not in page
    assert organisations and all(row["name"] not in page for row in organisations)
    assert "<dt>Hours</dt>" not in page and "Hours count when" not in page and code in page


def test_the_milestone_switch_turns_the_mails_off_and_on(client, app, world):
    login(client, "ole@example.dk")
    submit(client, "/me/hours/milestones", {}, form_url="/me/hours")          # an unticked box is not sent
    with app.app_context():
        assert db.session.get(User, world["ole"]).milestone_mails is False
    submit(client, "/me/hours/milestones", {"milestone_mails": "y"}, form_url="/me/hours")
    with app.app_context():
        assert db.session.get(User, world["ole"]).milestone_mails is True


def test_my_hours_needs_a_login(client, world):
    response = client.get("/me/hours")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_my_hours_reads_a_fixed_number_of_queries_whatever_the_number_of_certificates(client, app, world):
    login(client, "ole@example.dk")
    submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours")
    with counting_queries(app) as few:
        client.get("/me/hours")
    for _ in range(4):
        submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours")
    with app.app_context():
        org = make_organisation(name="Dragør Bibliotek")
        attend(db.session.get(User, world["ole"]), org, days_ago=2, hours=1)
        db.session.commit()
    with counting_queries(app) as many:
        client.get("/me/hours")
    assert len(many) == len(few)
    assert len(few) <= 8, few


def test_a_nominees_certificate_is_listed_with_its_award(client, app, world):
    from portal.recognition.certificates import issue_award_certificate
    from tests.factories import make_award_category, make_award_year, make_nomination
    with app.app_context():
        ole = db.session.get(User, world["ole"])
        category = make_award_category(make_award_year(phase="announced", year=2031), name="Årets ildsjæl")
        issue_award_certificate(make_nomination(category, nominee=ole), winner=False, now=utcnow())
        db.session.commit()
    login(client, "ole@example.dk")
    page = client.get("/me/hours?lang=en").get_data(as_text=True)
    assert "Nominee&#39;s certificate: Årets ildsjæl 2031" in page or "Nominee's certificate: Årets ildsjæl 2031" in page


def test_the_link_in_a_milestone_mail_switches_them_off_without_logging_in(client, app, world):
    import re

    from portal.models import OutboxMessage
    from portal.recognition.milestones import send_milestone_mails
    with app.test_request_context():
        assert send_milestone_mails(now=utcnow()) == 1
        db.session.commit()
        body = db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.to_email == "ole@example.dk"))
    path = re.search(r"http://localhost(/milestone-mails/off/\S+)", body).group(1)
    page = client.get(path + "?lang=en")
    assert "Stop thank-you mails" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, world["ole"]).milestone_mails is True       # a GET changes nothing
    assert submit(client, path, form_url=path).status_code == 200
    with app.app_context():
        assert db.session.get(User, world["ole"]).milestone_mails is False
    # A forged or altered link does nothing.
    for bad in ("tok", path.rsplit("/", 1)[1][:-2] + "xx", "MQ.abc", "\u00f8"):
        assert client.get(f"/milestone-mails/off/{bad}").status_code == 400
