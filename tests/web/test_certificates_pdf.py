"""The certificate PDF as a reader sees it: rendered to PNG with pdftoppm (kept in /tmp/shots/recognition
to look at), its text extracted with pdftotext matches the hours ledger, and its QR code decodes to
the public verification address; the verification page says it is genuine with the same facts.
Hostile names do not break it."""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.core import certificates as art
from portal.extensions import db
from portal.hours import services as ledger
from portal.models import AwardWinner, Attendance, Certificate, Signup, SignupState, User, utcnow
from portal.recognition.certificates import issue_award_certificate
from tests.conftest import login, submit
from tests.factories import (make_award_category, make_award_year, make_nomination, make_organisation,
                             make_slot, make_task, make_user)

SHOTS = Path("/tmp/shots/recognition")
needs_poppler = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
                                   reason="poppler-utils (pdftoppm, pdftotext) is not installed")


def attend(user, org, *, days_ago, hours):
    slot = make_slot(make_task(org), starts_at=utcnow() - timedelta(days=days_ago), hours=hours)
    db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed,
                          attendance=Attendance.attended))
    db.session.flush()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_png(path: Path, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(path), str(SHOTS / name)], check=True)
    return SHOTS / f"{name}.png"


def qr_texts(png: Path) -> list[str]:
    import zxingcpp
    from PIL import Image
    return [found.text for found in zxingcpp.read_barcodes(Image.open(png))]


@pytest.fixture
def volunteer(app):
    with app.app_context():
        ole = make_user(email="ole@example.dk", name="Ole Jensen", locale="da")
        museum = make_organisation(name="Dragør Museum")
        cafe = make_organisation(name="Repair Café Dragør")
        attend(ole, museum, days_ago=30, hours=3)
        attend(ole, cafe, days_ago=20, hours=2.5)
        attend(ole, cafe, days_ago=10, hours=2)
        db.session.commit()
        return ole.id


@needs_poppler
def test_the_pdf_says_what_the_ledger_says_and_its_qr_code_opens_the_verification_page(
        client, app, volunteer, tmp_path):
    login(client, "ole@example.dk")
    assert submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours").status_code == 302
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        code = certificate.code
        user = db.session.get(User, volunteer)
        by_org = ledger.hours_by("organisation", user=user)
        total = ledger.total_hours(user=user)
    response = client.get(f"/certificates/{code}.pdf")
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / "bevis.pdf"
    path.write_bytes(response.data)

    text = pdf_text(path)
    assert "Frivilligbevis" in text and "Ole Jensen" in text
    assert total == 7.5 and f"{art.format_hours(total, 'da')} timer i alt" in text      # "7,5 timer i alt"
    assert "Repair Café Dragør: 4,5 timer" in text and "Dragør Museum: 3 timer" in text
    assert sorted(by_org.values()) == [3.0, 4.5]
    assert app.config["CERTIFICATE_SIGNER_NAME"] in text and code in text

    png = pdf_png(path, "certificate_hours_da")
    url = f"http://localhost/certificates/{code}"
    assert qr_texts(png) == [url]

    # The QR code's address, opened by an employer who is not logged in.
    page = app.test_client().get(url.removeprefix("http://localhost") + "?lang=en").get_data(as_text=True)
    assert "This certificate is genuine" in page and "Ole Jensen" in page
    assert "7.5" in page and "Repair Café Dragør: 4.5" in page


@needs_poppler
def test_an_english_speaker_gets_an_english_certificate(client, app, volunteer, tmp_path):
    with app.app_context():
        db.session.get(User, volunteer).locale = "en"
        db.session.commit()
    login(client, "ole@example.dk")
    submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours")
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    path = tmp_path / "certificate.pdf"
    path.write_bytes(client.get(f"/certificates/{code}.pdf").data)
    text = pdf_text(path)
    assert "Certificate of volunteering" in text and "7.5 hours in total" in text


@needs_poppler
def test_a_winners_certificate_names_the_award_and_the_motivation(app, client, tmp_path):
    with app.app_context():
        year = make_award_year(phase="announced", year=2027)
        category = make_award_category(year, name="Årets frivillige")
        nomination = make_nomination(category, nominee_name="Karen Holm")
        db.session.add(AwardWinner(category_id=category.id, nomination_id=nomination.id,
                                   motivation="Ti år med skruetrækkeren i repaircaféen."))
        db.session.flush()
        nominee = issue_award_certificate(nomination, winner=False, now=utcnow())
        winner = issue_award_certificate(nomination, winner=True, now=utcnow())
        db.session.commit()
        codes = nominee.code, winner.code
    texts = []
    for code, name in zip(codes, ("nominee", "winner")):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(client.get(f"/certificates/{code}.pdf").data)
        pdf_png(path, f"certificate_{name}_da")
        texts.append(" ".join(pdf_text(path).split()))
    assert "Nomineret til Årets frivillige 2027" in texts[0] and "Karen Holm" in texts[0]
    assert "Vinder af Årets frivillige 2027" in texts[1] and "skruetrækkeren" in texts[1]
    page = client.get(f"/certificates/{codes[1]}?lang=en").get_data(as_text=True)
    assert "This certificate is genuine" in page and "Ti år med skruetrækkeren" in page


@needs_poppler
def test_hostile_names_do_not_break_the_pdf(app, client, tmp_path):
    with app.app_context():
        person = make_user(email="h@example.dk", name=("=HYPERLINK(\"http://x\")🙂 Åse\u202e" + "Ø" * 90)[:120])
        org = make_organisation(name="=cmd|' /C calc'!A0 " + "🙂" * 20)
        attend(person, org, days_ago=2, hours=1)
        db.session.commit()
    login(client, "h@example.dk")
    assert submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours").status_code == 302
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    response = client.get(f"/certificates/{code}.pdf")
    assert response.status_code == 200
    path = tmp_path / "hostile.pdf"
    path.write_bytes(response.data)
    text = pdf_text(path)
    assert "=HYPERLINK" in text and "1 time i alt" in text
    png = pdf_png(path, "certificate_hostile")
    assert qr_texts(png) == [f"http://localhost/certificates/{code}"]


def test_an_unknown_or_absurd_code_is_404_and_the_page_is_not_indexed(client, app, volunteer):
    for code in ("nope", "x" * 33, "9223372036854775808", "..", "a.b"):
        assert client.get(f"/certificates/{code}").status_code == 404
        assert client.get(f"/certificates/{code}.pdf").status_code == 404
    assert client.get("/certificates/%00").status_code in (400, 404)
    login(client, "ole@example.dk")
    submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours")
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    response = app.test_client().get(f"/certificates/{code}")
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_the_snapshot_does_not_change_when_the_ledger_does(client, app, volunteer):
    login(client, "ole@example.dk")
    submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours")
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        attend(db.session.get(User, volunteer), make_organisation(name="Ny forening"), days_ago=1, hours=5)
        db.session.commit()
        code, details = certificate.code, json.loads(certificate.details)
    page = app.test_client().get(f"/certificates/{code}?lang=en").get_data(as_text=True)
    assert "7.5 hours" in page and "Ny forening" not in page
    assert [row["name"] for row in details["organisations"]] == ["Repair Café Dragør", "Dragør Museum"]


def test_the_verification_page_reads_a_fixed_number_of_queries(client, app, volunteer):
    from tests.conftest import counting_queries
    login(client, "ole@example.dk")
    submit(client, "/me/hours/certificates", {"period": "all"}, form_url="/me/hours")
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    anonymous = app.test_client()
    anonymous.get(f"/certificates/{code}")
    with counting_queries(app) as queries:
        anonymous.get(f"/certificates/{code}")
    assert len(queries) <= 3, queries


@needs_poppler
def test_a_years_certificate_counts_new_years_eve_and_the_dst_night_as_the_ledger_does(client, app, tmp_path):
    """A time starting 31 December at 23:30 local time belongs to that year, all of it; the night the
    clocks go back has an hour more. The PDF, the verification page and /me/hours say the ledger's hours."""
    from datetime import date, datetime, time

    from portal.core.hours import Period
    from portal.core.timeutil import to_local, to_utc

    year = to_local(utcnow()).year - 1
    october_end = max(date(year, 10, d) for d in range(25, 32) if date(year, 10, d).weekday() == 6)
    with app.app_context():
        user = make_user(email="nytaar@example.dk", name="Nanna Nytår", locale="da")
        org = make_organisation(name="Dragør Nattevagt")
        for starts, hours in ((to_utc(date(year, 12, 31), time(23, 30)), 2),          # into the new year
                              (to_utc(october_end, time(0, 30)), 4),                    # over the DST change
                              (to_utc(date(year, 1, 1), time(0, 0)) - timedelta(minutes=30), 1)):  # year before
            slot = make_slot(make_task(org), starts_at=starts, hours=hours)
            db.session.add(Signup(user_id=user.id, slot_id=slot.id, state=SignupState.confirmed,
                                  attendance=Attendance.attended))
        db.session.commit()
        expected = ledger.total_hours(user=user, period=Period.year(year))
    assert expected == 6.0
    login(client, "nytaar@example.dk")
    assert submit(client, "/me/hours/certificates", {"period": str(year)}, form_url="/me/hours").status_code == 302
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    path = tmp_path / "aar.pdf"
    path.write_bytes(client.get(f"/certificates/{code}.pdf").data)
    text = " ".join(pdf_text(path).split())
    assert "6 timer i alt" in text and "Dragør Nattevagt: 6 timer" in text
    assert f"1. januar {year} - 31. december {year}" in text
    page = app.test_client().get(f"/certificates/{code}?lang=en").get_data(as_text=True)
    assert "Dragør Nattevagt: 6 hours" in page
    mine = client.get("/me/hours?lang=en").get_data(as_text=True)
    assert str(year) in mine and str(year - 1) in mine
