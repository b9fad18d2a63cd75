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
