"""The badge as a sticker: an SVG for screens and a print-ready A5 PDF for the car or the shop
window, each with a QR code that opens the live verification page.

Pure: takes the year, the company's name and the verification address, returns bytes. The
sticker's words are the badge's name and a Danish instruction, printed in Danish whatever the
language of the person who downloads it, like any sign in a Dragør shop window. The QR code is
vector shapes drawn from segno's matrix (no pictures, no external references, no scripts), so it
stays sharp at any print size."""

import io
import unicodedata
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr


SITE_NAME = "Dragør Frivillig"
SCAN_LINE = "Scan koden og se, at mærket er gyldigt"
GREEN = (0, 112, 60)         # deep green: reads as "approved" and prints well
INK = (26, 26, 26)
QUIET_ZONE = 4               # modules of white around the code, as the QR standard asks


def title(year: int) -> str:
    return f"Vi giver fri til frivillighed {year}"


def qr_code(url: str) -> "segno.QRCode":  # noqa: F821
    """Error correction level Q: a sticker gets scratched, sun-bleached and photographed
    through a dirty window."""
    import segno  # the sticker's libraries load when a sticker is drawn, not in every worker at start

    return segno.make(url, error="q", micro=False, boost_error=False)


def _runs(qr):
    """Horizontal runs of dark modules: (x, y, length), in module units, without the quiet zone."""
    for y, row in enumerate(qr.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                yield start, y, x - start
            else:
                x += 1


def _printable(text: str) -> str:
    """No control characters in XML or a PDF text string."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def _hex(rgb) -> str:
    return "#%02x%02x%02x" % rgb


# ---------------------------------------------------------------------------- SVG

SVG_WIDTH, SVG_HEIGHT = 600, 860


def svg(*, year: int, company: str, url: str) -> str:
    name = _printable(company)
    qr = qr_code(url)
    size = qr.symbol_size(border=0)[0]
    box = 300                                    # the white square with the code and its quiet zone
    module = box / (size + 2 * QUIET_ZONE)
    left, top = (SVG_WIDTH - box) / 2, 470
    path = "".join(f"M{x} {y}h{w}v1h-{w}z" for x, y, w in _runs(qr))
    # Long names get smaller type rather than running off the sticker (roughly 0.55 em a letter).
    name_size = max(16, min(36, int(520 / (0.55 * max(len(name), 1)))))
    label = f"{title(year)} – {name}"
    green, ink = _hex(GREEN), _hex(INK)
    font = "font-family=\"'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif\""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_WIDTH}" height="{SVG_HEIGHT}" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" role="img" aria-labelledby="badge-title">
<title id="badge-title">{escape(label)}</title>
<rect x="8" y="8" width="{SVG_WIDTH - 16}" height="{SVG_HEIGHT - 16}" rx="36" fill="#ffffff" stroke="{green}" stroke-width="16"/>
<path d="M8 44a36 36 0 0 1 36-36h{SVG_WIDTH - 88}a36 36 0 0 1 36 36v78h-{SVG_WIDTH - 16}z" fill="{green}"/>
<g {font} text-anchor="middle">
<text x="{SVG_WIDTH / 2}" y="82" font-size="40" font-weight="bold" fill="#ffffff">{escape(SITE_NAME)}</text>
<text x="{SVG_WIDTH / 2}" y="200" font-size="50" font-weight="bold" fill="{ink}">Vi giver fri til</text>
<text x="{SVG_WIDTH / 2}" y="258" font-size="50" font-weight="bold" fill="{ink}">frivillighed</text>
<text x="{SVG_WIDTH / 2}" y="370" font-size="112" font-weight="bold" fill="{green}">{year}</text>
<text x="{SVG_WIDTH / 2}" y="438" font-size="{name_size}" fill="{ink}">{escape(name)}</text>
<text x="{SVG_WIDTH / 2}" y="812" font-size="24" fill="{ink}">{escape(SCAN_LINE)}</text>
</g>
<rect x="{left}" y="{top}" width="{box}" height="{box}" fill="#ffffff"/>
<path transform="translate({left + QUIET_ZONE * module:.3f} {top + QUIET_ZONE * module:.3f}) scale({module:.5f})" shape-rendering="crispEdges" fill="#000000" d={quoteattr(path)}/>
</svg>
"""


# ---------------------------------------------------------------------------- PDF

# A5 portrait: big enough for a code that scans from a car window, small enough for a side window.
PAGE_W, PAGE_H = 148, 210     # millimetres
QR_MM = 76                    # the code itself, without its quiet zone (the standard's minimum is far less)


def _latin1(text: str) -> str:
    """The PDF's built-in Helvetica speaks Latin-1 (æøå included), on every machine without
    a font file; the few other characters a name may hold get a close relative."""
    text = (text.replace("–", "-").replace("—", "-").replace("’", "'").replace("‘", "'")
            .replace("“", '"').replace("”", '"').replace("…", "..."))
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def _centred(pdf, y: float, text: str, *, size: float, bold=False, color=INK, max_width=PAGE_W - 24):
    pdf.set_font("Helvetica", "B" if bold else "", size)
    while size > 8 and pdf.get_string_width(text) > max_width:
        size -= 1
        pdf.set_font_size(size)
    pdf.set_text_color(*color)
    pdf.set_xy(0, y)
    pdf.cell(w=PAGE_W, h=size * 0.3528 * 1.2, text=text, align="C")


def pdf(*, year: int, company: str, url: str, created: datetime | None = None) -> bytes:
    name = _latin1(_printable(company))
    from fpdf import FPDF

    document = FPDF(orientation="P", unit="mm", format=(PAGE_W, PAGE_H))
    document.set_auto_page_break(False)
    document.set_margin(0)
    document.set_title(_latin1(f"{title(year)} - {name}"))
    document.set_author(_latin1(SITE_NAME))
    document.set_creator(_latin1(SITE_NAME))
    document.set_creation_date(created or datetime.now(timezone.utc))
    document.add_page()

    document.set_draw_color(*GREEN)
    document.set_line_width(4)
    document.rect(4, 4, PAGE_W - 8, PAGE_H - 8, style="D")
    document.set_fill_color(*GREEN)
    document.rect(4, 4, PAGE_W - 8, 22, style="F")
    _centred(document, 9, _latin1(SITE_NAME), size=24, bold=True, color=(255, 255, 255))
    _centred(document, 34, "Vi giver fri til", size=30, bold=True)
    _centred(document, 47, "frivillighed", size=30, bold=True)
    _centred(document, 56, str(year), size=64, bold=True, color=GREEN)
    _centred(document, 82, name, size=20)

    qr = qr_code(url)
    size = qr.symbol_size(border=0)[0]
    module = QR_MM / size
    left, top = (PAGE_W - QR_MM) / 2, 100
    document.set_fill_color(0, 0, 0)
    for x, y, w in _runs(qr):
        document.rect(left + x * module, top + y * module, w * module, module, style="F")
    _centred(document, top + QR_MM + 8, _latin1(SCAN_LINE), size=13)
    buffer = io.BytesIO()
    document.output(buffer)
    return buffer.getvalue()
