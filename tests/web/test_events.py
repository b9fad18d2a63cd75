"""The event pages through the test client: the public page of the volunteer day and of the
welfare meeting, the coordinator's editing, the first-timer count, and the taster filter."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import Event, Signup, SignupState, Task, utcnow
from tests.conftest import counting_queries, login, submit
from tests.factories import add_member, make_call, make_event, make_organisation, make_slot, make_task, make_user


@pytest.fixture
def day(app):
    """A published volunteer day with a helper task and a taster task, and a draft event."""
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True)
        member = make_user(email="mette@example.dk")
        org = make_organisation(admin=member, name="Naturvogterne")
        event = make_event(slug="frivillig-fredag", title="Frivillig Fredag i Dragør",
                           starts_at=utcnow() + timedelta(days=20))
        draft = make_event(slug="hemmelig", title="Endnu ikke klar", published=False)
        helper = make_task(org, title="Stil telte op")
        taster = make_task(org, title="Prøv at plante træer")
        helper.event_id = taster.event_id = event.id
        taster.is_taster = True
        other = make_task(org, title="Kaffe på Enggården")
        helper_slot = make_slot(helper, starts_at=event.starts_at, capacity=4)
        taster_slot = make_slot(taster, starts_at=event.starts_at + timedelta(hours=2), capacity=6)
        other_slot = make_slot(other, starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
        return dict(event=event.slug, draft=draft.slug, event_id=event.id, helper=helper.id, taster=taster.id,
                    other=other.id, helper_slot=helper_slot.id, taster_slot=taster_slot.id, other_slot=other_slot.id,
                    org=org.slug)


def signed_in(app, email):
    client = app.test_client()
    login(client, email)
    return client


def sign_up(app, email, slot_id, task_id):
    client = signed_in(app, email)
    response = submit(client, f"/slots/{slot_id}/signup", form_url=f"/tasks/{task_id}")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def test_the_public_page_shows_the_day_in_danish_time_with_its_tasks_and_taster_times(app, client, day):
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == day["event"]))
        start = to_local(event.starts_at)
    page = client.get(f"/events/{day['event']}?lang=en").get_data(as_text=True)
    assert "Frivillig Fredag i Dragør" in page and "Wiedergården" in page
    danish = client.get(f"/events/{day['event']}?lang=da").get_data(as_text=True)
    assert start.strftime("%H.%M") in danish
    assert "Stil telte op" in page and "Prøv at plante træer" in page
    assert "Kaffe på Enggården" not in page
    assert page.count("taster-tag") == 1               # only the taster task carries the tag
    assert "6 places left" in page and "4 places left" in page
    assert f"/tasks/{day['taster']}#slot-{day['taster_slot']}" in page
    assert "/tasks?taster=1" in page
    # listed on /events, the draft is not
    listing = client.get("/events?lang=en").get_data(as_text=True)
    assert "Frivillig Fredag i Dragør" in listing and "Endnu ikke klar" not in listing


def test_an_unpublished_event_is_not_found_except_by_the_coordinator(app, client, day):
    assert client.get(f"/events/{day['draft']}").status_code == 404
    assert signed_in(app, "mette@example.dk").get(f"/events/{day['draft']}").status_code == 404
    coordinator = signed_in(app, "koordinator@example.dk")
    assert "Endnu ikke klar" in coordinator.get(f"/events/{day['draft']}").get_data(as_text=True)
    assert client.get("/events/no-such-event").status_code == 404


@pytest.mark.parametrize("page", ["/events/manage", "/events/new", "/events/{event}/edit"])
def test_only_the_coordinator_manages_events(app, client, day, page):
    url = page.format(**day)
    assert client.get(url).status_code == 302
    assert signed_in(app, "mette@example.dk").get(url).status_code == 403
    assert signed_in(app, "koordinator@example.dk").get(url).status_code == 200


def test_nobody_but_the_coordinator_publishes_hides_or_changes_the_programme(app, day):
    member = signed_in(app, "mette@example.dk")
    for path in (f"/events/{day['event']}/unpublish", f"/events/{day['event']}/items",
                 f"/events/{day['draft']}/publish"):
        response = submit(member, path, form_url="/me")
        assert response.status_code in (403, 404), path
    with app.app_context():
        assert db.session.scalar(select(Event.published_at).where(Event.slug == day["event"])) is not None
        assert db.session.scalar(select(Event.published_at).where(Event.slug == day["draft"])) is None


def test_the_coordinator_makes_an_event_with_a_programme_and_publishes_it(app, client, day):
    coordinator = signed_in(app, "koordinator@example.dk")
    when = to_local(utcnow() + timedelta(days=60)).date()
    form = {"kind": "welfare_meeting", "title": "Velfærdsmødet", "summary": "Foreninger og kommunen mødes.",
            "day": when.isoformat(), "starts": "17:00", "ends": "20:00", "place_name": "Dragør Rådhus",
            "address": "Kirkevej 7", "award_year": ""}
    response = submit(coordinator, "/events/new", form)
    assert response.status_code == 302
    slug = re.search(r"/events/([^/]+)/edit", response.headers["Location"]).group(1)
    assert slug == f"velfaerdsmoedet-{when.isoformat()}"
    edit = f"/events/{slug}/edit"
    bad = submit(coordinator, f"/events/{slug}/items?lang=en",
                 {"item-at": "09:00", "item-title": "Velkomst", "item-description": "", "item-place_note": ""},
                 form_url=edit)
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "between its start and its end" in html and 'value="Velkomst"' in html
    for at, title in (("18:30", "Hvad skal vi nå i år?"), ("17:00", "Borgmesteren byder velkommen")):
        assert submit(coordinator, f"/events/{slug}/items", {"item-at": at, "item-title": title,
                                                              "item-description": "", "item-place_note": "Salen"},
                      form_url=edit).status_code == 302
    assert client.get(f"/events/{slug}").status_code == 404          # still a draft
    assert submit(coordinator, f"/events/{slug}/publish", form_url=edit).status_code == 302
    page = client.get(f"/events/{slug}?lang=en").get_data(as_text=True)
    assert "The agenda" in page
    assert page.index("Borgmesteren byder velkommen") < page.index("Hvad skal vi nå i år?")   # by time
    danish = client.get(f"/events/{slug}?lang=da").get_data(as_text=True)
    assert "17.00" in danish and "18.30" in danish                              # Danish local time
    assert "/ideas" in page                                                     # the ideas box is linked
    # the coordinator removes a line
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        first_item = event.items[0].id
    assert submit(coordinator, f"/events/{slug}/items/{first_item}/remove", form_url=edit).status_code == 302
    assert "Borgmesteren byder velkommen" not in client.get(f"/events/{slug}").get_data(as_text=True)


def test_a_bad_event_form_keeps_what_was_typed_and_says_what_is_wrong(app, day):
    coordinator = signed_in(app, "koordinator@example.dk")
    form = {"kind": "volunteer_day", "title": "Frivillig Fredag\n" + "x" * 200, "summary": "",
            "day": "2027-09-24", "starts": "18:00", "ends": "10:00", "place_name": "Wiedergården",
            "address": "", "award_year": str(2 ** 63)}
    response = submit(coordinator, "/events/new", form, form_url="/events/new?lang=en")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The end must be after the start." in html
    assert "Write at most 140 characters" in html
    assert 'value="Wiedergården"' in html
    nul = submit(coordinator, "/events/new", dict(form, title="Frivillig\x00 Fredag", ends="20:00", award_year=""),
                 form_url="/events/new")
    assert nul.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Event.id))) == 2          # the fixture's two only


def test_the_welfare_meeting_links_its_call_for_input(app, client, day):
    with app.app_context():
        org = make_organisation(admin=make_user(), name="Dragør Kommune")
        meeting = make_event(kind="welfare_meeting", slug="velfaerdsmoede", title="Velfærdsmødet")
        task = make_task(org, title="Deltag i velfærdsmødet")
        task.event_id = meeting.id
        call = make_call(organisation=org, title="Hvad skal velfærdsmødet handle om?", meeting_task_id=task.id)
        db.session.commit()
        call_id = call.id
    page = client.get("/events/velfaerdsmoede?lang=en").get_data(as_text=True)
    assert "Hvad skal velfærdsmødet handle om?" in page and f"/calls/{call_id}" in page
    assert 'href="/ideas"' in page


def test_the_first_timer_count_counts_only_people_whose_first_sign_up_is_for_the_day(app, client, day, outbox):
    with app.app_context():
        for email in ("ny1@example.dk", "ny2@example.dk", "erfaren@example.dk", "fortryder@example.dk"):
            make_user(email=email)
        db.session.commit()
    url = f"/events/{day['event']}?lang=en"
    assert "for their first task" not in client.get(url).get_data(as_text=True)
    # someone who has helped before signs up for the day: not a first-timer
    sign_up(app, "erfaren@example.dk", day["other_slot"], day["other"])
    sign_up(app, "erfaren@example.dk", day["taster_slot"], day["taster"])
    assert "for their first task" not in client.get(url).get_data(as_text=True)   # cached page moved on too
    sign_up(app, "ny1@example.dk", day["taster_slot"], day["taster"])
    assert "1 person has signed up for their first task ever" in client.get(url).get_data(as_text=True)
    sign_up(app, "ny2@example.dk", day["helper_slot"], day["helper"])
    sign_up(app, "ny2@example.dk", day["taster_slot"], day["taster"])           # one person, two times
    assert "2 people have signed up for their first task ever" in client.get(url).get_data(as_text=True)
    # a first-timer who cancels is no longer counted
    fortryder = sign_up(app, "fortryder@example.dk", day["helper_slot"], day["helper"])
    assert "3 people" in client.get(url).get_data(as_text=True)
    with app.app_context():
        signup_id = db.session.scalar(select(Signup.id).join(Signup.user).where(
            Signup.state == SignupState.confirmed, Signup.slot_id == day["helper_slot"],
            Signup.user.has(email="fortryder@example.dk")))
    assert submit(fortryder, f"/signups/{signup_id}/cancel", form_url=f"/tasks/{day['helper']}").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "2 people have signed up for their first task ever" in page
    assert "ny1@example.dk" not in page and "erfaren" not in page             # the count only, never who


def test_the_event_page_costs_the_same_queries_for_2_and_12_tasks(app, client, day):
    with app.app_context():
        org = make_organisation(admin=make_user(), name="Mange opgaver")
        small = make_event(slug="lille")
        large = make_event(slug="stor")
        for event, n in ((small, 2), (large, 12)):
            for i in range(n):
                task = make_task(org, title=f"Opgave {event.slug} {i}")
                task.event_id, task.is_taster = event.id, i % 2 == 0
                for k in range(3):
                    slot = make_slot(task, starts_at=event.starts_at + timedelta(hours=k))
                    db.session.add(Signup(slot_id=slot.id, user_id=make_user().id, state=SignupState.confirmed))
        db.session.commit()
    counts = []
    for slug in ("lille", "stor"):
        with counting_queries(app) as statements:
            assert client.get(f"/events/{slug}?lang=en").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8, counts


# --- the tasks: part of an event, taster tasks and the filter -----------------------------------

TASK = {"title": "Prøv at reparere en cykel", "description": "Kom og prøv at lappe en cykel med os en time.",
        "category": "", "kind": "one_off", "place_name": "", "address": "Vinkelvej 2", "postcode": "2791",
        "city": "Dragør", "min_age": "", "physical_demand": "light", "what_to_bring": "",
        "contact_name": "Mette", "contact_email": "mette@example.dk", "contact_phone": "",
        "cancel_deadline_hours": "24", "publish": "y", "picture_alt": ""}


def category_id(app):
    from portal.models import Category
    with app.app_context():
        return str(db.session.scalar(select(Category.id).where(Category.slug == "practical")))


def test_an_organisation_member_puts_a_taster_task_on_the_day(app, client, day):
    mette = signed_in(app, "mette@example.dk")
    new = f"/organisations/{day['org']}/tasks/new"
    form_page = mette.get(new).get_data(as_text=True)
    assert "Frivillig Fredag i Dragør" in form_page and "Endnu ikke klar" not in form_page
    response = submit(mette, new, dict(TASK, category=category_id(app), event=str(day["event_id"]), is_taster="y"))
    assert response.status_code == 302
    task_id = int(re.search(r"/tasks/(\d+)/times", response.headers["Location"]).group(1))
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert task.event_id == day["event_id"] and task.is_taster
    page = client.get(f"/tasks/{task_id}?lang=en").get_data(as_text=True)
    assert "Try a task" in page and f'href="/events/{day["event"]}"' in page
    # editing keeps the event, and unticking takes the tag away
    edit = f"/tasks/{task_id}/edit"
    assert re.search(rf'<option selected value="{day["event_id"]}"|value="{day["event_id"]}" selected',
                     mette.get(edit).get_data(as_text=True))
    assert submit(mette, edit, dict(TASK, category=category_id(app), event=str(day["event_id"]))).status_code == 302
    with app.app_context():
        assert db.session.get(Task, task_id).is_taster is False


def test_a_task_cannot_join_a_draft_or_made_up_event(app, day):
    mette = signed_in(app, "mette@example.dk")
    new = f"/organisations/{day['org']}/tasks/new"
    with app.app_context():
        draft_id = db.session.scalar(select(Event.id).where(Event.slug == day["draft"]))
    for value in (str(draft_id), "999999", str(2 ** 63), "-1", "x"):
        response = submit(mette, new, dict(TASK, category=category_id(app), event=value), form_url=new + "?lang=en")
        assert response.status_code == 200, value
        assert "Choose one of the coming events from the list." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Task).where(Task.title == TASK["title"], Task.event_id == draft_id)) is None


def test_the_taster_filter_shows_only_taster_tasks_and_stays_in_the_links(app, client, day):
    everything = client.get("/tasks?lang=en").get_data(as_text=True)
    assert "Stil telte op" in everything and "Kaffe på Enggården" in everything
    assert 'id="f-taster"' in everything
    page = client.get("/tasks?taster=1&lang=en").get_data(as_text=True)
    assert "Prøv at plante træer" in page
    assert "Stil telte op" not in page and "Kaffe på Enggården" not in page
    assert re.search(r'id="f-taster"[^>]*checked', page)
    assert "taster=1" in page.split('id="f-taster"')[0] or "taster=1" in page  # views and paging keep it
    assert "taster=1" in client.get("/tasks?taster=1&view=month").get_data(as_text=True)
    assert "Prøv at plante træer" not in client.get("/tasks?taster=1&q=kaffe").get_data(as_text=True)


def test_the_volunteer_day_links_the_awards_of_its_year_and_an_ordinary_event_does_not(app, client, day):
    from tests.factories import make_award_year

    with app.app_context():
        year = make_award_year(now=utcnow())
        event = db.session.scalar(select(Event).where(Event.slug == day["event"]))
        event.award_year_id = year.id
        db.session.commit()
        number = year.year
    page = client.get(f"/events/{day['event']}?lang=en").get_data(as_text=True)
    assert 'href="/awards"' in page and f"The awards {number}" in page
    with app.app_context():
        make_event(slug="loppemarked", kind="other", title="Loppemarked")
        db.session.commit()
    plain_page = client.get("/events/loppemarked?lang=en").get_data(as_text=True)
    assert "The awards" not in plain_page        # (the footer may link /awards on every page)


def test_the_open_data_says_which_tasks_are_taster_tasks(client, day):
    taster = client.get(f"/api/v1/tasks/{day['taster']}").get_json()
    helper = client.get(f"/api/v1/tasks/{day['helper']}").get_json()
    assert taster["taster"] is True and helper["taster"] is False


def test_the_events_list_costs_the_same_queries_for_2_and_10_events(app, client, day):
    def statements():
        with counting_queries(app) as found:
            assert client.get("/events?lang=en").status_code == 200
        return len(found)

    with app.app_context():
        make_event(slug="ekstra-1")
        db.session.commit()
    few = statements()
    with app.app_context():
        for n in range(8):
            make_event(slug=f"mange-{n}")
        db.session.commit()
    assert statements() == few <= 3


def test_an_event_past_midnight_and_a_time_the_evening_before_name_their_days(app, client):
    from datetime import date, time

    from portal.core.timeutil import to_utc
    with app.app_context():
        year = utcnow().year + 1
        starts = to_utc(date(year, 9, 24), time(20, 0))                      # Friday 20.00 local
        event = make_event(slug="fest", title="Frivilligfest", starts_at=starts, hours=5)   # until 01.00
        org = make_organisation(name="Festudvalget")
        setup = make_task(org, title="Pynt salen")
        setup.event_id = event.id
        make_slot(setup, starts_at=to_utc(date(year, 9, 23), time(18, 0)), hours=2)   # Thursday evening
        party = make_task(org, title="Bag i baren")
        party.event_id = event.id
        make_slot(party, starts_at=starts, hours=5)
        db.session.commit()
    friday, saturday, thursday = (f"{d:%A}" for d in (date(year, 9, 24), date(year, 9, 25), date(year, 9, 23)))
    page = client.get("/events/fest?lang=en").get_data(as_text=True)
    when = page.split("<dd>", 1)[1].split("</dd>", 1)[0]
    assert friday in when and saturday in when and "1:00" in when
    times = re.findall(r'#slot-\d+">([^<]+)</a>', page)
    assert any(t.startswith(thursday) for t in times)                         # the evening before, by name
    assert any(t.startswith("8:00") and saturday in t for t in times)         # the bar until Saturday 1.00
    listing = client.get("/events?lang=en").get_data(as_text=True)
    assert f"{friday}, " in listing and f"{saturday}, " in listing
    front = client.get("/?lang=en").get_data(as_text=True)
    assert f"{friday} 24 September" in front and f"{saturday} 25 September, 1:00" in front


def test_the_coordinator_makes_a_party_that_ends_after_midnight(app, client, day):
    coordinator = signed_in(app, "koordinator@example.dk")
    when = to_local(utcnow() + timedelta(days=60)).date()
    form = {"kind": "volunteer_day", "title": "Frivilligfesten", "summary": "Tak for i år.",
            "day": when.isoformat(), "starts": "20:00", "ends": "01:00", "place_name": "Wiedergården",
            "address": "", "award_year": ""}
    response = submit(coordinator, "/events/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    slug = re.search(r"/events/([^/]+)/edit", response.headers["Location"]).group(1)
    edit = f"/events/{slug}/edit"
    assert submit(coordinator, f"/events/{slug}/items", {"item-at": "00:30", "item-title": "Sidste dans",
                                                          "item-description": "", "item-place_note": ""},
                  form_url=edit).status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        assert to_local(event.ends_at).date() == when + timedelta(days=1)
        assert to_local(event.ends_at).hour == 1 and (event.ends_at - event.starts_at) == timedelta(hours=5)
        assert to_local(event.items[0].starts_at).date() == when + timedelta(days=1)
    # Editing it again keeps the night (the form shows 20:00 and 01:00 on the first day).
    page = coordinator.get(edit).get_data(as_text=True)
    assert 'value="20:00"' in page and 'value="01:00"' in page
    assert submit(coordinator, edit, dict(form, summary="Tak for i år!")).status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        assert (event.ends_at - event.starts_at) == timedelta(hours=5) and len(event.items) == 1
    # A morning end before an evening start is still a typo.
    typo = submit(coordinator, "/events/new", dict(form, starts="18:00", ends="10:00"),
                  form_url="/events/new?lang=en")
    assert typo.status_code == 400 and "The end must be after the start." in typo.get_data(as_text=True)
