"""The printable posters as a reader sees them: text read back with pdftotext, the QR code decoded
(rendered with pdftoppm, read with zxing-cpp) to the task page's address; the visitor's language;
drafts hidden from the public; hostile titles print as "?" instead of breaking the page; no
personal data on the poster."""

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from portal.core import posters
from portal.extensions import db
from portal.models import Slot, SlotStatus, utcnow
from tests.conftest import login
from tests.factories import make_organisation, make_slot, make_task, make_user

needs_poppler = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
                                   reason="poppler-utils (pdftoppm, pdftotext) is not installed")
SHOTS = Path("/tmp/shots/messages")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plakat.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    return " ".join(out.split())     # words as a reader reads them, whatever the line breaks


def qr_texts(data: bytes, name: str) -> list[str]:
    import zxingcpp
    from PIL import Image
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(SHOTS / f"{name}.pdf"), str(SHOTS / name)],
                   check=True)
    return [found.text for found in zxingcpp.read_barcodes(Image.open(SHOTS / f"{name}.png"))]


@pytest.fixture
def beach(app):
    """A published beach clean-up with five upcoming times, a past one and a cancelled one."""
    with app.app_context():
        org = make_organisation(admin=make_user(email="mette@strand.dk"), name="Dragør Strandlaug")
        task = make_task(org, title="Strandrydning ved Kalkbrænderiet")
        task.place_name = "Kalkbrænderiet"
        task.description = ("Vi samler plastik og affald på stranden, så fugle og fisk slipper. " * 20).strip()
        now = utcnow()
        starts = [now + timedelta(days=d) for d in (2, 9, 16, 23, 30)]
        for start in starts:
            make_slot(task, starts_at=start, hours=2)
        make_slot(task, starts_at=now - timedelta(days=3))
        gone = make_slot(task, starts_at=now + timedelta(days=1))
        gone.status = SlotStatus.cancelled
        db.session.commit()
        facts = {"id": task.id, "starts": starts}
        db.session.remove()
        return facts


@needs_poppler
def test_a_task_poster_says_what_when_where_and_its_qr_code_opens_the_task(client, beach, tmp_path):
    response = client.get(f"/tasks/{beach['id']}/poster.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="plakat-{beach["id"]}.pdf"'
    text = pdf_text(response.data, tmp_path)
    assert "Strandrydning ved Kalkbrænderiet" in text and "Hos Dragør Strandlaug" in text
    assert "Hvornår" in text and "Hvor" in text and "Kalkbrænderiet, Vinkelvej 2, 2791 Dragør" in text
    # The next four times in Danish words and Danish time, then how many more; not the past or cancelled.
    for start in beach["starts"][:4]:
        assert posters.time_line(start, start + timedelta(hours=2), "da") in text
    assert "og 1 tid mere" in text
    assert "Vi samler plastik" in text and text.count("fugle og fisk") < 20            # cut cleanly
    assert f"http://localhost/tasks/{beach['id']}" in text and "Scan koden og meld dig til" in text
    assert "Mette" not in text and "mette@" not in text and "32 89 01 00" not in text   # no contact details
    assert qr_texts(response.data, "task_da") == [f"http://localhost/tasks/{beach['id']}"]


@needs_poppler
def test_the_poster_is_in_the_visitors_language(client, beach, tmp_path):
    text = pdf_text(client.get(f"/tasks/{beach['id']}/poster.pdf?lang=en").data, tmp_path)
    assert "With Dragør Strandlaug" in text and "When" in text and "Scan the code and sign up" in text
    start = beach["starts"][0]
    assert posters.time_line(start, start + timedelta(hours=2), "en") in text


@needs_poppler
def test_the_portal_poster_invites_everyone_with_the_portals_address(client, tmp_path):
    response = client.get("/poster.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'inline; filename="plakat-dragoer-frivillig.pdf"'
    text = pdf_text(response.data, tmp_path)
    assert "Bliv frivillig i Dragør" in text and "http://localhost/" in text
    assert "Ring til frivillighedskoordinatoren på 32 89 01 00" in text
    assert qr_texts(response.data, "portal_da") == ["http://localhost/"]
    assert "Volunteer in Dragør" in pdf_text(client.get("/poster.pdf?lang=en").data, tmp_path)


def test_a_draft_tasks_poster_is_for_its_organisation_only(client, app):
    with app.app_context():
        org = make_organisation(admin=make_user(email="skole@dragoer.dk"))
        draft = make_task(org, status="draft").id
        db.session.commit()
    assert client.get(f"/tasks/{draft}/poster.pdf").status_code == 404
    assert client.get("/tasks/99999999999999999999/poster.pdf").status_code == 404
    login(client, "skole@dragoer.dk")
    response = client.get(f"/tasks/{draft}/poster.pdf")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]


@needs_poppler
@pytest.mark.parametrize("title", [
    "Strand\nrydning\r\n🌊🌊 med \u202eomvendt\u202c tekst",
    "مرحبا بالمتطوعين",
    "Kontrol\x01tegn og \x1b[31mfarve",  # (PostgreSQL stores no NUL at all)
    "Ø" * 140,
])
def test_a_hostile_title_prints_as_question_marks_not_a_crash(client, app, title, tmp_path):
    with app.app_context():
        org = make_organisation(name="Forening 🎉 \u202eevil")
        task = make_task(org, title="x")
        task.title = title
        task.description = "Beskrivelse\x07 med 😀\n\nog linjer " + "ord " * 2000
        make_slot(task, starts_at=utcnow() + timedelta(days=4))
        db.session.commit()
        task_id = task.id
    response = client.get(f"/tasks/{task_id}/poster.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "\u202e" not in text and "\x01" not in text and "\x07" not in text
    assert "Forening ? evil" in text
    if "🌊" in title:
        assert "Strand rydning ?? med omvendt tekst" in text
    if title.startswith("م"):
        assert "????" in text


@needs_poppler
def test_an_ongoing_role_without_times_says_so(client, app, tmp_path):
    with app.app_context():
        task_id = make_task(make_organisation(), kind="ongoing", title="Lektiecafé").id
        db.session.commit()
    text = pdf_text(client.get(f"/tasks/{task_id}/poster.pdf").data, tmp_path)
    assert "Løbende - vi aftaler tiderne sammen med dig" in text
