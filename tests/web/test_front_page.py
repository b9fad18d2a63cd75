"""The front page shows the need (issue 12): how many times need people in the next 7 days, a few
concrete needs with the places missing, the awards by phase, the ideas box, the latest stories and
the next event; anonymous visitors get it from the page cache, which a sign-up moves on."""

import re
from datetime import timedelta

import pytest

from portal.awards import winners as award_winners
from portal.awards.winners import Winner
from portal.extensions import db
from portal.models import OrganisationStatus, SlotStatus, utcnow
from tests.conftest import login, submit
from tests.factories import (make_award_year, make_event, make_organisation, make_slot, make_story, make_task,
                             make_user)

NUMBER = re.compile(r'<span class="front-need__number">(\d+)</span>')


def page(client, path="/?lang=en"):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def need_count(html) -> int:
    return int(NUMBER.search(html).group(1))


def needs_titles(html) -> list[str]:
    return re.findall(r'class="need-card__title" href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def world(app):
    """Times in the next days: two that need people, and all the kinds that must not count."""
    with app.app_context():
        now = utcnow()
        org = make_organisation(name="Dragør Naturvogtere")
        beach = make_task(org, title="Strandrensning ved Søndre Mole")
        reading = make_task(org, title="Læsehjælp på biblioteket")
        full = make_task(org, title="Fuldt hold til loppemarkedet")
        later = make_task(org, title="Juletræet på Kongevejen")
        draft = make_task(org, title="Kladde om kirkegården", status="draft")
        hidden_org = make_organisation(name="Ikke godkendt forening", status=OrganisationStatus.pending)
        hidden = make_task(hidden_org, title="Opgave fra en forening, der venter")
        past = make_task(org, title="Forbi i går")
        cancelled = make_task(org, title="Aflyst havedag")

        a = make_slot(beach, starts_at=now + timedelta(days=1), capacity=5)
        a.taken = 2
        make_slot(beach, starts_at=now + timedelta(days=2), capacity=1)           # same task: one card
        make_slot(reading, starts_at=now + timedelta(days=3), capacity=3)
        f = make_slot(full, starts_at=now + timedelta(days=1), capacity=2)
        f.taken = 2
        make_slot(later, starts_at=now + timedelta(days=9), capacity=4)           # a need, not this week
        make_slot(draft, starts_at=now + timedelta(days=1), capacity=9)
        make_slot(hidden, starts_at=now + timedelta(days=1), capacity=9)
        make_slot(past, starts_at=now - timedelta(days=1), capacity=9)
        c = make_slot(cancelled, starts_at=now + timedelta(days=2), capacity=9)
        c.status = SlotStatus.cancelled
        db.session.commit()
        return {"beach": beach.id, "reading": reading.id, "full": full.id}


def test_front_page_counts_the_times_that_need_people_in_the_next_7_days(client, world):
    html = page(client)
    # Beach tomorrow (3 free) + beach in two days (1) + reading (3): full, drafts, unapproved
    # organisations' tasks, past, cancelled and later times do not count.
    assert need_count(html) == 3
    assert "times need volunteers in the next 7 days" in html
    assert "7 places are still free." in html


def test_the_concrete_needs_are_the_soonest_public_times_with_free_places_one_per_task(client, world):
    html = page(client)
    assert needs_titles(html) == ["Strandrensning ved Søndre Mole", "Læsehjælp på biblioteket",
                                  "Juletræet på Kongevejen"]
    assert "3 places missing" in html and "4 places missing" in html
    assert "Dragør Naturvogtere" in html
    assert f'href="/tasks/{world["beach"]}#slot-' in html
    for never in ("Fuldt hold", "Kladde", "Ikke godkendt", "venter", "Forbi i går", "Aflyst"):
        assert never not in html, never


def test_a_need_shows_its_local_weekday_date_and_time(app, client):
    with app.app_context():
        org = make_organisation()
        task = make_task(org, title="Kaffe på Enggården")
        starts = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
        make_slot(task, starts_at=starts, hours=2, capacity=2)
        db.session.commit()
    from portal.core.timeutil import to_local
    local = to_local(starts)
    html = page(client)
    card = html.split('class="need-card__when">', 1)[1].split("</span>", 1)[0]
    assert local.strftime("%A") in card and local.strftime("%B") in card and str(local.day) in card
    assert card.startswith(f"{local:%A} {local.day} {local:%B}, ")
    assert "1 place missing" not in html and "2 places missing" in html


def test_an_empty_week_says_so_and_shows_no_needs(client):
    html = page(client)
    assert need_count(html) == 0
    assert "No times need people in the next 7 days. Thank you!" in html
    assert 'class="need-card' not in html
    assert 'href="/ideas"' in html       # the ideas box is always there


def test_hostile_titles_are_escaped(app, client):
    with app.app_context():
        org = make_organisation(name="<b>Forening</b>")
        make_slot(make_task(org, title="<script>alert(1)</script>"), starts_at=utcnow() + timedelta(days=1))
        db.session.commit()
    html = page(client)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Forening</b>" not in html


def test_the_cached_front_page_changes_on_the_next_request_after_a_sign_up(app, world):
    anonymous = app.test_client()
    with app.app_context():
        from sqlalchemy import select

        from portal.models import Slot
        make_user(email="sofie@example.dk")
        db.session.commit()
        reading_slot = db.session.scalar(select(Slot.id).where(Slot.task_id == world["reading"]))
    anonymous.get("/?lang=en")               # the language choice sets the session cookie: not stored
    first = anonymous.get("/?lang=en")
    again = anonymous.get("/?lang=en")
    assert again.headers["X-Cache"] == "hit" and need_count(again.get_data(as_text=True)) == 3

    volunteer = app.test_client()
    login(volunteer, "sofie@example.dk")
    assert submit(volunteer, f"/slots/{reading_slot}/signup", {"action": "signup"},
                  form_url=f"/tasks/{world['reading']}").status_code == 302

    after = anonymous.get("/?lang=en")
    assert after.headers["X-Cache"] == "miss"
    assert "6 places are still free." in after.get_data(as_text=True)
    assert first.headers["X-Cache"] == "miss"


def test_nominating_invites_to_nominate_with_the_closing_date(app, client):
    with app.app_context():
        make_award_year(year=2031, phase="nominating")
        db.session.commit()
    html = page(client)
    assert "Nominate this year&#39;s volunteer" in html or "Nominate this year's volunteer" in html
    assert "You can nominate until" in html and 'href="/awards"' in html


def test_while_the_jury_works_the_page_says_when_the_winners_come(app, client):
    with app.app_context():
        make_award_year(year=2031, phase="jury")
        db.session.commit()
    html = page(client)
    assert "The winners are announced on" in html
    assert "Nominate someone" not in html


def test_announced_winners_are_shown_by_name_and_category(app, client, monkeypatch):
    with app.app_context():
        make_award_year(year=2031, phase="announced")
        db.session.commit()
    monkeypatch.setattr(award_winners, "hall_of_fame", lambda *, now: {2031: [
        Winner(2031, "Årets frivillige", "Volunteer of the year", "Grethe Holm", "Tyve år i repaircaféen", 1)]})
    html = page(client)
    assert "This year&#39;s winners 2031" in html or "This year's winners 2031" in html
    assert "Grethe Holm" in html and "Volunteer of the year" in html
    assert "Grethe Holm" in page(client, "/?lang=da") and "Årets frivillige" in page(client, "/?lang=da")


def test_winners_from_more_than_a_year_ago_leave_the_front_page(app, client, monkeypatch):
    with app.app_context():
        now = utcnow()
        make_award_year(year=2020, phase="announced", announce_at=now - timedelta(days=400),
                        jury_starts_at=now - timedelta(days=450), nominations_close_at=now - timedelta(days=460),
                        nominations_open_at=now - timedelta(days=500))
        db.session.commit()
    monkeypatch.setattr(award_winners, "hall_of_fame", lambda *, now: {2020: [
        Winner(2020, "Årets frivillige", "Volunteer of the year", "Gammel Vinder", "", 1)]})
    assert "Gammel Vinder" not in page(client)


def test_the_next_published_event_is_shown_and_a_draft_is_not(app, client):
    with app.app_context():
        make_event(title="Frivillig Fredag på Wiedergården", slug="frivillig-fredag",
                   starts_at=utcnow() + timedelta(days=20))
        make_event(title="Hemmeligt udkast", slug="udkast", published=False, starts_at=utcnow() + timedelta(days=5))
        db.session.commit()
    html = page(client)
    assert "Frivillig Fredag på Wiedergården" in html and 'href="/events/frivillig-fredag"' in html
    assert "Hemmeligt udkast" not in html


def test_the_latest_stories_show_their_picture_with_its_alt_text(app, client):
    with app.app_context():
        org = make_organisation(name="Repair Café Dragør")
        make_story(org, title="Tyve cykler reddet", picture=True)
        make_story(org, title="Ikke udgivet endnu", published=False)
        db.session.commit()
        from sqlalchemy import select

        from portal.models import Story
        story = db.session.scalar(select(Story).where(Story.title == "Tyve cykler reddet"))
        story_id, picture_id = story.id, story.picture_id
    html = page(client)
    assert "Tyve cykler reddet" in html and "Repair Café Dragør" in html
    assert (f'src="/stories/{story_id}/picture?v={picture_id}" alt="Frivillige med affaldssække på Dragør strand"'
            in html)
    assert "Ikke udgivet endnu" not in html
    # A new photo gets a new address, so no browser shows yesterday's photo from its day-long cache.
    with app.app_context():
        from portal import pictures
        from tests.factories import picture_bytes
        story = db.session.get(Story, story_id)
        pictures.attach(story, picture_bytes(size=(300, 200)), "Et nyt billede")
        db.session.commit()
        new_id = story.picture_id
    assert new_id != picture_id and f'src="/stories/{story_id}/picture?v={new_id}"' in page(client)


def test_a_signed_in_volunteer_still_gets_suggestions_and_the_need(app, client, world):
    with app.app_context():
        make_user(email="karen@example.dk")
        db.session.commit()
    login(client, "karen@example.dk")
    html = page(client)
    assert 'id="suggestions"' in html
    assert need_count(html) == 3
    assert "Become a volunteer" not in html


@pytest.mark.parametrize("phase, says", [
    ("upcoming", "You can nominate a volunteer from"),
    ("closed", "The winners are announced on"),
])
def test_before_and_after_the_nominations_the_page_says_what_comes_next(app, client, phase, says):
    with app.app_context():
        make_award_year(year=2031, phase=phase)
        db.session.commit()
    html = page(client)
    assert says in html and "The volunteer awards 2031" in html and "Nominate someone" not in html


def test_nominations_closing_at_midnight_name_the_day_before_as_the_last_day(app, client):
    from datetime import time

    from portal.core.timeutil import to_local, to_utc
    with app.app_context():
        now = utcnow()
        closing_day = to_local(now).date() + timedelta(days=10)
        make_award_year(year=2031, phase="nominating", nominations_close_at=to_utc(closing_day, time(0)),
                        jury_starts_at=to_utc(closing_day, time(0)) + timedelta(days=1))
        db.session.commit()
    last = closing_day - timedelta(days=1)
    html = page(client)
    assert f"You can nominate until {last.day} {last:%B}." in html


def test_a_task_whose_place_was_left_empty_shows_its_address(app, client):
    with app.app_context():
        org = make_organisation()
        task = make_task(org, title="Hæk ved Kirkevej")
        task.place_name, task.address = "", "Kirkevej 7"             # as the task form saves an empty place
        make_slot(task, starts_at=utcnow() + timedelta(days=2), capacity=2)
        db.session.commit()
    card = page(client).split('class="need-card__when">', 1)[1].split("</span>", 1)[0]
    assert card.endswith(" · Kirkevej 7, Dragør"), card
