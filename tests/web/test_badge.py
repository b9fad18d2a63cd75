"""The badge on the web: the live verification page the QR code opens (valid, expired, withdrawn,
none; never cached past a change), the sticker files (SVG and PDF) whose QR code decodes to
exactly that page, offered only while the badge is valid, and the coordinator's withdrawal."""

import re
import zlib
from datetime import timedelta

import PIL.Image
import PIL.ImageDraw
import pytest
import zxingcpp
from flask import render_template
from sqlalchemy import select

from portal.core.badges import badge_year, expires_at
from portal.extensions import db
from portal.models import Badge, CompanyStatus, utcnow
from tests.conftest import csrf_token, login
from tests.factories import make_company, make_policy, make_user

BASE = "http://localhost"   # BASE_URL in the test configuration


def _company(app, *, name="Tømrer Holm & Søn", status=None, badge_year_offset=0, revoked_reason=None,
             admin_email=None, badge=True):
    """A company, with a badge of this year (or `badge_year_offset` years ago); returns its slug."""
    with app.app_context():
        admin = make_user(email=admin_email) if admin_email else None
        company = make_company(name=name, status=status, admin=admin)
        make_policy(company)
        if badge:
            now = utcnow()
            year = badge_year(now) + badge_year_offset
            db.session.add(Badge(company_id=company.id, year=year, earned_at=min(now, expires_at(year - 1)),
                                 expires_at=expires_at(year),
                                 revoked_at=now - timedelta(minutes=1) if revoked_reason else None,
                                 revoked_reason=revoked_reason))
        db.session.commit()
        slug = company.slug
        db.session.remove()
    return slug


def _state(html: str) -> str:
    match = re.search(r'id="badge-state" data-state="(\w+)"', html)
    assert match, html[:3000]
    return match.group(1)


def _decode(image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


# --- the verification page ------------------------------------------------------------------------

def test_a_valid_badge_says_gyldigt_with_its_year_and_valid_until(app, client):
    slug = _company(app)
    html = client.get(f"/companies/{slug}/badge").get_data(as_text=True)
    assert _state(html) == "valid"
    assert "Gyldigt" in html
    year = badge_year(utcnow())
    assert f"Vi giver fri til frivillighed {year}" in html
    assert f"31. december {year}" in html
    assert "Tømrer Holm &amp; Søn" in html


def test_last_years_badge_says_udloebet(app, client):
    slug = _company(app, badge_year_offset=-1)
    html = client.get(f"/companies/{slug}/badge").get_data(as_text=True)
    assert _state(html) == "expired" and "Udløbet" in html
    assert str(badge_year(utcnow()) - 1) in html


def test_a_sticker_cannot_outlive_its_year(app, client, monkeypatch):
    """The same page, the clock moved past New Year in Copenhagen: expired, and no files."""
    slug = _company(app)
    assert _state(client.get(f"/companies/{slug}/badge").get_data(as_text=True)) == "valid"
    after_new_year = expires_at(badge_year(utcnow())) + timedelta(minutes=1)
    monkeypatch.setattr("portal.companies.badge.utcnow", lambda: after_new_year)
    assert _state(client.get(f"/companies/{slug}/badge").get_data(as_text=True)) == "expired"
    assert client.get(f"/companies/{slug}/badge.svg").status_code == 410
    assert client.get(f"/companies/{slug}/badge.pdf").status_code == 410


def test_a_withdrawn_badge_says_so_with_the_reason_and_offers_no_files(app, client):
    slug = _company(app, revoked_reason="Virksomheden har trukket sin frivilligpolitik tilbage.")
    html = client.get(f"/companies/{slug}/badge").get_data(as_text=True)
    assert _state(html) == "revoked" and "Trukket tilbage" in html
    assert "Virksomheden har trukket sin frivilligpolitik tilbage." in html
    for suffix in ("svg", "pdf"):
        gone = client.get(f"/companies/{slug}/badge.{suffix}")
        assert gone.status_code == 410
        assert gone.mimetype == "text/html"
        assert f"/companies/{slug}/badge" in gone.get_data(as_text=True)   # a way on to the live page


def test_no_badge_says_intet_maerke_and_has_no_files(app, client):
    slug = _company(app, badge=False)
    html = client.get(f"/companies/{slug}/badge").get_data(as_text=True)
    assert _state(html) == "none" and "Intet mærke" in html
    assert client.get(f"/companies/{slug}/badge.svg").status_code == 404
    assert client.get(f"/companies/{slug}/badge.pdf").status_code == 404


def test_a_suspended_company_page_says_not_valid(app, client):
    slug = _company(app, status=CompanyStatus.suspended)
    html = client.get(f"/companies/{slug}/badge").get_data(as_text=True)
    assert _state(html) == "suspended" and "Ikke gyldigt" in html
    assert client.get(f"/companies/{slug}/badge.svg").status_code == 410


@pytest.mark.parametrize("status", [CompanyStatus.pending, CompanyStatus.rejected])
def test_never_approved_companies_have_no_badge_page(app, client, status):
    slug = _company(app, status=status, badge=False)
    for path in ("", ".svg", ".pdf"):
        assert client.get(f"/companies/{slug}/badge{path}").status_code == 404
    assert client.get("/companies/no-such-company/badge").status_code == 404


def test_the_page_shows_the_change_at_once_for_anonymous_visitors(app, client):
    slug = _company(app)
    assert _state(client.get(f"/companies/{slug}/badge").get_data(as_text=True)) == "valid"
    with app.app_context():
        badge = db.session.scalar(select(Badge))
        badge.revoked_at, badge.revoked_reason = utcnow(), "Fejl i oplysningerne."
        db.session.commit()
        db.session.remove()
    assert _state(client.get(f"/companies/{slug}/badge").get_data(as_text=True)) == "revoked"


# --- the SVG sticker ------------------------------------------------------------------------------

def _svg_qr_image(svg: str) -> PIL.Image.Image:
    """Draws the SVG's QR path (runs of dark modules, "M x y h w v1 h-w z") on white, with a quiet zone."""
    path = re.search(r'<path transform="[^"]*" shape-rendering="crispEdges" fill="#000000" d="([^"]+)"', svg)
    assert path, "no QR path in the SVG"
    runs = [tuple(map(int, m)) for m in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path.group(1))]
    assert runs and "".join(f"M{x} {y}h{w}v1h-{w}z" for x, y, w in runs) == path.group(1)
    size = max(x + w for x, _, w in runs)
    scale, border = 8, 4
    image = PIL.Image.new("L", ((size + 2 * border) * scale,) * 2, 255)
    draw = PIL.ImageDraw.Draw(image)
    for x, y, w in runs:
        draw.rectangle([(x + border) * scale, (y + border) * scale,
                        (x + w + border) * scale - 1, (y + 1 + border) * scale - 1], fill=0)
    return image


def test_the_svg_sticker_carries_the_year_the_name_and_a_qr_code_of_the_verification_url(app, client):
    slug = _company(app, name='Købmand <Dragør> & "Søn"')
    response = client.get(f"/companies/{slug}/badge.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    year = badge_year(utcnow())
    assert response.headers["Content-Disposition"] == \
        f'inline; filename="vi-giver-fri-til-frivillighed-{year}-{slug}.svg"'
    svg = response.get_data(as_text=True)
    url = f"{BASE}/companies/{slug}/badge"
    assert _decode(_svg_qr_image(svg)) == [url]
    # The address is only in the code: no text, no link, no script, nothing fetched from elsewhere.
    assert url not in svg and f"/companies/{slug}" not in svg
    assert re.findall(r"https?://[^\"\s<]+", svg) == ["http://www.w3.org/2000/svg"]
    for forbidden in ("<script", "href", "<image", "url(", "onload", "<foreignObject"):
        assert forbidden not in svg
    assert f"Vi giver fri til frivillighed {year}" in svg      # the title, for screen readers
    assert ">frivillighed<" in svg and f">{year}<" in svg and ">Dragør Frivillig<" in svg
    assert "Købmand &lt;Dragør&gt; &amp; \"Søn\"" in svg    # escaped, not markup


# --- the PDF --------------------------------------------------------------------------------------

def _pdf_pages(data: bytes) -> list[str]:
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            texts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return [t for t in texts if " re f" in t]


def _rasterise(content: str, *, scale=3) -> tuple[PIL.Image.Image, tuple[float, float, float, float]]:
    """Paints the page's filled rectangles (the QR modules among them) in their fill colours;
    returns the image and the bounding box, in points, of the black ones."""
    image = PIL.Image.new("L", (int(420 * scale), int(596 * scale)), 255)
    draw = PIL.ImageDraw.Draw(image)
    fill, black = 255, []
    for line in content.splitlines():
        if m := re.fullmatch(r"([\d.]+) g", line.strip()):
            fill = int(float(m.group(1)) * 255)
        elif m := re.fullmatch(r"([\d.]+) ([\d.]+) ([\d.]+) rg", line.strip()):
            r, g, b = (float(v) for v in m.groups())
            fill = int((0.299 * r + 0.587 * g + 0.114 * b) * 255)
        elif m := re.fullmatch(r"([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+) re f", line.strip()):
            x, y, w, h = (float(v) for v in m.groups())
            top, bottom = 596 - y, 596 - (y + h)      # PDF's y axis points up
            box = [x * scale, min(top, bottom) * scale, (x + w) * scale, max(top, bottom) * scale]
            draw.rectangle(box, fill=fill)
            if fill == 0:
                black.append((x, min(top, bottom), x + w, max(top, bottom)))
    bbox = (min(b[0] for b in black), min(b[1] for b in black), max(b[2] for b in black), max(b[3] for b in black))
    return image, bbox


def test_the_pdf_is_a_print_ready_file_with_a_large_qr_code_of_the_verification_url(app, client):
    slug = _company(app, name="Dragør Købmand")
    response = client.get(f"/companies/{slug}/badge.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    year = badge_year(utcnow())
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="vi-giver-fri-til-frivillighed-{year}-{slug}.pdf"'
    data = response.get_data()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [0 0 419.53 595.28]" in data          # A5
    pages = _pdf_pages(data)
    assert len(pages) == 1
    page = pages[0]
    for text in ("Dragør Frivillig", "Vi giver fri til", "frivillighed", str(year), "Dragør Købmand"):
        assert f"({text}) Tj" in page, text
    image, (left, top, right, bottom) = _rasterise(page)
    assert _decode(image) == [f"{BASE}/companies/{slug}/badge"]
    # At least 4 cm across, to scan from a car window (72 points to the inch).
    assert (right - left) * 25.4 / 72 >= 40 and (bottom - top) * 25.4 / 72 >= 40


def test_a_name_outside_latin1_still_makes_a_pdf(app, client):
    slug = _company(app, name="Café Ŝtrand – Smørrebrød")
    response = client.get(f"/companies/{slug}/badge.pdf")
    assert response.status_code == 200
    assert "(Café Strand - Smørrebrød) Tj" in _pdf_pages(response.get_data())[0]


# --- withdrawal: the coordinator only -------------------------------------------------------------

def test_the_coordinator_withdraws_a_badge_with_a_reason(app, client):
    slug = _company(app)
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True)
        db.session.commit()
    login(client, "koordinator@example.dk")
    page = client.get(f"/companies/{slug}/badge").get_data(as_text=True)
    assert f'action="/companies/{slug}/badge/revoke"' in page
    token = csrf_token(client, f"/companies/{slug}/badge")
    empty = client.post(f"/companies/{slug}/badge/revoke", data={"csrf_token": token, "reason": "  "})
    assert empty.status_code == 400
    assert "Skriv en begrundelse." in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Badge.revoked_at)) is None
    done = client.post(f"/companies/{slug}/badge/revoke",
                       data={"csrf_token": token, "reason": "Politikken er ikke længere offentlig."})
    assert done.status_code == 302 and done.headers["Location"] == f"/companies/{slug}/badge"
    html = client.get(done.headers["Location"]).get_data(as_text=True)
    assert _state(html) == "revoked" and "Politikken er ikke længere offentlig." in html
    again = client.post(f"/companies/{slug}/badge/revoke", data={"csrf_token": token, "reason": "Igen"})
    assert again.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Badge.revoked_reason)) == "Politikken er ikke længere offentlig."


def test_nobody_but_the_coordinator_may_withdraw(app, client):
    slug = _company(app, admin_email="chef@example.dk")
    anonymous = client.post(f"/companies/{slug}/badge/revoke",
                            data={"csrf_token": csrf_token(client, "/login"), "reason": "x"})
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    with app.app_context():
        make_user(email="frivillig@example.dk")
        db.session.commit()
    for email in ("chef@example.dk", "frivillig@example.dk"):
        login(client, email)
        page = client.get(f"/companies/{slug}/badge").get_data(as_text=True)
        assert "/badge/revoke" not in page
        token = csrf_token(client, f"/companies/{slug}/badge")
        response = client.post(f"/companies/{slug}/badge/revoke", data={"csrf_token": token, "reason": "Nej"})
        assert response.status_code == 403, email
        client.post("/logout", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(select(Badge.revoked_at)) is None


# --- the line on the company's page ---------------------------------------------------------------

def _summary(app, slug, *, is_admin):
    from portal.models import Company
    with app.test_request_context("/"):
        company = db.session.scalar(select(Company).where(Company.slug == slug))
        html = render_template("companies/badge_summary.html", company=company, is_admin=is_admin)
        db.session.remove()
    return html


def test_the_company_page_line_links_to_the_check_and_gives_admins_the_files(app):
    slug = _company(app)
    public = _summary(app, slug, is_admin=False)
    assert 'data-state="valid"' in public and f'href="/companies/{slug}/badge"' in public
    assert "badge.svg" not in public and "badge.pdf" not in public
    admin = _summary(app, slug, is_admin=True)
    assert f'href="/companies/{slug}/badge.svg"' in admin and f'href="/companies/{slug}/badge.pdf"' in admin


def test_admins_see_which_criteria_are_still_missing(app):
    with app.app_context():
        company = make_company()
        make_policy(company, published=False)
        db.session.commit()
        slug = company.slug
        db.session.remove()
    admin = _summary(app, slug, is_admin=True)
    assert 'data-state="none"' in admin
    assert "En offentliggjort fridagsordning til frivilligt arbejde" in admin
    assert "En gennemført opgave, teamdag eller et partnerskab inden for de sidste 12 måneder" in admin
    assert "Godkendt af frivillighedskoordinatoren" not in admin     # that one is met
    assert "Godkendt af" not in _summary(app, slug, is_admin=False)


# --- hostile input: a 4xx or a message, never a 500, nothing saved ---------------------------------

@pytest.mark.parametrize("path", ["/companies/%00/badge", "/companies/a%00b/badge.svg", "/companies/" + "x" * 5000 + "/badge.pdf",
                                  "/companies/%E2%80%AE/badge"])
def test_odd_addresses_get_a_4xx(client, path):
    assert 400 <= client.get(path).status_code < 500


@pytest.mark.parametrize("reason,outcome", [
    ("Linje et\r\nLinje to\x07", "saved"),     # line breaks kept as \n, control characters dropped
    ("x" * 1001, "message"),
    ("\x01\x02 ", "message"),
    ("Ond\x00byte", "refused"),                  # the portal refuses NUL bytes before any form sees them
])
def test_hostile_reasons_are_cleaned_or_refused(app, client, reason, outcome):
    slug = _company(app)
    with app.app_context():
        make_user(email="koordinator2@example.dk", coordinator=True)
        db.session.commit()
    login(client, "koordinator2@example.dk")
    token = csrf_token(client, f"/companies/{slug}/badge")
    response = client.post(f"/companies/{slug}/badge/revoke", data={"csrf_token": token, "reason": reason})
    with app.app_context():
        stored = db.session.scalar(select(Badge.revoked_reason))
    if outcome == "saved":
        assert response.status_code == 302 and stored == "Linje et\nLinje to"
        return
    assert response.status_code == 400 and stored is None
    if outcome == "message":
        assert 'id="reason-error"' in response.get_data(as_text=True)
