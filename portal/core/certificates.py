"""What a certificate says and how its A4 PDF looks: pure, no Flask, no database.

A certificate is printed in its holder's language (Danish or English), with the portal's name, the
holder's name, what it certifies (hours with their organisations and period, or a nomination or an
award with its year and category), who signed it, when, and a QR code of the public verification
address with the code printed beside it for people who type.

Helvetica speaks Latin-1 (æøå included) on every machine without a font file; anything else in a
name (emoji, other scripts) gets its nearest Latin-1 relative or "?", and control characters (NUL,
newlines) go, so hostile text can shorten a line but never break the page."""

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from portal.core.badge_art import _latin1, _printable, _runs, qr_code

SITE_NAME = "Dragør Frivillig"
GREEN = (0, 112, 60)
INK = (26, 26, 26)
GREY = (90, 90, 90)
PAGE_W, PAGE_H = 210, 297     # A4, millimetres
QR_MM = 38

MONTHS = {
    "da": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}

TEXTS = {
    "da": {
        "hours_title": "Frivilligbevis",
        "nominee_title": "Nomineret til {category} {year}",
        "winner_title": "Vinder af {category} {year}",
        "certifies": "Hermed bekræftes, at",
        "thanks": "Dragør Kommune siger tak til",
        "hours_line": "har været frivillig i Dragør i perioden {period}",
        "hours_total": "{hours} {unit} i alt",
        "organisations": "Hos",
        "nominee_line": "for en særlig indsats som frivillig i Dragør",
        "winner_line": "for en helt særlig indsats som frivillig i Dragør",
        "motivation": "Juryens begrundelse",
        "signed": "Underskrevet",
        "issued": "Udstedt {date}",
        "verify": "Se, at beviset er ægte: scan koden eller gå til",
        "code": "Kode",
        "hours_unit": "timer",
        "hour_unit": "time",
        "period": "{start} - {end}",
    },
    "en": {
        "hours_title": "Certificate of volunteering",
        "nominee_title": "Nominated for {category} {year}",
        "winner_title": "Winner of {category} {year}",
        "certifies": "This is to certify that",
        "thanks": "Dragør Municipality thanks",
        "hours_line": "has volunteered in Dragør from {period}",
        "hours_total": "{hours} {unit} in total",
        "organisations": "With",
        "nominee_line": "for an outstanding contribution as a volunteer in Dragør",
        "winner_line": "for a truly outstanding contribution as a volunteer in Dragør",
        "motivation": "The jury's reasons",
        "signed": "Signed",
        "issued": "Issued on {date}",
        "verify": "Check that it is genuine: scan the code or go to",
        "code": "Code",
        "hours_unit": "hours",
        "hour_unit": "hour",
        "period": "{start} to {end}",
    },
}


@dataclass(frozen=True)
class OrganisationHours:
    name: str
    hours: float


@dataclass(frozen=True)
class CertificateFacts:
    kind: str                      # "hours", "nominee", "winner"
    lang: str                      # "da" or "en"
    recipient: str
    code: str
    url: str                       # absolute verification address (the QR code)
    issued_on: date
    signer_name: str
    signer_title: str = ""
    hours: float | None = None
    period_start: date | None = None
    period_end: date | None = None
    organisations: list[OrganisationHours] = field(default_factory=list)
    award_year: int | None = None
    category: str = ""
    motivation: str = ""


def language(lang: str | None) -> str:
    return "en" if (lang or "").lower().startswith("en") else "da"


def format_hours(value: float, lang: str) -> str:
    """7,5 in Danish, 7.5 in English; whole hours without a decimal; thousands grouped."""
    value = round(float(value or 0), 1)
    whole = value == int(value)
    text = f"{int(value):,}" if whole else f"{value:,.1f}"
    if language(lang) == "da":
        text = text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")
    return text


def hours_unit(value: float, lang: str) -> str:
    """ "1 time", "7,5 timer"; "1 hour", "7.5 hours"."""
    t = TEXTS[language(lang)]
    return t["hour_unit"] if round(float(value or 0), 1) == 1 else t["hours_unit"]


def format_day(day: date, lang: str) -> str:
    month = MONTHS[language(lang)][day.month - 1]
    return f"{day.day}. {month} {day.year}" if language(lang) == "da" else f"{day.day} {month} {day.year}"


def title_of(facts: CertificateFacts) -> str:
    """ "Frivilligbevis", "Nomineret til Årets frivillige 2027", "Winner of Volunteer of the year 2027"."""
    t = TEXTS[language(facts.lang)]
    if facts.kind == "hours":
        return t["hours_title"]
    key = "winner_title" if facts.kind == "winner" else "nominee_title"
    return " ".join(t[key].format(category=_clean(facts.category), year=facts.award_year or "").split())


def award_line(facts: CertificateFacts) -> str:
    """What the award was for, under the name."""
    t = TEXTS[language(facts.lang)]
    return t["winner_line" if facts.kind == "winner" else "nominee_line"]


def period_text(facts: CertificateFacts) -> str:
    t = TEXTS[language(facts.lang)]
    start, end = facts.period_start, facts.period_end
    if start is None or end is None:
        return ""
    return t["period"].format(start=format_day(start, facts.lang), end=format_day(end, facts.lang))


def _clean(text: str) -> str:
    """One printable line: control characters (NUL, newlines, tabs) and invisible format marks (a
    right-to-left override, an emoji's zero-width joiner) gone, runs of spaces one."""
    text = _printable(str(text or "").replace("\n", " ").replace("\r", " ").replace("\t", " "))
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cf").split())


def _pdf_text(text: str) -> str:
    return _latin1(_clean(text))


class _Page:
    def __init__(self, document):
        self.pdf = document

    def centred(self, y: float, text: str, *, size: float, bold=False, color=INK, max_width=PAGE_W - 40,
                min_size=9) -> float:
        """One line, centred, shrunk until it fits; a line too long even then is cut with "..."."""
        pdf = self.pdf
        text = _pdf_text(text)
        pdf.set_font("Helvetica", "B" if bold else "", size)
        while size > min_size and pdf.get_string_width(text) > max_width:
            size -= 1
            pdf.set_font_size(size)
        while len(text) > 1 and pdf.get_string_width(text) > max_width:
            text = text[:-4] + "..."
        pdf.set_text_color(*color)
        pdf.set_xy(0, y)
        height = size * 0.3528 * 1.25
        pdf.cell(w=PAGE_W, h=height, text=text, align="C")
        return y + height

    def paragraph(self, y: float, text: str, *, size: float, color=INK, max_lines=6) -> float:
        pdf = self.pdf
        pdf.set_font("Helvetica", "I", size)
        pdf.set_text_color(*color)
        text = _pdf_text(text)
        # Long motivations are cut to what fits: the full text is on the verification page.
        lines = pdf.multi_cell(w=PAGE_W - 50, h=size * 0.45, text=text, align="C", dry_run=True,
                               output="LINES")
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1][:-3].rstrip() + "..."
        for line in lines:
            pdf.set_xy(25, y)
            pdf.cell(w=PAGE_W - 50, h=size * 0.45, text=line, align="C")
            y += size * 0.45
        return y


MAX_ORGANISATIONS = 12
SIGN_Y = 200                                  # the signature line, millimetres from the top
ORGANISATION_LINE_MM = 1 + 13 * 0.3528 * 1.25  # one organisation's line (13 pt) and the gap above it


def pdf(facts: CertificateFacts) -> bytes:
    from fpdf import FPDF

    lang = language(facts.lang)
    t = TEXTS[lang]
    document = FPDF(orientation="P", unit="mm", format="A4")
    document.set_auto_page_break(False)
    document.set_margin(0)
    document.set_title(_pdf_text(f"{title_of(facts)} - {facts.recipient}"))
    document.set_author(_latin1(SITE_NAME))
    document.set_creator(_latin1(SITE_NAME))
    document.set_lang("da-DK" if lang == "da" else "en-GB")
    document.set_creation_date(datetime(facts.issued_on.year, facts.issued_on.month, facts.issued_on.day,
                                        tzinfo=timezone.utc))
    document.add_page()
    page = _Page(document)

    # A green frame and band, as on the portal and the companies' badge.
    document.set_draw_color(*GREEN)
    document.set_line_width(2.5)
    document.rect(8, 8, PAGE_W - 16, PAGE_H - 16, style="D")
    document.set_fill_color(*GREEN)
    document.rect(8, 8, PAGE_W - 16, 20, style="F")
    page.centred(12.5, SITE_NAME, size=20, bold=True, color=(255, 255, 255))

    y = page.centred(48, title_of(facts), size=36 if facts.kind == "hours" else 28, bold=True, color=GREEN,
                     min_size=14)
    y = page.centred(y + 10, t["certifies"] if facts.kind == "hours" else t["thanks"], size=14, color=GREY)
    y = page.centred(y + 4, facts.recipient, size=28, bold=True, min_size=12)

    if facts.kind == "hours":
        y = page.centred(y + 6, t["hours_line"].format(period=period_text(facts)), size=14)
        y = page.centred(y + 6, t["hours_total"].format(hours=format_hours(facts.hours or 0, lang),
                                                            unit=hours_unit(facts.hours or 0, lang)), size=24,
                         bold=True, color=GREEN)
        if facts.organisations:
            y = page.centred(y + 8, t["organisations"], size=12, color=GREY)
            # As many lines as fit above the signature (a long name above takes room); the rest in one.
            fit = max(1, int((SIGN_Y - 6 - y) // ORGANISATION_LINE_MM))
            limit = min(MAX_ORGANISATIONS, fit if len(facts.organisations) <= fit else fit - 1)
            shown = facts.organisations[:limit]
            for row in shown:
                y = page.centred(y + 1, f"{_clean(row.name)}: {format_hours(row.hours, lang)} {hours_unit(row.hours, lang)}",
                                 size=13)
            rest = facts.organisations[len(shown):]
            if rest:
                hours = sum(row.hours for row in rest)
                more = (f"+ {len(rest)} andre: {format_hours(hours, lang)} {t['hours_unit']}" if lang == "da"
                        else f"+ {len(rest)} others: {format_hours(hours, lang)} {t['hours_unit']}")
                y = page.centred(y + 1, more, size=13)
    else:
        y = page.centred(y + 6, award_line(facts), size=14)
        if facts.kind == "winner" and _clean(facts.motivation):
            y = page.centred(y + 10, t["motivation"], size=12, color=GREY)
            y = page.paragraph(y + 2, f"\u201c{_clean(facts.motivation)}\u201d", size=12)

    # The signature block.
    sign_y = SIGN_Y
    document.set_draw_color(*INK)
    document.set_line_width(0.3)
    document.line(PAGE_W / 2 - 45, sign_y, PAGE_W / 2 + 45, sign_y)
    page.centred(sign_y + 2, facts.signer_name, size=13, bold=True)
    if _clean(facts.signer_title):
        page.centred(sign_y + 8, facts.signer_title, size=11, color=GREY)
    page.centred(sign_y + 15, t["issued"].format(date=format_day(facts.issued_on, lang)), size=11, color=GREY)

    # The QR code of the verification address, with the address and code printed for people who type.
    qr = qr_code(facts.url)
    size = qr.symbol_size(border=0)[0]
    module = QR_MM / size
    left, top = 24, PAGE_H - 24 - QR_MM
    document.set_fill_color(0, 0, 0)
    for x, y_, w in _runs(qr):
        document.rect(left + x * module, top + y_ * module, w * module, module, style="F")
    document.set_text_color(*INK)
    text_left = left + QR_MM + 8
    document.set_font("Helvetica", "", 10)
    document.set_xy(text_left, top + 8)
    document.multi_cell(w=PAGE_W - text_left - 20, h=5, text=_latin1(t["verify"]))
    document.set_font("Helvetica", "B", 9)
    document.set_x(text_left)
    url = _latin1(facts.url)
    while document.font_size_pt > 6 and document.get_string_width(url) > PAGE_W - text_left - 20:
        document.set_font_size(document.font_size_pt - 0.5)
    document.cell(w=PAGE_W - text_left - 20, h=5, text=url, new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "", 10)
    document.set_x(text_left)
    document.cell(w=PAGE_W - text_left - 20, h=6, text=_latin1(f"{t['code']}: {facts.code}"))

    buffer = io.BytesIO()
    document.output(buffer)
    return buffer.getvalue()
