"""A printable A4 poster for a notice board or Dragør Nyt: pure, no Flask, no database.

Two posters: one for a task (its title, organisation, next few times in Danish time, place, a short
description and a QR code of the task page) and one for the portal ("Bliv frivillig i Dragør" with the
portal's address). No personal data: no contact person, no names of volunteers.

Text goes through the certificate's cleaning (portal/core/certificates.py): Helvetica speaks Latin-1, so
an emoji or Arabic prints as "?" and control characters (newlines, NUL, a right-to-left override) go;
hostile text can shorten a line but never break the page."""

import io
from dataclasses import dataclass, field
from datetime import datetime, timezone

from portal.core.badge_art import _latin1, _runs, qr_code
from portal.core.certificates import GREEN, GREY, INK, PAGE_H, PAGE_W, _clean, _pdf_text, language
from portal.core.timeutil import to_local

SITE_NAME = "Dragør Frivillig"
MAX_TIMES = 4
QR_MM = 55
MARGIN = 20

WEEKDAYS = {
    "da": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "da": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}

TEXTS = {
    "da": {
        "band": "Frivillig i Dragør",
        "by": "Hos {organisation}",
        "when": "Hvornår",
        "ongoing": "Løbende - vi aftaler tiderne sammen med dig",
        "no_times": "Nye tider kommer på opgavens side",
        "more_times": "og {n} tider mere",
        "more_time": "og 1 tid mere",
        "where": "Hvor",
        "scan": "Scan koden og meld dig til",
        "or_go": "eller gå til",
        "portal_title": "Bliv frivillig i Dragør",
        "portal_lead": "Find en opgave, der passer til din uge - en enkelt dag eller fast hver uge.",
        "portal_points": [
            "Hjælp på Enggården, i skolen, på biblioteket eller ved stranden",
            "Meld dig til med det samme - eller prøv en opgave først",
            "Alle kan være med, fra 15 til over 90 år",
            "Har du ikke e-mail? Ring til frivillighedskoordinatoren{phone}",
        ],
        "portal_scan": "Scan koden og find en opgave",
        "footer": "Dragør Kommune",
    },
    "en": {
        "band": "Volunteer in Dragør",
        "by": "With {organisation}",
        "when": "When",
        "ongoing": "Ongoing - we agree the times with you",
        "no_times": "New times will appear on the task's page",
        "more_times": "and {n} more times",
        "more_time": "and 1 more time",
        "where": "Where",
        "scan": "Scan the code and sign up",
        "or_go": "or go to",
        "portal_title": "Volunteer in Dragør",
        "portal_lead": "Find a task that fits your week - a single day or every week.",
        "portal_points": [
            "Help at Enggården, at school, at the library or on the beach",
            "Sign up straight away - or try a task first",
            "Everyone can join, from 15 to over 90",
            "No e-mail? Phone the volunteer coordinator{phone}",
        ],
        "portal_scan": "Scan the code and find a task",
        "footer": "Dragør Municipality",
    },
}


@dataclass(frozen=True)
class PosterTime:
    starts_at: datetime       # aware, UTC
    ends_at: datetime


@dataclass(frozen=True)
class TaskPoster:
    lang: str
    title: str
    organisation: str
    url: str                  # the task page's absolute address (the QR code)
    place: str = ""
    description: str = ""
    times: list[PosterTime] = field(default_factory=list)
    more_times: int = 0       # upcoming times beyond those listed
    ongoing: bool = False


def time_line(starts_at: datetime, ends_at: datetime, lang: str) -> str:
    """ "torsdag 3. december kl. 10.00-12.00" / "Thursday 3 December, 10:00-12:00", Danish time.
    A time that runs past midnight names the end's day too."""
    lang = language(lang)
    start, end = to_local(starts_at), to_local(ends_at)
    day = WEEKDAYS[lang][start.weekday()]
    month = MONTHS[lang][start.month - 1]
    if lang == "da":
        text = f"{day} {start.day}. {month} kl. {start:%H.%M}-"
        if end.date() != start.date():
            text += f"{WEEKDAYS[lang][end.weekday()]} {end.day}. {MONTHS[lang][end.month - 1]} kl. "
        return text + f"{end:%H.%M}"
    text = f"{day} {start.day} {month}, {start:%H:%M}-"
    if end.date() != start.date():
        text += f"{WEEKDAYS[lang][end.weekday()]} {end.day} {MONTHS[lang][end.month - 1]}, "
    return text + f"{end:%H:%M}"


def short_text(text: str, limit: int) -> str:
    """The first `limit` characters, cut after a whole word with "...", one line of plain text."""
    text = _clean(text)
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,.;:-") + "..."


class _Poster:
    def __init__(self, lang: str, title_for_metadata: str, *, created: datetime | None = None):
        from fpdf import FPDF

        self.lang = language(lang)
        self.t = TEXTS[self.lang]
        pdf = self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        pdf.set_title(_pdf_text(title_for_metadata))
        pdf.set_author(_latin1(SITE_NAME))
        pdf.set_creator(_latin1(SITE_NAME))
        pdf.set_lang("da-DK" if self.lang == "da" else "en-GB")
        # A fixed date: the same poster is the same bytes (no clock in pure code).
        pdf.set_creation_date(created or datetime(2026, 1, 1, tzinfo=timezone.utc))
        pdf.add_page()
        pdf.set_fill_color(*GREEN)
        pdf.rect(0, 0, PAGE_W, 24, style="F")
        self.line(7, SITE_NAME, size=22, bold=True, color=(255, 255, 255), align="L")
        self.line(9.5, self.t["band"], size=13, color=(255, 255, 255), align="R")

    def line(self, y: float, text: str, *, size: float, bold=False, color=INK, align="L", min_size=10,
             width=PAGE_W - 2 * MARGIN, left=MARGIN) -> float:
        """One line, shrunk until it fits, cut with "..." if it still does not."""
        pdf = self.pdf
        text = _pdf_text(text)
        pdf.set_font("Helvetica", "B" if bold else "", size)
        while size > min_size and pdf.get_string_width(text) > width:
            size -= 1
            pdf.set_font_size(size)
        while len(text) > 3 and pdf.get_string_width(text) > width:
            text = text[:-4].rstrip() + "..."
        pdf.set_text_color(*color)
        pdf.set_xy(left, y)
        height = size * 0.3528 * 1.3
        pdf.cell(w=width, h=height, text=text, align=align)
        return y + height

    def block(self, y: float, text: str, *, size: float, bold=False, color=INK, max_lines: int,
              width=PAGE_W - 2 * MARGIN, left=MARGIN) -> float:
        """Wrapped text of at most `max_lines` lines; the last one cut after a word with "..."."""
        pdf = self.pdf
        text = _pdf_text(text)
        if not text:
            return y
        pdf.set_font("Helvetica", "B" if bold else "", size)
        pdf.set_text_color(*color)
        height = size * 0.3528 * 1.35
        lines = pdf.multi_cell(w=width, h=height, text=text, dry_run=True, output="LINES")
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1]
            while last and pdf.get_string_width(last + "...") > width:
                last = last[:-1]
            last = last.rsplit(" ", 1)[0] if " " in last else last
            lines[-1] = last.rstrip(" ,.;:-") + "..."
        for text_line in lines:
            pdf.set_xy(left, y)
            pdf.cell(w=width, h=height, text=text_line)
            y += height
        return y

    def title(self, y: float, text: str, *, max_lines=3) -> float:
        """The big title: as large as fits in `max_lines` lines, from 44 pt down to 26 pt."""
        pdf = self.pdf
        clean = _pdf_text(text)
        for size in range(44, 25, -2):
            pdf.set_font("Helvetica", "B", size)
            lines = pdf.multi_cell(w=PAGE_W - 2 * MARGIN, h=size * 0.45, text=clean, dry_run=True, output="LINES")
            if len(lines) <= max_lines:
                break
        return self.block(y, text, size=size, bold=True, color=GREEN, max_lines=max_lines)

    def qr(self, url: str, caption: str, *, top: float) -> None:
        """The QR code at the bottom left; beside it what to do and the address for people who type."""
        pdf = self.pdf
        code = qr_code(url)
        modules = code.symbol_size(border=0)[0]
        module = QR_MM / modules
        left = MARGIN
        pdf.set_fill_color(0, 0, 0)
        for x, y_, w in _runs(code):
            pdf.rect(left + x * module, top + y_ * module, w * module, module, style="F")
        text_left = left + QR_MM + 10
        width = PAGE_W - text_left - MARGIN
        y = self.block(top + 6, caption, size=20, bold=True, color=GREEN, max_lines=3, width=width, left=text_left)
        y = self.line(y + 3, self.t["or_go"], size=12, color=GREY, width=width, left=text_left)
        self.block(y + 1, url, size=13, bold=True, max_lines=3, width=width, left=text_left)

    def footer(self) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*GREEN)
        pdf.set_line_width(0.8)
        pdf.line(MARGIN, PAGE_H - 18, PAGE_W - MARGIN, PAGE_H - 18)
        self.line(PAGE_H - 15, f"{SITE_NAME} - {self.t['footer']}", size=11, color=GREY, align="C")

    def output(self) -> bytes:
        buffer = io.BytesIO()
        self.pdf.output(buffer)
        return buffer.getvalue()


QR_TOP = PAGE_H - 26 - QR_MM


def task_pdf(facts: TaskPoster, *, created: datetime | None = None) -> bytes:
    poster = _Poster(facts.lang, f"{_clean(facts.title)} - {SITE_NAME}", created=created)
    t = poster.t
    y = poster.title(36, facts.title)
    y = poster.line(y + 3, t["by"].format(organisation=_clean(facts.organisation)), size=18, color=GREY)

    y = poster.line(y + 9, t["when"], size=15, bold=True, color=GREEN)
    if facts.ongoing:
        y = poster.line(y + 1, t["ongoing"], size=16)
    elif not facts.times:
        y = poster.line(y + 1, t["no_times"], size=16)
    else:
        for moment in facts.times[:MAX_TIMES]:
            y = poster.line(y + 1, time_line(moment.starts_at, moment.ends_at, facts.lang), size=16)
        more = facts.more_times + max(len(facts.times) - MAX_TIMES, 0)
        if more:
            y = poster.line(y + 1, t["more_time"] if more == 1 else t["more_times"].format(n=more), size=13,
                            color=GREY)

    if _clean(facts.place):
        y = poster.line(y + 6, t["where"], size=15, bold=True, color=GREEN)
        y = poster.block(y + 1, facts.place, size=16, max_lines=2)

    # The description fills what is left above the QR code, cut after a whole word.
    room = QR_TOP - 8 - (y + 8)
    size = 14
    lines = max(0, int(room // (size * 0.3528 * 1.35)))
    if lines and _clean(facts.description):
        poster.block(y + 8, facts.description, size=size, max_lines=min(lines, 12))

    poster.qr(facts.url, t["scan"], top=QR_TOP)
    poster.footer()
    return poster.output()


def portal_pdf(*, lang: str, url: str, phone: str = "", created: datetime | None = None) -> bytes:
    """The portal's own poster; `phone` is the coordinator's number for people without e-mail."""
    t = TEXTS[language(lang)]
    poster = _Poster(lang, t["portal_title"], created=created)
    y = poster.title(44, t["portal_title"], max_lines=2)
    y = poster.block(y + 6, t["portal_lead"], size=20, max_lines=3)
    y += 6
    on = (" på " if language(lang) == "da" else " on ") + _clean(phone) if _clean(phone) else ""
    for point in t["portal_points"]:
        point = point.replace("{phone}", on)
        poster.pdf.set_fill_color(*GREEN)
        poster.pdf.rect(MARGIN, y + 3, 3.5, 3.5, style="F")
        y = poster.block(y + 1, point, size=18, max_lines=2, left=MARGIN + 8, width=PAGE_W - 2 * MARGIN - 8) + 3
    poster.qr(url, t["portal_scan"], top=QR_TOP)
    poster.footer()
    return poster.output()
