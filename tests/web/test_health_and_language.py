"""/healthz for operators, and the language a visitor sees."""

from portal import create_app
from tests.conftest import make_test_config


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_with_the_same_shape_when_the_database_is_gone():
    # Nothing listens on port 1: the database is unreachable.
    app = create_app(make_test_config(
        "postgresql+psycopg://postgres@127.0.0.1:1/nowhere",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}}))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert set(body) == {"status", "database"}
    assert body["status"] != "ok" and body["database"] != "ok"


def test_front_page_is_danish_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="da">' in html
    assert "Bliv frivillig" in html
    assert "Opret din forening eller institution" in html
    assert "Tilgængelighedserklæring" in html and "Privatliv" in html


def test_lang_en_switches_to_english_for_the_rest_of_the_visit(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "Become a volunteer" in html
    later = client.get("/privacy").get_data(as_text=True)
    assert '<html lang="en">' in later and "Privacy" in later
    back = client.get("/?lang=da").get_data(as_text=True)
    assert "Bliv frivillig" in back


def test_error_pages_use_the_layout_in_both_languages(client):
    da = client.get("/no-such-page")
    assert da.status_code == 404 and "Forside" in da.get_data(as_text=True)
    en = client.get("/no-such-page?lang=en")
    assert en.status_code == 404 and "We could not find the page" in en.get_data(as_text=True)
