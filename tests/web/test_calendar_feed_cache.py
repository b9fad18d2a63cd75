"""Feeds at any size (issue 9): the public feed covers the next 90 days and says so; every feed is
named (its ETag) before it is built, so a calendar app polling with If-None-Match gets its 304
without a build; bodies are cached by data version, and a change is in the very next answer;
seats changing leave the public feeds alone. Database work in its own application context, as in
test_calendar_feeds."""

import gzip
import re
from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from icalendar import Calendar

from portal import dataversion
from portal.calendar import services as calendar
from portal.core import ical
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.models import Slot, Task, User, utcnow
from portal.signups import services as signups
from tests.conftest import counting_queries, login, submit
from tests.core.test_ical import assert_well_formed, parse_three_ways, read_with_vobject
from tests.factories import make_organisation, make_slot, make_task, make_user

HOSTILE = ("Strand\r\nrensning; med kaffe, kage\\og \\n mere 🧹🌊 👩‍👩‍👧 " + "æøåÆØÅ" * 33 + "øæ")


def uid(slot_id: int) -> str:
    return f"slot-{slot_id}@frivillig.dragoer.dk"


@pytest.fixture
def world(app):
    with app.app_context():
        today = to_local(utcnow()).date()

        def at(days: int, hour: int = 10) -> Slot:
            return make_slot(task, starts_at=to_utc(today + timedelta(days=days), time(hour)), hours=2)

        mette = make_user(email="mette@example.dk")
        org = make_organisation(admin=mette, name="Dragør Strandlaug")
        task = make_task(org, title="Strandrensning")
        soon, late_but_in, beyond = at(2), at(85), at(100)
        ida = make_user(email="ida@example.dk", name="Ida Holm")
        signups.sign_up(ida, soon, now=utcnow())
        token = calendar.regenerate_token(ida)
        make_user(email="bo@example.dk", name="Bo Berg")
        db.session.commit()
        return SimpleNamespace(task=task.id, slug=org.slug, soon=soon.id, late_but_in=late_but_in.id,
                               beyond=beyond.id, token=token, ida=ida.id)


def urls(world) -> dict[str, str]:
    return {"public": "/calendar.ics", "organisation": f"/organisations/{world.slug}/calendar.ics",
            "task": f"/tasks/{world.task}/calendar.ics", "personal": f"/me/calendar/{world.token}.ics"}


def uids(body: bytes) -> set[str]:
    return {o.uid for o in parse_three_ways(body)}


@pytest.fixture
def builds(monkeypatch):
    """Counts the feed bodies built (not served from the cache)."""
    built = []
    real = ical.build_calendar

    def counting(*args, **kwargs):
        built.append(kwargs.get("key"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ical, "build_calendar", counting)
    return built


def test_the_public_feed_covers_the_next_90_days_and_says_so(client, world):
    body = client.get("/calendar.ics").data
    assert_well_formed(body)
    assert uids(body) == {uid(world.soon), uid(world.late_but_in)}  # not the time 100 days ahead
    calendar_ = Calendar.from_ical(body)
    for name in ("X-WR-CALDESC", "DESCRIPTION"):
        assert str(calendar_[name]).startswith("Frivillige opgaver i Dragør de næste 90 dage"), name
    by_vobject = read_with_vobject(body)
    assert by_vobject.contents["description"][0].value == str(calendar_["DESCRIPTION"])
    assert by_vobject.contents["x-wr-caldesc"][0].value == str(calendar_["X-WR-CALDESC"])
    # The task's own feed has all its upcoming times, far ones too.
    assert uids(client.get(f"/tasks/{world.task}/calendar.ics").data) == {
        uid(world.soon), uid(world.late_but_in), uid(world.beyond)}


def test_the_public_feed_keeps_the_soonest_times_up_to_its_cap_and_says_so(client, world, monkeypatch):
    monkeypatch.setattr(calendar, "PUBLIC_CAP", 1)
    body = client.get("/calendar.ics").data
    assert uids(body) == {uid(world.soon)}
    assert str(Calendar.from_ical(body)["X-WR-CALDESC"]).endswith("Viser højst de første 1 tider.")


@pytest.mark.parametrize("which, most", [("public", 0), ("organisation", 1), ("task", 2), ("personal", 1)])
def test_a_conditional_get_is_answered_without_building_anything(app, client, world, builds, which, most):
    url = urls(world)[which]
    first = client.get(url)
    assert first.status_code == 200 and len(builds) == 1
    tag = first.headers["ETag"]
    for sent in (tag, f"W/{tag}"):
        with counting_queries(app) as statements:
            again = client.get(url, headers={"If-None-Match": sent})
        # The answer confirms the tag as it was sent (weak, when a compressing proxy or our own
        # compression made it so).
        assert again.status_code == 304 and again.headers["ETag"] == sent and again.data == b""
        # Finding the organisation, the task (and its organisation) or the person: nothing more.
        assert len(statements) <= most, statements
    assert len(builds) == 1
    # Without the tag, the same body again: from the cache, not built anew.
    assert client.get(url).data == first.data and len(builds) == 1


@pytest.mark.parametrize("which", ["public", "personal"])
def test_a_gzip_client_gets_the_cached_feed_as_it_is_stored(client, world, builds, which):
    """Compressing a national feed for every answer took longer than everything else; the cache
    holds it gzipped and hands it over as it is, under the weak form of the feed's tag."""
    url = urls(world)[which]
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] == f"W/{plain.headers['ETag']}"
    assert client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
                      ).status_code == 304
    assert len(builds) == 1


@pytest.mark.parametrize("which", ["public", "organisation", "task", "personal"])
def test_a_new_title_is_in_the_very_next_answer_under_a_new_etag(app, client, world, which):
    url = urls(world)[which]
    first = client.get(url)
    assert "Strandrensning" in first.get_data(as_text=True)
    with app.app_context():
        db.session.get(Task, world.task).title = "Strandrensning ved Kastrup Fort"
        db.session.commit()
    response = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200 and response.headers["ETag"] != first.headers["ETag"]
    summaries = {o.summary for o in parse_three_ways(response.data)}
    assert summaries == {"Strandrensning ved Kastrup Fort – Dragør Strandlaug"}


def test_a_sign_up_through_the_web_leaves_the_public_feeds_etags_alone(app, client, world, builds):
    public = {which: client.get(url).headers["ETag"] for which, url in urls(world).items() if which != "personal"}
    built = len(builds)
    login(client, "bo@example.dk")
    response = submit(client, f"/slots/{world.soon}/signup", {"action": "signup"}, form_url=f"/tasks/{world.task}")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Slot, world.soon).taken == 2  # the seat was taken
    submit(client, "/logout", form_url="/me")
    for which, tag in public.items():
        answer = client.get(urls(world)[which], headers={"If-None-Match": tag})
        assert answer.status_code == 304 and answer.headers["ETag"] == tag, which
    assert len(builds) == built  # and nothing was built again


def test_the_personal_feed_follows_its_owner_and_not_other_peoples_sign_ups(app, client, world):
    url = urls(world)["personal"]
    first = client.get(url)
    with app.app_context():
        # Someone else signs up for a time Ida will take too: her feed is unchanged.
        signups.sign_up(make_user(email="eva@example.dk"), db.session.get(Slot, world.late_but_in), now=utcnow())
        db.session.commit()
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with app.app_context():
        signups.sign_up(db.session.get(User, world.ida), db.session.get(Slot, world.late_but_in), now=utcnow())
        db.session.commit()
    mine = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert mine.status_code == 200 and uids(mine.data) == {uid(world.soon), uid(world.late_but_in)}


def test_without_a_data_version_feeds_are_built_every_time_and_still_answer_304(client, world, builds,
                                                                              monkeypatch):
    """Redis down: nothing is cached (a stale feed is worse than a slow one); the ETag is the
    body's hash, as it was before the cache."""
    monkeypatch.setattr(dataversion, "current", lambda scope="data": None)
    first = client.get("/calendar.ics")
    assert first.status_code == 200 and re.fullmatch(r'"[0-9a-f]{32}"', first.headers["ETag"])
    again = client.get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert len(builds) == 2


def test_hostile_text_never_breaks_a_feed(app, client, world):
    with app.app_context():
        task = db.session.get(Task, world.task)
        task.title = HOSTILE[:140]  # as long as a title may be
        task.description = HOSTILE
        db.session.commit()
    for which, url in urls(world).items():
        body = client.get(url).data
        assert_well_formed(body)  # lines of at most 75 octets, none ending in half a character
        occurrences = parse_three_ways(body)
        assert occurrences and {o.summary for o in occurrences} == {
            " ".join(HOSTILE[:140].split("\r\n")) + " – Dragør Strandlaug"}, which
        for event in read_with_vobject(body).vevent_list:
            assert event.description.value.startswith(HOSTILE.replace("\r\n", "\n")), which
