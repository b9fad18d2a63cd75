"""What a certificate says, without Flask or a database: Danish and English numbers and dates, and
a PDF that hostile text cannot break."""

from datetime import date

from portal.core import certificates as art


def facts(**changes):
    base = dict(kind="hours", lang="da", recipient="Karen Holm", code="abcdefghijklmnop1234",
                url="https://frivillig.dragoer.dk/certificates/abcdefghijklmnop1234", issued_on=date(2026, 11, 29),
                signer_name="Anne Møller", signer_title="Frivillighedskoordinator", hours=7.5,
                period_start=date(2026, 1, 1), period_end=date(2026, 11, 29),
                organisations=[art.OrganisationHours("Dragør Museum", 7.5)])
    base.update(changes)
    return art.CertificateFacts(**base)


def test_hours_are_written_the_danish_or_english_way():
    assert art.format_hours(7.5, "da") == "7,5" and art.format_hours(7.5, "en") == "7.5"
    assert art.format_hours(1234.5, "da") == "1.234,5" and art.format_hours(1234.5, "en") == "1,234.5"
    assert art.format_hours(12.0, "da") == "12"
    assert art.hours_unit(1, "da") == "time" and art.hours_unit(2, "da") == "timer"


def test_dates_and_titles_in_the_holders_language():
    assert art.format_day(date(2027, 9, 24), "da") == "24. september 2027"
    assert art.format_day(date(2027, 9, 24), "en") == "24 September 2027"
    assert art.title_of(facts()) == "Frivilligbevis"
    assert art.title_of(facts(lang="en-GB")) == "Certificate of volunteering"
    assert art.title_of(facts(kind="nominee", award_year=2027, category="Årets frivillige")) == \
        "Nomineret til Årets frivillige 2027"
    assert art.title_of(facts(kind="winner", award_year=2027, category="Årets frivillige")) == \
        "Vinder af Årets frivillige 2027"
    assert art.title_of(facts(kind="winner", lang="en", award_year=2027, category="Volunteer of the year")) == \
        "Winner of Volunteer of the year 2027"


def test_hostile_text_still_makes_a_pdf():
    hostile = "=HYPERLINK(\"x\")\x00\n\t🙂" + "Ø" * 300
    for kind in ("hours", "nominee", "winner"):
        body = art.pdf(facts(kind=kind, recipient=hostile, signer_name=hostile, signer_title=hostile,
                             category=hostile, motivation=hostile * 20, award_year=2027,
                             organisations=[art.OrganisationHours(hostile, 1.0)] * 30))
        assert body.startswith(b"%PDF") and b"\x00=HYPERLINK" not in body


def _words_with_y(body: bytes, tmp_path) -> list[tuple[str, float, float]]:
    """(word, top, bottom) of every word on the page, as pdftotext -bbox places them (points)."""
    import re
    import shutil
    import subprocess

    import pytest
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(body)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [(w, float(y0), float(y1)) for y0, y1, w in
            re.findall(r'yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)</word>', html)]


def test_many_organisations_never_run_into_the_signature(tmp_path):
    organisations = [art.OrganisationHours(f"Forening nummer {n}", 20.0 - n) for n in range(16)]
    for recipient in ("Karen Holm", "Anne-Marie " * 40):
        words = _words_with_y(art.pdf(facts(hours=500, recipient=recipient, signer_name="Signaturnavn",
                                            organisations=organisations)), tmp_path)
        signature_top = min(top for word, top, _ in words if word == "Signaturnavn")
        listed = [bottom for word, _, bottom in words if word in ("Forening", "+")]
        assert listed and max(listed) < signature_top - 5       # no line under or on the signature
        text = " ".join(word for word, _, _ in words)
        shown = text.count("Forening nummer")
        assert f"+ {16 - shown} andre" in text                  # the others are still counted


def test_invisible_marks_do_not_print_as_question_marks():
    assert art._pdf_text("\u202eKaren\u202c Holm") == "Karen Holm"
    assert art._pdf_text("Bo\r\nHolm\x00") == "Bo Holm"
