"""The security baseline a user (or an attacker) can observe from outside."""

import re
from datetime import timedelta

import pytest

from portal import create_app
from portal.config import Defaults
from portal.extensions import db
from portal.models import utcnow
from tests.conftest import csrf_token, login, make_test_config, submit
from tests.factories import PASSWORD, make_organisation, make_slot, make_task, make_user


def test_passwords_are_hashed_with_scrypt_n_2_17_by_default(database_url):
    app = create_app(make_test_config(database_url, PASSWORD_HASH_METHOD=Defaults.PASSWORD_HASH_METHOD))
    with app.app_context():
        from portal.auth.services import hash_password
        hashed = hash_password("a fine long password")
    assert hashed.startswith("scrypt:131072:8:1$")
    assert "a fine long password" not in hashed


def test_a_post_without_csrf_token_is_refused_with_a_friendly_page(app, client):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    response = client.post("/login", data={"email": "ida@example.dk", "password": PASSWORD})
    assert response.status_code == 400
    assert "/logout" not in response.get_data(as_text=True)  # the page offers no logged-in menu
    assert client.get("/me").status_code == 302


def test_logout_kills_a_copied_session_cookie(app, client):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    login(client, "ida@example.dk")
    stolen = client.get_cookie("frivillig_session").value
    thief = app.test_client()
    thief.set_cookie("frivillig_session", stolen)
    assert thief.get("/me").status_code == 200
    submit(client, "/logout", form_url="/me")
    assert thief.get("/me").status_code == 302
    assert "/login" in thief.get("/me").headers["Location"]


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    other_device = app.test_client()
    login(client, "ida@example.dk")
    login(other_device, "ida@example.dk")
    response = submit(client, "/me/password", {"current_password": PASSWORD,
                                                "password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
    assert other_device.get("/me").status_code == 302
    submit(client, "/logout", form_url="/me")
    login(client, "ida@example.dk", "a brand new password")


@pytest.fixture
def own_limiter(app):
    """The Limiter is one shared object; give it back to the suite's app afterwards, or
    rate limits switched on here would leak into every later test."""
    yield
    from portal.extensions import limiter
    limiter.init_app(app)


def test_login_is_rate_limited(database_url, own_limiter):
    """Pins the per-network login limit: the blocked attempt gets the login form back with
    what was typed and the true wait (a minute here), as a 429."""
    app = create_app(make_test_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"))
    client = app.test_client()
    codes = [submit(client, "/login", {"email": "nobody@example.dk", "password": "wrong wrong"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    blocked = submit(client, "/login?lang=en", {"email": "x@example.dk", "password": "y"}, form_url="/login?lang=en")
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "too many login attempts from your network. Try again in 1 minute." in page
    assert 'value="x@example.dk"' in page


def test_security_headers_and_a_csp_without_unsafe_inline(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


# A script element without src= is inline code, which the CSP forbids; the one exception is a
# data block of exactly this form (JSON-LD on task pages), which no browser executes.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?! type=\"application/ld\+json\">)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style", re.I)


@pytest.mark.parametrize("path", ["/", "/register", "/login", "/privacy", "/accessibility",
                                  "/organisations", "/does-not-exist"])
def test_pages_have_no_inline_scripts_or_styles(client, path):
    html = client.get(path).get_data(as_text=True)
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)


@pytest.mark.parametrize("html, inline", [
    ('<script type="application/ld+json">{}</script>', False),
    ('<script src="/static/js/app.js" defer></script>', False),
    ("<script>alert(1)</script>", True),
    ('<script type="module">alert(1)</script>', True),
    ('<script type="text/javascript">alert(1)</script>', True),
    ('<script type="application/ld+json" onload="alert(1)">{}</script>', True),
    ('<script type="application/ld+json"><script>alert(1)</script>', True),
])
def test_the_inline_script_check_lets_through_only_a_json_ld_data_block(html, inline):
    assert bool(INLINE_SCRIPT.search(html)) is inline


def test_templates_have_no_inline_scripts_or_styles():
    from pathlib import Path
    for template in Path("templates").rglob("*.html"):
        text = template.read_text()
        assert not INLINE_SCRIPT.search(text), template
        assert not INLINE_STYLE.search(text), template


@pytest.mark.parametrize("target, expected", [
    ("/organisations", "/organisations"),
    ("https://evil.example/steal", "/me"),
    ("//evil.example/steal", "/me"),
    ("/\\evil.example", "/me"),
])
def test_login_only_redirects_to_our_own_site(app, client, target, expected):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    response = submit(client, "/login", {"email": "ida@example.dk", "password": PASSWORD, "next": target})
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("path", ["/", "/privacy", "/accessibility", "/terms", "/contact", "/organisations",
                                  "/healthz", "/no-such-page"])
def test_anonymous_pages_set_no_cookie(app, client, path):
    assert "Set-Cookie" not in client.get(path).headers


def test_anonymous_organisation_page_sets_no_cookie(app, client):
    with app.app_context():
        org = make_organisation(admin=make_user())
        db.session.commit()
        slug = org.slug
    response = client.get(f"/organisations/{slug}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("kind", ["one_off", "recurring"])
def test_anonymous_task_page_sets_no_cookie_and_offers_a_login_link_instead_of_forms(app, client, kind):
    """Pins the cookie-free task page: no form with a CSRF token (building one would start a
    session), but a link to log in that comes back to the task. A logged-in volunteer still
    gets the sign-up form."""
    with app.app_context():
        task = make_task(make_organisation(admin=make_user()), kind=kind)
        make_slot(task, starts_at=utcnow() + timedelta(days=3))
        make_user(email="ida@example.dk")
        db.session.commit()
        task_id = task.id
    response = client.get(f"/tasks/{task_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "csrf_token" not in page and 'method="post"' not in page
    assert f'href="/login?next=/tasks/{task_id}"' in page or f'href="/login?next=%2Ftasks%2F{task_id}"' in page
    login(client, "ida@example.dk")
    assert 'action="/slots/' in client.get(f"/tasks/{task_id}").get_data(as_text=True)


def test_choosing_a_language_or_logging_in_does_set_the_cookie(app, client):
    assert "frivillig_session" in client.get("/?lang=en").headers.get("Set-Cookie", "")
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    fresh = app.test_client()
    response = submit(fresh, "/login", {"email": "ida@example.dk", "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "frivillig_session" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_unknown_email_and_wrong_password_get_the_same_answer(app, client):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    wrong_password = submit(client, "/login", {"email": "ida@example.dk", "password": "not the password"})
    unknown = submit(client, "/login", {"email": "nobody@example.dk", "password": "not the password"})
    strip = lambda r: re.sub(r'name="csrf_token"[^>]*>|value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert wrong_password.status_code == unknown.status_code == 200
    assert strip(wrong_password) == strip(unknown)


def test_csrf_token_is_needed_for_logout_too(app, client):
    with app.app_context():
        make_user(email="ida@example.dk")
        db.session.commit()
    login(client, "ida@example.dk")
    assert client.post("/logout").status_code == 400
    assert client.get("/me").status_code == 200
    assert csrf_token(client, "/me")


def test_rate_limits_can_live_in_redis(database_url, own_limiter):
    import socket
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    import uuid
    app = create_app(make_test_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute",
                                      RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
                                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}"))
    client = app.test_client()
    codes = [submit(client, "/login", {"email": "n@example.dk", "password": "wrong wrong"}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
