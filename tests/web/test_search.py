"""Searching the public task list (/tasks): free text, filters, distance, sorting, pages,
the state in the URL, a fixed number of queries, and the optional map."""

import html as htmllib
import re
from contextlib import contextmanager
from datetime import date, time, timedelta

import pytest

from portal.core.distance import distance_km
from portal.core.timeutil import to_local, to_utc
from portal.extensions import db
from portal.geocoding import GAZETTEER
from portal.models import Organisation, VolunteerProfile, utcnow
from portal.security import CSP
from tests.conftest import counting_queries, login
from tests.factories import make_organisation, make_slot, make_task, make_user

PLACES = {p.name: (p.latitude, p.longitude) for p in GAZETTEER}
DRAGOER, MAGLEBY, KASTRUP = PLACES["Dragør"], PLACES["Store Magleby"], PLACES["Kastrup"]
ROSKILDE = (55.6415, 12.0803)   # ~37 km away, outside every distance choice
TITLE = re.compile(r'<h2 class="h3"><a href="/tasks/\d+">([^<]+)</a></h2>')


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [htmllib.unescape(t) for t in TITLE.findall(response.get_data(as_text=True))]


def card(page: str, title: str) -> str:
    """The HTML of one result card (from its <li> to the next card or the end of the list)."""
    cards = [c.split("</ul>\n  ")[0] for c in page.split('<li class="task-card"')[1:]]
    return next(c for c in cards if f">{title}</a>" in c)


def soon(days=2, hour=10):
    return to_utc(to_local(utcnow()).date() + timedelta(days=days), time(hour))


def add(org, title, *, starts_at=None, place=None, capacity=5, taken=0, **task_args):
    task = make_task(org, title=title, **task_args)
    if place:
        task.latitude, task.longitude = place
    if starts_at is not None:
        make_slot(task, starts_at=starts_at, capacity=capacity).taken = taken
    db.session.flush()
    return task


@pytest.fixture
def org(app):
    with app.app_context():
        o = make_organisation(name="Enggården")
        db.session.commit()
        return o.id


def organisation(org_id):
    return db.session.get(Organisation, org_id)


# --- free text -----------------------------------------------------------------------------------

def test_free_text_finds_words_in_title_description_and_organisation_all_words_must_match(app, client, org):
    with app.app_context():
        enggaarden = organisation(org)
        library = make_organisation(name="Dragør Bibliotek")
        add(enggaarden, "Cykeltur med ÆLDRE beboere", starts_at=soon())
        lektie = add(enggaarden, "Lektiehjælp", starts_at=soon())
        lektie.description = "Hjælp børn med matematik og læsning."
        add(library, "Højtlæsning", starts_at=soon())
        db.session.commit()
    assert titles(client.get("/tasks?q=cykeltur")) == ["Cykeltur med ÆLDRE beboere"]
    assert titles(client.get("/tasks?q=MATEMATIK")) == ["Lektiehjælp"]        # the description
    assert titles(client.get("/tasks?q=bibliotek")) == ["Højtlæsning"]        # the organisation's name
    # Case-insensitive also for æ/ø/å (SQLite's lower() alone only folds ASCII), words ANDed.
    assert titles(client.get("/tasks?q=ældre+Cykeltur")) == ["Cykeltur med ÆLDRE beboere"]
    assert titles(client.get("/tasks?q=ældre+lektie")) == []
    page = client.get("/tasks?q=ældre+lektie&lang=en").get_data(as_text=True)
    assert "No tasks match your choices" in page


def test_percent_and_underscore_in_the_search_are_plain_characters(app, client, org):
    with app.app_context():
        o = organisation(org)
        add(o, "Loppemarked: 100% genbrug", starts_at=soon())
        add(o, "Indsamling af 1000 kroner", starts_at=soon())
        add(o, "Kaffe_hygge", starts_at=soon())
        add(o, "Kaffe og hygge", starts_at=soon())
        db.session.commit()
    assert titles(client.get("/tasks?q=100%25")) == ["Loppemarked: 100% genbrug"]
    assert titles(client.get("/tasks?q=kaffe_h")) == ["Kaffe_hygge"]


# --- filters -------------------------------------------------------------------------------------

def test_kind_young_people_and_date_range_filters(app, client, org):
    with app.app_context():
        o = organisation(org)
        add(o, "Alle kan være med", starts_at=soon(3))
        add(o, "Fra 15 år", starts_at=soon(4), min_age=15)
        add(o, "Fra 16 år", starts_at=soon(5), min_age=16)
        add(o, "Fra 18 år", starts_at=soon(40), min_age=18, kind="recurring")
        add(o, "Fast besøgsven", kind="ongoing")      # an ongoing role needs no times
        db.session.commit()
    everything = titles(client.get("/tasks"))
    assert everything == ["Alle kan være med", "Fra 15 år", "Fra 16 år", "Fra 18 år", "Fast besøgsven"]
    assert titles(client.get("/tasks?young=1")) == ["Alle kan være med", "Fra 15 år", "Fast besøgsven"]
    assert titles(client.get("/tasks?kind=ongoing")) == ["Fast besøgsven"]
    assert titles(client.get("/tasks?kind=recurring")) == ["Fra 18 år"]
    today = to_local(utcnow()).date()
    window = f"from={(today + timedelta(days=4)).isoformat()}&to={(today + timedelta(days=30)).isoformat()}"
    assert titles(client.get(f"/tasks?kind=one_off&{window}")) == ["Fra 15 år", "Fra 16 år"]


def next_dst_change(after: date) -> date:
    """The next Sunday on which Copenhagen changes between summer and winter time."""
    day = after
    while True:
        day += timedelta(days=1)
        if to_utc(day, time(12)).hour != to_utc(day - timedelta(days=1), time(12)).hour:
            return day


def test_weekday_and_time_of_day_are_local_time_on_both_sides_of_a_daylight_saving_change(app, client, org):
    today = to_local(utcnow()).date()
    change = next_dst_change(today + timedelta(days=7))          # a Sunday
    saturday, monday = change - timedelta(days=1), change + timedelta(days=1)
    with app.app_context():
        o = organisation(org)
        # Each of these has a time on the Saturday before and the Monday after the change.
        for title, at in (("Formiddagskaffe", time(11, 30)), ("Eftermiddagste", time(12, 30)),
                          ("Aftenvagt", time(17, 0))):
            task = add(o, title, kind="recurring")
            for day in (saturday, monday):
                make_slot(task, starts_at=to_utc(day, at))
        # 00:30 on a local Monday is still Sunday in UTC.
        add(o, "Natcafé", starts_at=to_utc(monday, time(0, 30)))
        add(o, "Søndagsaften", starts_at=to_utc(change, time(22, 0)))
        db.session.commit()
    assert titles(client.get("/tasks?time=afternoon")) == ["Eftermiddagste"]
    assert titles(client.get("/tasks?time=morning")) == ["Formiddagskaffe", "Natcafé"]
    assert titles(client.get("/tasks?time=evening")) == ["Aftenvagt", "Søndagsaften"]
    assert titles(client.get("/tasks?day=sun")) == ["Søndagsaften"]
    assert set(titles(client.get("/tasks?day=mon"))) == {"Formiddagskaffe", "Eftermiddagste", "Aftenvagt", "Natcafé"}
    assert titles(client.get("/tasks?day=sat&time=morning")) == ["Formiddagskaffe"]
    assert titles(client.get("/tasks?day=sat&day=sun&time=evening")) == ["Aftenvagt", "Søndagsaften"]
    # Both afternoon times are found, though they are 11:30 and 10:30 in UTC.
    page = client.get("/tasks?time=afternoon&lang=en").get_data(as_text=True)
    assert card(page, "Eftermiddagste").count("12:30") == 2
    # The calendar views use the same filters.
    week = client.get(f"/tasks?view=week&week={monday.strftime('%G-W%V')}&time=morning").get_data(as_text=True)
    assert "Natcafé" in week and "Formiddagskaffe" in week and "Eftermiddagste" not in week


# --- distance ------------------------------------------------------------------------------------

@pytest.fixture
def places(app, org):
    with app.app_context():
        o = organisation(org)
        add(o, "Strandrensning i Dragør", starts_at=soon(9), place=DRAGOER)
        add(o, "Kirkegården i Store Magleby", starts_at=soon(5), place=MAGLEBY)
        add(o, "Lektiecafé i Kastrup", starts_at=soon(3), place=KASTRUP)
        add(o, "Roskilde Festival", starts_at=soon(2), place=ROSKILDE)
        add(o, "Et sted uden kort", starts_at=soon(4))
        db.session.commit()


def test_distance_from_a_typed_postcode_limits_sorts_and_shows_km_with_a_danish_comma(app, client, places):
    assert titles(client.get("/tasks?postcode=2791&within=5")) == [
        "Kirkegården i Store Magleby", "Strandrensning i Dragør"]                     # soonest first
    assert titles(client.get("/tasks?postcode=2791&within=10")) == [
        "Lektiecafé i Kastrup", "Kirkegården i Store Magleby", "Strandrensning i Dragør"]
    assert titles(client.get("/tasks?postcode=2791&within=10&sort=nearest")) == [
        "Strandrensning i Dragør", "Kirkegården i Store Magleby", "Lektiecafé i Kastrup"]
    # Without a limit everything is listed, nearest first, places unknown last.
    assert titles(client.get("/tasks?postcode=2791&sort=nearest")) == [
        "Strandrensning i Dragør", "Kirkegården i Store Magleby", "Lektiecafé i Kastrup", "Roskilde Festival",
        "Et sted uden kort"]
    page = client.get("/tasks?postcode=2791").get_data(as_text=True)   # Danish is the default
    magleby_km = f"{distance_km(DRAGOER, MAGLEBY):.1f}".replace(".", ",")
    assert f"{magleby_km} km" in card(page, "Kirkegården i Store Magleby")
    english = client.get("/tasks?postcode=2791&lang=en").get_data(as_text=True)
    assert "Distances are measured from 2791 Dragør." in english
    assert f"{magleby_km.replace(',', '.')} km away" in card(english, "Kirkegården i Store Magleby")
    assert "close by" in card(english, "Strandrensning i Dragør")
    assert " km" not in card(english, "Et sted uden kort")


def test_an_unknown_postcode_is_explained_next_to_the_field_and_the_search_still_works(app, client, places):
    response = client.get("/tasks?postcode=9999&within=5&lang=en")
    page = response.get_data(as_text=True)
    assert 'id="f-postcode-error"' in page and "We do not know the postcode" in page
    assert re.search(r'id="f-postcode"[^>]*aria-invalid="true"', page)
    assert re.search(r'id="f-postcode"[^>]*aria-describedby="f-postcode-hint f-postcode-error"', page)
    # Every task is still listed, soonest first, without distances.
    assert titles(response) == ["Roskilde Festival", "Lektiecafé i Kastrup", "Et sted uden kort",
                                "Kirkegården i Store Magleby", "Strandrensning i Dragør"]
    assert "km away" not in page


def test_a_logged_in_volunteer_is_near_the_place_in_their_profile(app, client, places):
    with app.app_context():
        ida = make_user(email="ida@example.dk", postcode="2770")
        db.session.add(VolunteerProfile(user_id=ida.id, latitude=KASTRUP[0], longitude=KASTRUP[1]))
        db.session.commit()
    login(client, "ida@example.dk")
    page = client.get("/tasks?within=2&lang=en").get_data(as_text=True)
    assert titles(client.get("/tasks?within=2")) == ["Lektiecafé i Kastrup"]
    assert "Distances are measured from the place in your profile." in page
    # A typed postcode wins over the profile.
    assert titles(client.get("/tasks?within=2&postcode=2791&sort=nearest")) == [
        "Strandrensning i Dragør"]


def test_nearest_without_a_place_falls_back_to_soonest_and_says_so(app, client, places):
    response = client.get("/tasks?sort=nearest&within=5&lang=en")
    assert titles(response) == ["Roskilde Festival", "Lektiecafé i Kastrup", "Et sted uden kort",
                                "Kirkegården i Store Magleby", "Strandrensning i Dragør"]
    page = response.get_data(as_text=True)
    assert "To sort by distance, type a postcode." in page and "To limit the distance, type a postcode." in page


# --- sorting -------------------------------------------------------------------------------------

def test_most_needed_puts_the_emptiest_times_first_and_the_soonest_among_equals(app, client, org):
    with app.app_context():
        o = organisation(org)
        add(o, "Næsten fuld", starts_at=soon(1), capacity=10, taken=9)
        add(o, "Tom om en uge", starts_at=soon(7), capacity=4, taken=0)
        add(o, "Tom om to uger", starts_at=soon(14), capacity=4, taken=0)
        add(o, "Halvt fyldt", starts_at=soon(3), capacity=4, taken=2)
        db.session.commit()
    assert titles(client.get("/tasks")) == ["Næsten fuld", "Halvt fyldt", "Tom om en uge", "Tom om to uger"]
    assert titles(client.get("/tasks?sort=needed")) == ["Tom om en uge", "Tom om to uger", "Halvt fyldt",
                                                         "Næsten fuld"]


# --- the URL is the state ------------------------------------------------------------------------

def test_every_choice_round_trips_through_the_url_into_the_form(app, client, org):
    with app.app_context():
        add(organisation(org), "Cykeltur", starts_at=soon())
        db.session.commit()
    today = to_local(utcnow()).date()
    first, last = today.isoformat(), (today + timedelta(days=60)).isoformat()
    url = (f"/tasks?q=cykel+tur&category=older-people&kind=one_off&from={first}&to={last}&day=tue&day=thu"
           f"&time=afternoon&postcode=2791&within=5&young=1&sort=needed")
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'id="f-q"[^>]*value="cykel tur"', page)
    assert 'option value="older-people" selected' in page and 'option value="one_off" selected' in page
    assert f'value="{first}"' in page and f'value="{last}"' in page
    for code in ("tue", "thu"):
        assert f'name="day" value="{code}" checked' in page
    for code in ("mon", "wed", "fri", "sat", "sun"):
        assert f'name="day" value="{code}">' in page
    assert 'name="time" value="afternoon" checked' in page and 'name="time" value="morning">' in page
    assert re.search(r'id="f-postcode"[^>]*value="2791"', page)
    assert 'option value="5" selected' in page and 'option value="needed" selected' in page
    assert re.search(r'id="f-young"[^>]*checked', page)
    # Switching to the calendar keeps the search.
    month_link = htmllib.unescape(re.search(r'href="(/tasks\?view=month[^"]*)"', page).group(1))
    for part in ("q=cykel+tur", "day=tue", "day=thu", "time=afternoon", "postcode=2791", "within=5", "young=1"):
        assert part in month_link


def test_pages_of_20_and_the_page_links_keep_every_filter(app, client, org):
    with app.app_context():
        o = organisation(org)
        for i in range(25):
            add(o, f"Strandrensning {i:02d}", starts_at=soon(1 + i))
        for i in range(3):
            add(o, f"Noget andet {i}", starts_at=soon(1 + i))
        db.session.commit()
    first = client.get("/tasks?q=strand&young=1&time=morning&lang=en")
    assert titles(first) == [f"Strandrensning {i:02d}" for i in range(20)]
    page = first.get_data(as_text=True)
    assert "Previous page" not in page
    next_link = htmllib.unescape(re.search(r'<a href="([^"]+)" rel="next"', page).group(1))
    for part in ("q=strand", "young=1", "time=morning", "page=2"):
        assert part in next_link
    second = client.get(next_link)
    assert titles(second) == [f"Strandrensning {i:02d}" for i in range(20, 25)]
    assert 'rel="next"' not in second.get_data(as_text=True)
    back = htmllib.unescape(re.search(r'<a href="([^"]+)" rel="prev"', second.get_data(as_text=True)).group(1))
    assert "q=strand" in back and "time=morning" in back


def test_nonsense_in_the_url_is_ignored(client, app, org):
    with app.app_context():
        add(organisation(org), "Cykeltur", starts_at=soon())
        db.session.commit()
    response = client.get("/tasks?within=7&sort=random&day=someday&time=night&kind=x&from=2026-99-01&page=-3"
                          "&view=gallery")
    assert titles(response) == ["Cykeltur"]


# --- no N+1 --------------------------------------------------------------------------------------



def add_many(app, n):
    with app.app_context():
        orgs = [make_organisation() for _ in range(3)]
        for i in range(n):
            task = add(orgs[i % 3], f"Opgave {i}", place=(55.58 + i * 0.0004, 12.66),
                       kind="ongoing" if i % 10 == 0 else "one_off")
            for d in (2, 9):
                make_slot(task, starts_at=soon(d, 8 + i % 10), capacity=4)
        db.session.commit()


SEARCHES = ("/tasks", "/tasks?postcode=2791&sort=nearest", "/tasks?postcode=2791&within=10&sort=nearest",
            "/tasks?sort=needed&time=morning&time=afternoon&day=mon&day=tue&day=wed&day=thu&day=fri&day=sat&day=sun",
            "/tasks?q=opgave&young=1&page=2")
MAX_STATEMENTS = 5   # categories, organisations for the form; matching tasks; their details; their times


def test_a_page_of_results_costs_the_same_few_queries_however_much_data_there_is(app, client):
    add_many(app, 30)           # 30 tasks, 60 times
    small = {}
    for url in SEARCHES:
        with counting_queries(app) as statements:
            assert titles(client.get(url))
        small[url] = len(statements)
    add_many(app, 30)           # twice as much
    for url in SEARCHES:
        with counting_queries(app) as statements:
            assert len(titles(client.get(url))) == 20
        assert len(statements) == small[url], url
    assert max(small.values()) <= MAX_STATEMENTS, small


# --- the map -------------------------------------------------------------------------------------

@contextmanager
def configured(app, **settings):
    saved = {k: app.config.get(k) for k in settings}
    app.config.update(settings)
    try:
        yield
    finally:
        app.config.update(saved)


def test_without_a_tile_server_there_is_no_map_and_nothing_from_other_hosts(app, client, places):
    response = client.get("/tasks")
    page = response.get_data(as_text=True)
    assert 'id="map"' not in page and "leaflet" not in page and "map.js" not in page and "data-lat" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page.split("<footer")[0])
    assert response.headers["Content-Security-Policy"] == CSP


def test_with_a_tile_server_the_list_carries_a_map_drawn_by_a_deferred_script(app, client, places):
    tiles = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    with configured(app, MAP_TILE_URL=tiles, MAP_ATTRIBUTION="© Example-bidragydere"):
        response = client.get("/tasks?lang=en")
        nothing_placed = client.get("/tasks?q=uden+kort").get_data(as_text=True)
        calendar = client.get("/tasks?view=month").get_data(as_text=True)
    page = response.get_data(as_text=True)
    tag = re.search(r'<div id="map"[^>]*>', page).group(0)
    assert f'data-tiles="{tiles}"' in tag and 'data-attribution="© Example-bidragydere"' in tag
    assert 'role="region"' in tag and 'aria-label="Map of the tasks on this page' in tag and " hidden" in tag
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in page
    assert '<script src="/static/js/map.js" defer></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)                 # nothing inline
    # The list stays first; the places ride on the result items.
    assert page.index('class="nobullet-list task-list') < page.index('id="map"')
    assert f'data-lat="{MAGLEBY[0]:.6f}" data-lon="{MAGLEBY[1]:.6f}"' in card(page, "Kirkegården i Store Magleby")
    assert "data-lat" not in card(page, "Et sted uden kort")
    # This page's policy lets the tiles in as images, and nothing else changes.
    policy = response.headers["Content-Security-Policy"]
    assert "img-src https://*.tiles.example.org 'self' data:" in policy
    assert policy.replace("https://*.tiles.example.org ", "") == CSP
    # No map where there is nothing to place, and none on the calendar views.
    assert 'id="map"' not in nothing_placed and 'id="map"' not in calendar
    for asset in ("/static/js/map.js", "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
                  "/static/vendor/leaflet/images/marker-icon.png", "/static/vendor/leaflet/LICENSE"):
        assert client.get(asset).status_code == 200, asset


def test_nearest_first_gives_the_same_page_as_a_full_sort_when_looking_close_by_first(app, client):
    """The expanding radius is only a shortcut: the order must be exactly the full distance order."""
    from portal.tasks import listing
    with app.app_context():
        from portal.extensions import db
        from portal.models import utcnow
        from tests.factories import make_organisation, make_slot, make_task, make_user
        from datetime import timedelta
        org = make_organisation(admin=make_user())
        # 30 tasks about 0.55 km apart: a page of 20 reaches ~11 km, past 5 km but inside 25.
        for n in range(30):
            task = make_task(org, title=f"Opgave {n:02d}")
            task.latitude, task.longitude = 55.5925 + n * 0.005, 12.6722
            make_slot(task, starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
        origin = listing.Origin(label="Dragør", latitude=55.5925, longitude=12.6722)
        filters = listing.parse_filters({"sort": "nearest"})
        shortcut = [r.task.title for r in listing.search(filters, now=utcnow(), origin=origin).rows]
        saved = listing.NEAREST_RADII_KM
        listing.NEAREST_RADII_KM = ()
        try:
            full = [r.task.title for r in listing.search(filters, now=utcnow(), origin=origin).rows]
        finally:
            listing.NEAREST_RADII_KM = saved
    assert shortcut == full == [f"Opgave {n:02d}" for n in range(20)]
