"""Journey (issue 12, recognition): a volunteer opens Min side, follows the link to /me/hours, sees
her hours by year and organisation, asks for a certificate of volunteering, downloads the PDF (its
text names the same hours), and an employer who is not logged in opens the verification page the QR
code points to: it says the certificate is genuine with the same hours. axe on /me/hours and the
verification page in Danish and English, at desktop and phone width; screenshots in
build/screenshots and /tmp/shots/recognition."""

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Attendance, Certificate, Signup, SignupState, User, utcnow
from tests.browser.helpers import (SCREENSHOTS, check_a11y, check_in_english, log_in, path_of, shoot, submit_form,
                                   unique_email)
from tests.factories import make_organisation, make_slot, make_task, make_user

SHOTS = Path("/tmp/shots/recognition")


def _shoot(page, name):
    shoot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for kind in ("desktop", "phone"):
        shutil.copy(SCREENSHOTS / f"{name}-{kind}.png", SHOTS / f"{name}-{kind}.png")


def _volunteer(live_server) -> str:
    email = unique_email("karen")
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        karen = make_user(email=email, name="Karen Holm")
        for org_name, rows in (("Enggården", ((400, 2), (30, 1.5))), ("Repair Café Dragør", ((20, 3), (6, 2.5)))):
            org = make_organisation(name=org_name)
            task = make_task(org, title=f"Hjælp hos {org_name}")
            for days_ago, hours in rows:
                slot = make_slot(task, starts_at=utcnow() - timedelta(days=days_ago), hours=hours)
                db.session.add(Signup(user_id=karen.id, slot_id=slot.id, state=SignupState.confirmed,
                                      attendance=Attendance.attended))
        db.session.commit()
        db.session.remove()
    return email


def test_a_volunteer_gets_a_certificate_and_an_employer_verifies_it(live_server, new_page, tmp_path):
    email = _volunteer(live_server)
    page = new_page()
    log_in(page, email)
    page.goto("/me")
    with page.expect_navigation():
        page.click("main a[href='/me/hours']")
    assert path_of(page) == "/me/hours"
    assert "9" in page.locator(".hours-total__number").inner_text()     # 2 + 1.5 + 3 + 2.5 = 9
    assert page.locator("main table").first.locator("tbody tr").count() >= 4   # two years, two organisations
    check_a11y(page, "my hours (da)")
    _shoot(page, "recognition-my-hours-da")
    check_in_english(page, "/me/hours", "my hours", screenshot="recognition-my-hours")

    # Ask for a certificate for all the time, then download its PDF.
    page.check("main form[action='/me/hours/certificates'] input[value='all']")
    submit_form(page, "main form[action='/me/hours/certificates']")
    assert path_of(page) == "/me/hours"
    check_a11y(page, "my hours with a certificate (da)")
    _shoot(page, "recognition-my-certificates-da")
    link = page.locator("main a[href$='.pdf']").first
    with page.expect_download() as download:
        link.click()
    pdf = tmp_path / "frivilligbevis.pdf"
    download.value.save_as(pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Karen Holm" in text and "9 timer i alt" in text
        assert "Repair Café Dragør: 5,5 timer" in text and "Enggården: 3,5 timer" in text
    with live_server.app.app_context():
        karen = db.session.scalar(select(User).where(User.email == email))
        code = db.session.scalar(select(Certificate.code).where(Certificate.user_id == karen.id))
        db.session.remove()

    # The employer opens the address on the QR code, without logging in, on a phone.
    employer = new_page(viewport={"width": 390, "height": 844})
    employer.goto(f"/certificates/{code}")
    verdict = employer.locator(".recognition-verdict").inner_text()
    assert "ægte" in verdict or "genuine" in verdict
    facts = employer.locator("dl.recognition-facts").inner_text()
    assert "Karen Holm" in facts and "9" in facts and "Repair Café Dragør: 5,5" in facts
    check_a11y(employer, "certificate verification (da)")
    _shoot(employer, "recognition-verify-da")
    check_in_english(employer, f"/certificates/{code}", "certificate verification",
                     screenshot="recognition-verify")
    employer.goto(f"/certificates/{code}?lang=en")
    assert "This certificate is genuine" in employer.locator(".recognition-verdict").inner_text()
    assert "Repair Café Dragør: 5.5" in employer.locator("dl.recognition-facts").inner_text()

    # Karen withdraws it; the employer's page now says so.
    page.goto("/me/hours")
    submit_form(page, "main form[action='/me/certificates/withdraw']")
    employer.goto(f"/certificates/{code}?lang=en")
    assert "withdrawn" in employer.locator(".recognition-verdict").inner_text()
    check_a11y(employer, "withdrawn certificate (en)")
    employer.goto(f"/certificates/{code}?lang=da")


def test_the_link_in_a_milestone_mail_switches_the_mails_off(live_server, new_page):
    from portal.recognition.services import milestone_optout_token
    email = _volunteer(live_server)
    with live_server.app.test_request_context():
        karen = db.session.scalar(select(User).where(User.email == email))
        path = f"/milestone-mails/off/{milestone_optout_token(karen)}"
        db.session.remove()
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(path)
    check_a11y(page, "milestone mails off (da)")
    check_in_english(page, path, "milestone mails off")
    _shoot(page, "recognition-milestones-off-da")
    submit_form(page)
    check_a11y(page, "milestone mails are off (da)")
    with live_server.app.app_context():
        assert db.session.scalar(select(User.milestone_mails).where(User.email == email)) is False
        db.session.remove()
