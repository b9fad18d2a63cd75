"""Calls for input through the web: the public list and call page, answering once and changing it,
who sees the answers (and the spreadsheet without e-mail addresses), posting with errors next to
the field, closing after the deadline with a note that is mailed and shown, the coordinator's
overdue list. Pages are read in English (?lang=en) so the tests do not depend on the catalogue."""

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import Call, CallAnswer, CallAudience, CallStatus, utcnow
from tests.conftest import login, submit
from tests.factories import add_member, make_call, make_organisation, make_task, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        today = to_local(utcnow()).date()
        librarian = make_user(email="sanne@example.dk", name="Sanne Bech")
        library = make_organisation(admin=make_user(email="chef@example.dk"), name="Dragør Bibliotek")
        add_member(library, librarian)
        coordinator = make_user(email="anne@example.dk", name="Anne Møller", coordinator=True)
        make_user(email="karen@example.dk", name="Karen Holm")
        make_user(email="emil@example.dk", name="Emil Krogh", birth_date=date(today.year - 16, 1, 1))
        meeting = make_task(library, title="Borgermøde i salen")
        open_call = make_call(organisation=library, owner=librarian, title="Frivillige på biblioteket",
                              question="Hvad skal biblioteket bruge de frivillige til?", answers_public=True)
        private = make_call(organisation=library, owner=librarian, title="Åbningstider om søndagen",
                            audience=CallAudience.young, meeting_task_id=meeting.id)
        draft = make_call(organisation=library, owner=librarian, title="Hemmelig kladde", status="draft")
        closed = make_call(organisation=None, owner=coordinator, title="Bænke ved havnen", status="closed",
                           outcome="Der kommer tre nye bænke til foråret.", closes_at=utcnow() - timedelta(days=20),
                           closed_at=utcnow() - timedelta(days=3))
        db.session.commit()
        return dict(open=open_call.id, private=private.id, draft=draft.id, closed=closed.id,
                    library=library.slug, meeting=meeting.id)


def english(client):
    client.get("/?lang=en")
    return client


def _answer(client, call_id, body="Læsecirkel for unge", show_name=None):
    data = {"body": body}
    if show_name:
        data["show_name"] = "y"
    return submit(client, f"/calls/{call_id}/answer", data, form_url=f"/calls/{call_id}")


def _count(app, call_id):
    with app.app_context():
        return (db.session.get(Call, call_id).answer_count,
                db.session.scalar(select(func.count(CallAnswer.id)).where(CallAnswer.call_id == call_id)))


def test_the_public_list_shows_open_calls_and_what_came_of_closed_ones_but_no_drafts(world, client):
    html = english(client).get("/calls").get_data(as_text=True)
    assert "Frivillige på biblioteket" in html and "Åbningstider om søndagen" in html
    assert "Bænke ved havnen" in html and "Der kommer tre nye bænke til foråret." in html
    assert "Dragør Municipality" in html and "Dragør Bibliotek" in html
    assert "Hemmelig kladde" not in html
    assert client.get(f"/calls/{world['draft']}").status_code == 404
    assert "/calls/new" not in html, "only staff are offered to ask"


def test_anonymous_visitors_read_the_call_and_are_asked_to_log_in_to_answer(world, client):
    html = english(client).get(f"/calls/{world['private']}").get_data(as_text=True)
    assert "Hvad skal biblioteket tilbyde?" in html and "Young people aged 15–25" in html
    assert "Everyone who is logged in can answer." in html
    assert "Log in to answer" in html and 'name="body"' not in html
    assert "Borgermøde i salen" in html and f"/tasks/{world['meeting']}" in html
    assert client.post(f"/calls/{world['open']}/answer", data={"body": "x"}).status_code in (302, 400)


def test_a_citizen_answers_once_changes_it_and_the_public_answers_show_first_names_only_by_choice(world, app):
    karen = english(app.test_client())
    login(karen, "karen@example.dk")
    assert _answer(karen, world["open"], "Lektiehjælp og sprogcafé", show_name=True).status_code == 302
    assert _answer(karen, world["open"], "Lektiehjælp, sprogcafé og højtlæsning", show_name=True).status_code == 302
    assert _count(app, world["open"]) == (1, 1)
    emil = english(app.test_client())
    login(emil, "emil@example.dk")
    _answer(emil, world["open"], "Gaming-aften")
    assert _count(app, world["open"]) == (2, 2)
    html = english(app.test_client()).get(f"/calls/{world['open']}").get_data(as_text=True)
    assert "Lektiehjælp, sprogcafé og højtlæsning" in html and "Karen" in html and "Holm" not in html
    assert "Gaming-aften" in html and "A citizen" in html and "Emil" not in html
    assert "karen@example.dk" not in html
    mine = karen.get(f"/calls/{world['open']}").get_data(as_text=True)
    assert "Change my answer" in mine and "Lektiehjælp, sprogcafé og højtlæsning</textarea>" in mine


def test_an_empty_or_hostile_answer_gets_a_message_and_saves_nothing(world, app):
    karen = english(app.test_client())
    login(karen, "karen@example.dk")
    response = _answer(karen, world["open"], "   ")
    assert response.status_code == 400 and 'id="body-error"' in response.get_data(as_text=True)
    assert _answer(karen, world["open"], "a\x00b").status_code in (302, 400)
    assert _count(app, world["open"])[0] == _count(app, world["open"])[1]


def test_a_private_call_keeps_its_answers_from_the_public_and_the_young_are_told_it_is_for_them(world, app):
    emil = english(app.test_client())
    login(emil, "emil@example.dk")
    page = emil.get(f"/calls/{world['private']}").get_data(as_text=True)
    assert "This question is for you" in page
    _answer(emil, world["private"], "Søndag eftermiddag passer mig godt")
    karen = english(app.test_client())
    login(karen, "karen@example.dk")
    assert "This question is for you" not in karen.get(f"/calls/{world['private']}").get_data(as_text=True)
    public = english(app.test_client()).get(f"/calls/{world['private']}").get_data(as_text=True)
    assert "Søndag eftermiddag" not in public and "read only by Dragør Bibliotek" in public
    assert karen.get(f"/calls/{world['private']}/answers").status_code == 403
    sanne = english(app.test_client())
    login(sanne, "sanne@example.dk")
    assert "Søndag eftermiddag passer mig godt" in sanne.get(f"/calls/{world['private']}/answers").get_data(as_text=True)


def test_the_answers_spreadsheet_has_no_addresses_first_names_only_by_choice_and_no_formulas(world, app):
    karen = english(app.test_client())
    login(karen, "karen@example.dk")
    _answer(karen, world["open"], "=HYPERLINK(\"http://x\")", show_name=True)
    emil = app.test_client()
    login(emil, "emil@example.dk")
    _answer(emil, world["open"], "Brætspil")
    sanne = english(app.test_client())
    login(sanne, "sanne@example.dk")
    response = sanne.get(f"/calls/{world['open']}/answers.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "@example.dk" not in text and "Holm" not in text and "Emil" not in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["First name", "Answer", "Date"]
    assert rows[1][:2] == ["Karen", "'=HYPERLINK(\"http://x\")"] and rows[2][:2] == ["", "Brætspil"]
    assert karen.get(f"/calls/{world['open']}/answers.csv").status_code == 403


def test_staff_post_a_call_and_mistakes_are_shown_next_to_the_field(world, app):
    sanne = english(app.test_client())
    login(sanne, "sanne@example.dk")
    form = sanne.get("/calls/new").get_data(as_text=True)
    assert 'name="organisation"' in form and 'type="hidden"' in form, "one organisation: nothing to choose"
    day = to_local(utcnow()).date() + timedelta(days=10)
    data = {"organisation": world["library"], "title": "Lektiecafé", "question": "Hvornår passer lektiecafé bedst?",
            "background": "", "closes_on-day": str(day.day), "closes_on-month": str(day.month),
            "closes_on-year": str(day.year), "closes_time": "12.00", "audience": "near", "place_name": "",
            "postcode": "9990", "radius_km": "2,5", "meeting_task": "0", "action": "publish"}
    wrong = submit(sanne, "/calls/new", data)
    assert wrong.status_code == 400 and 'id="postcode-error"' in wrong.get_data(as_text=True)
    past = dict(data, postcode="2791", **{"closes_on-year": str(day.year - 2)})
    assert 'id="closes_on-error"' in submit(sanne, "/calls/new", past).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Call.id)).where(Call.title == "Lektiecafé")) == 0
    done = submit(sanne, "/calls/new", dict(data, postcode="2791"))
    assert done.status_code == 302
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.title == "Lektiecafé"))
        assert call.status is CallStatus.open and call.radius_km == 2.5 and call.postcode == "2791"
        assert to_local(call.closes_at).hour == 12
    karen = app.test_client()
    login(karen, "karen@example.dk")
    assert karen.get("/calls/new").status_code == 403


def test_the_coordinator_chooses_between_the_municipality_and_an_organisation(world, app):
    with app.app_context():
        from portal.models import Organisation, User
        anne = db.session.scalar(select(User).where(User.email == "anne@example.dk"))
        add_member(db.session.scalar(select(Organisation)), anne)
        db.session.commit()
    anne = english(app.test_client())
    login(anne, "anne@example.dk")
    form = anne.get("/calls/new").get_data(as_text=True)
    assert '<select class="form-select" id="organisation"' in form and "Dragør Municipality" in form


def test_hostile_posts_never_give_a_server_error(world, app):
    sanne = app.test_client()
    login(sanne, "sanne@example.dk")
    for values in ({"title": "a\x00b", "closes_time": "25:99", "radius_km": "NaN", "meeting_task": "99999999999999"},
                   {"title": "line\nbreak", "organisation": "someone-else", "audience": "mars", "closes_on-day": "31",
                    "closes_on-month": "2", "closes_on-year": "2027"}):
        response = submit(sanne, "/calls/new", values)
        assert response.status_code == 400
    for path in ("/calls/99999999999999999999", "/calls/0", "/calls/2147483648/answers"):
        assert sanne.get(path).status_code == 404


def test_after_the_deadline_the_owner_closes_it_with_a_note_mailed_to_those_who_answered(world, app, outbox):
    karen = english(app.test_client())
    login(karen, "karen@example.dk")
    _answer(karen, world["open"], "Sprogcafé")
    sanne = english(app.test_client())
    login(sanne, "sanne@example.dk")
    early = sanne.get(f"/calls/{world['open']}/close").get_data(as_text=True)
    assert "can be closed once its deadline has passed" in early and 'name="outcome"' not in early
    with app.app_context():
        db.session.get(Call, world["open"]).closes_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    assert "Close the call with a note" in sanne.get(f"/calls/{world['open']}").get_data(as_text=True)
    assert sanne.get(f"/calls/{world['open']}/edit").status_code == 302, "after the deadline: close, not edit"
    assert submit(sanne, f"/calls/{world['open']}/close", {"outcome": "kort"}).status_code == 400
    closed = submit(sanne, f"/calls/{world['open']}/close",
                    {"outcome": "Vi starter en sprogcafé hver tirsdag fra januar. Tak for de mange svar!"})
    assert closed.status_code == 302
    mail = [m for m in outbox() if m["To"] == "karen@example.dk"]
    assert len(mail) == 1 and "Vi starter en sprogcafé hver tirsdag" in mail[0].get_content()
    page = english(app.test_client()).get(f"/calls/{world['open']}").get_data(as_text=True)
    assert "What came of it" in page and "Vi starter en sprogcafé hver tirsdag fra januar." in page
    mine = karen.get(f"/calls/{world['open']}").get_data(as_text=True)
    assert "Thank you for your answer" in mine and 'name="body"' not in mine
    assert _answer(karen, world["open"], "For sent").status_code == 400


def test_the_coordinator_sees_overdue_calls_with_days_and_the_last_reminder(world, app):
    with app.app_context():
        call = db.session.get(Call, world["private"])
        call.closes_at = utcnow() - timedelta(days=4)
        call.last_reminded_at = utcnow() - timedelta(days=1)
        db.session.commit()
    anne = english(app.test_client())
    login(anne, "anne@example.dk")
    html = anne.get("/calls/overdue").get_data(as_text=True)
    assert "Åbningstider om søndagen" in html and "<td>4</td>" in html and "Frivillige på biblioteket" not in html
    sanne = app.test_client()
    login(sanne, "sanne@example.dk")
    assert sanne.get("/calls/overdue").status_code == 403


def test_the_owner_edits_an_open_call_and_publishes_a_draft(world, app):
    sanne = english(app.test_client())
    login(sanne, "sanne@example.dk")
    form = sanne.get(f"/calls/{world['draft']}/edit").get_data(as_text=True)
    assert "Hemmelig kladde" in form and 'value="publish"' in form
    day = to_local(utcnow()).date() + timedelta(days=5)
    data = {"title": "Ikke længere hemmelig", "question": "Hvad synes du om sagen?", "background": "",
            "closes_on-day": str(day.day), "closes_on-month": str(day.month), "closes_on-year": str(day.year),
            "closes_time": "18:30", "audience": "everyone", "meeting_task": str(world["meeting"]), "action": "publish"}
    assert submit(sanne, f"/calls/{world['draft']}/edit", data).status_code == 302
    with app.app_context():
        call = db.session.get(Call, world["draft"])
        assert call.status is CallStatus.open and call.title == "Ikke længere hemmelig"
        assert call.meeting_task_id == world["meeting"]
    karen = app.test_client()
    login(karen, "karen@example.dk")
    assert karen.get(f"/calls/{world['draft']}/edit").status_code == 403


def test_every_cell_of_the_answers_export_reads_as_text_in_a_spreadsheet(app, client):
    """Answers and first names written like formulas (OWASP CSV injection) stay text."""
    from tests.core.test_spreadsheet import read_back
    from portal.core.spreadsheet import FORMULA_TRIGGERS

    hostile = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]
    with app.app_context():
        owner = make_user(email="owner@example.dk")
        call = make_call(organisation=make_organisation(admin=owner), owner=owner, title=hostile[0])
        for n, text in enumerate(hostile):
            person = make_user(name=text)
            db.session.add(CallAnswer(call_id=call.id, user_id=person.id, body=hostile[n - 1], show_name=True))
        db.session.commit()
        call_id = call.id
    login(client, "owner@example.dk")
    rows = read_back(client.get(f"/calls/{call_id}/answers.csv").get_data(as_text=True))
    assert len(rows) == len(hostile) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), cell
    assert sorted(row[1] for row in rows[1:]) == sorted("'" + text for text in hostile)


def test_the_owner_hides_an_answer_from_the_public_page_and_shows_it_again(world, app):
    karen = english(app.test_client())
    login(karen, "karen@example.dk")
    _answer(karen, world["open"], "Ring til Jens på 22 33 44 55, han ved alt")
    with app.app_context():
        answer_id = db.session.scalar(select(CallAnswer.id).where(CallAnswer.call_id == world["open"]))
    hide = f"/calls/{world['open']}/answers/{answer_id}/hide"
    assert submit(karen, hide, {}, form_url=f"/calls/{world['open']}").status_code == 403
    sanne = english(app.test_client())
    login(sanne, "sanne@example.dk")
    assert submit(sanne, hide, {}, form_url=f"/calls/{world['open']}/answers").status_code == 302
    public = english(app.test_client()).get(f"/calls/{world['open']}").get_data(as_text=True)
    assert "Ring til Jens" not in public
    owner = sanne.get(f"/calls/{world['open']}/answers").get_data(as_text=True)
    assert "Ring til Jens" in owner and "Hidden from the public page" in owner
    wrong_call = f"/calls/{world['private']}/answers/{answer_id}/hide"
    assert submit(sanne, wrong_call, {}, form_url=f"/calls/{world['open']}/answers").status_code == 404
    submit(sanne, hide, {"hidden": "no"}, form_url=f"/calls/{world['open']}/answers")
    assert "Ring til Jens" in english(app.test_client()).get(f"/calls/{world['open']}").get_data(as_text=True)


def test_a_new_public_answer_shows_on_the_next_anonymous_visit_despite_the_page_cache(world, app):
    visitor = english(app.test_client())
    visitor.get(f"/calls/{world['open']}")
    cached = visitor.get(f"/calls/{world['open']}")
    assert cached.headers.get("X-Cache") == "hit"
    visitor.get("/calls")
    assert visitor.get("/calls").headers.get("X-Cache") == "hit"
    karen = app.test_client()
    login(karen, "karen@example.dk")
    _answer(karen, world["open"], "Fællessang om torsdagen")
    fresh = visitor.get(f"/calls/{world['open']}")
    assert fresh.headers.get("X-Cache") == "miss" and "Fællessang om torsdagen" in fresh.get_data(as_text=True)


def _queries(app, client, path):
    from tests.conftest import counting_queries
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_list_and_a_call_page_take_the_same_number_of_queries_with_more_calls_and_answers(world, app):
    karen = english(app.test_client())
    login(karen, "karen@example.dk")
    before = (_queries(app, karen, "/calls"), _queries(app, karen, f"/calls/{world['open']}"))
    with app.app_context():
        from portal.models import Organisation
        org = db.session.scalar(select(Organisation))
        for n in range(8):
            make_call(organisation=org, title=f"Ekstra {n}")
            make_call(organisation=None, title=f"Lukket {n}", status="closed", outcome="Tak",
                      closes_at=utcnow() - timedelta(days=3), closed_at=utcnow())
            db.session.add(CallAnswer(call_id=world["open"], user_id=make_user().id, body=f"Svar {n}", show_name=True))
        db.session.commit()
    after = (_queries(app, karen, "/calls"), _queries(app, karen, f"/calls/{world['open']}"))
    assert after == before
