"""Responses are compressed (portal/compression.py) when the browser accepts it, decode to exactly
the page it would get without, and conditional requests still answer 304 through compression."""

import gzip
from datetime import timedelta

import brotli
import pytest

from portal.extensions import cache, db
from portal.models import utcnow
from tests.factories import make_organisation, make_slot, make_task, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        cache.clear()
        org = make_organisation(admin=make_user(), name="Dragør Strandvenner")
        for i in range(5):
            task = make_task(org, title=f"Strandrensning nr. {i}")
            make_slot(task, starts_at=utcnow() + timedelta(days=3 + i), capacity=4)
        db.session.commit()
        return {"task": task.id}


@pytest.mark.parametrize("path", ["/tasks", "/", "/tasks/{task}"])
def test_a_page_asked_for_with_gzip_comes_back_gzipped_and_decodes_to_the_same_html(app, world, path):
    path = path.format(**world)
    plain = app.test_client().get(path)
    packed = app.test_client().get(path, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2


def test_a_cache_hit_is_compressed_too(app, world):
    app.test_client().get("/tasks")
    hit = app.test_client().get("/tasks", headers={"Accept-Encoding": "br, gzip"})
    assert hit.headers["X-Cache"] == "hit" and hit.headers["Content-Encoding"] == "br"
    assert b"Strandrensning nr. 4" in brotli.decompress(hit.data)


def test_stylesheets_and_calendars_are_compressed(app, world):
    css = app.test_client().get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert b"{" in gzip.decompress(css.get_data())
    feed = app.test_client().get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert feed.mimetype == "text/calendar" and feed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(feed.data).startswith(b"BEGIN:VCALENDAR")


def test_scripts_and_json_are_compressed(database_url):
    from flask import jsonify

    from portal import create_app
    from tests.conftest import make_test_config
    node = create_app(make_test_config(database_url))

    @node.get("/test-only/numbers.json")
    def numbers():
        return jsonify([{"n": n, "text": f"tal nummer {n}"} for n in range(200)])

    client = node.test_client()
    script = client.get("/static/js/map.js", headers={"Accept-Encoding": "gzip"})
    assert script.headers["Content-Encoding"] == "gzip" and b"function" in gzip.decompress(script.get_data())
    data = client.get("/test-only/numbers.json", headers={"Accept-Encoding": "gzip"})
    assert data.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(data.data) == client.get("/test-only/numbers.json").data


def test_a_tiny_response_is_sent_as_it_is(app):
    response = app.test_client().get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert response.get_json()["status"] == "ok"


def test_a_compressed_feed_has_a_weak_etag_and_answers_304_to_it(app, world):
    """A calendar app that got the gzipped feed asks again with its ETag and gets 304, with or
    without compression; the tag of the uncompressed feed stays strong."""
    plain = app.test_client().get("/calendar.ics")
    plain_tag, weak = plain.get_etag()
    assert plain_tag and not weak
    packed = app.test_client().get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["ETag"] == f'W/"{plain_tag}"'
    again = app.test_client().get("/calendar.ics", headers={"Accept-Encoding": "gzip",
                                                            "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == packed.headers["ETag"]
    plain_again = app.test_client().get("/calendar.ics", headers={"If-None-Match": plain.headers["ETag"]})
    assert plain_again.status_code == 304


def test_a_static_file_answers_304_through_compression(app):
    first = app.test_client().get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert first.headers["ETag"].startswith('W/"')
    again = app.test_client().get("/static/css/site.css", headers={"Accept-Encoding": "gzip",
                                                                    "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_compression_can_be_left_to_the_server_in_front(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "COMPRESS_ENABLED", False)
    response = app.test_client().get("/tasks", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers and b"Strandrensning" in response.data
