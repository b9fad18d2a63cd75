"""The agreement pages: the coordinator's form (round-trips what was typed, refuses another
organisation's task), the parties' read-only view (403 for anyone else), and the survey link."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.agreements import services
from portal.core.agreements import local_today
from portal.extensions import db
from portal.models import Agreement, AgreementEvaluation, OrganisationKind, OutboxMessage, utcnow
from tests.conftest import login, submit
from tests.factories import add_member, make_agreement, make_organisation, make_task, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True, locale="en")
        hanne, lars = make_user(email="hanne@example.dk", locale="en"), make_user(email="lars@example.dk", locale="en")
        enggaarden = make_organisation(name="Enggården", kind=OrganisationKind.care_home)
        skole = make_organisation(name="Dragør Skole", kind=OrganisationKind.school)
        other = make_organisation(name="Dragør Roklub")
        add_member(enggaarden, hanne)
        add_member(other, lars)
        task = make_task(enggaarden, title="Cykling uden alder")
        foreign = make_task(other, title="Roning for alle")
        today = local_today(utcnow())
        agreement = make_agreement(skole, party_a=enggaarden, title="Cykelture", tasks=[task],
                                   starts_on=today - timedelta(days=60), review_on=today)
        db.session.commit()
        return {"a": enggaarden.id, "b": skole.id, "other": other.id, "slug_a": enggaarden.slug,
                "slug_other": other.slug, "task": task.id, "foreign": foreign.id, "agreement": agreement.id}


def _fields(w, **changes):
    today = local_today(utcnow())
    review = today + timedelta(days=120)
    data = {"title": "Cykelture med 8. klasse", "party_a": str(w["a"]), "party_b": str(w["b"]),
            "party_b_label": "8. klasse", "purpose": "Beboerne kommer ud på cykel.",
            "duties_a": "Stiller rickshaws.", "duties_b": "Stiller elever.", "contact_a_name": "Hanne Holm",
            "contact_a_email": "hanne@example.dk", "contact_a_phone": "", "contact_b_name": "Jonas Berg",
            "contact_b_email": "jonas@example.dk", "contact_b_phone": "32 89 01 00",
            "starts_on-day": str(today.day), "starts_on-month": str(today.month), "starts_on-year": str(today.year),
            "review_on-day": str(review.day), "review_on-month": str(review.month), "review_on-year": str(review.year),
            "status": "active", "tasks": [str(w["task"])]}
    data.update(changes)
    return data


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Agreement.id)))


def test_the_coordinator_picks_the_parties_tasks_then_saves_the_agreement(app, client, world):
    login(client, "koordinator@example.dk")
    client.get("/coordinator/agreements?lang=en")
    page = client.get("/coordinator/agreements/new").get_data(as_text=True)
    assert "Show the parties' tasks" in page and "Cykling uden alder" not in page
    shown = submit(client, "/coordinator/agreements/new", _fields(world, tasks=[], show_tasks="1"),
                   form_url="/coordinator/agreements/new")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Nothing is saved yet" in html
    assert "Cykling uden alder (Enggården)" in html and "Roning for alle" not in html
    assert 'value="Cykelture med 8. klasse"' in html and _count(app) == 1
    saved = submit(client, "/coordinator/agreements/new", _fields(world), form_url="/coordinator/agreements/new")
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Enggården × Dragør Skole, 8. klasse" in page and "Cykling uden alder" in page
    listing = client.get("/coordinator/agreements").get_data(as_text=True)
    assert "Cykelture med 8. klasse" in listing
    # Cykelture (review date today) is not yet past review; the municipal task has an agreement.
    assert "No active agreement is past its review date." in listing


@pytest.mark.parametrize("changes, message", [
    ({"review_on-year": "2001"}, "The review date cannot be before the agreement starts."),
    ({"party_b": str(2**70)}, "Choose one of the approved organisations on the portal."),
    ({"party_b": "abc"}, "Choose one of the approved organisations on the portal."),
    ({"party_b": ""}, "Choose the association, school or institution the agreement is with."),
    ({"party_a": "B"}, "Choose one of the approved organisations on the portal."),
    ({"tasks": ["1e9", "abc"]}, "Choose only tasks that belong to one of the two parties."),
    ({"tasks": [str(2**40)]}, "Choose only tasks that belong to one of the two parties."),
    ({"tasks": "FOREIGN"}, "Choose only tasks that belong to one of the two parties."),
    ({"purpose": "x" * 10_000}, "Write at most 4000 characters. You wrote 10000."),
    ({"contact_b_email": "jonas at skolen"}, "Enter an e-mail address like name@example.dk."),
    ({"ends_on-day": "1", "ends_on-month": "1", "ends_on-year": "9999"}, "Enter a real date"),
    ({"starts_on-day": "31", "starts_on-month": "2"}, "Enter a real date"),
])
def test_bad_input_comes_back_with_a_message_and_what_was_typed(app, client, world, changes, message):
    login(client, "koordinator@example.dk")
    client.get("/coordinator/agreements?lang=en")
    if changes.get("tasks") == "FOREIGN":
        changes = {"tasks": [str(world["task"]), str(world["foreign"])]}  # another organisation's task id posted
    response = submit(client, "/coordinator/agreements/new", _fields(world, title="Cykelture 🚲 \u202eolleh", **changes),
                      form_url="/coordinator/agreements/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'value="Cykelture 🚲 \u202eolleh"' in html
    assert ("x" * 10_000 if "purpose" in changes else "Beboerne kommer ud på cykel.") in html
    assert _count(app) == 1


def test_one_line_fields_lose_their_line_breaks_and_nul_bytes_are_refused(app, client, world):
    login(client, "koordinator@example.dk")
    response = submit(client, "/coordinator/agreements/new", _fields(world, title="Cykel\r\nture", contact_b_name="Jonas\nBerg"),
                      form_url="/coordinator/agreements/new")
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Agreement).order_by(Agreement.id.desc()))
        assert saved.title == "Cykel ture" and saved.contact_b_name == "Jonas Berg"
    nul = submit(client, "/coordinator/agreements/new", _fields(world, purpose="a\x00b"), form_url="/coordinator/agreements/new")
    assert nul.status_code == 400 and _count(app) == 2


def test_editing_keeps_the_saved_values_and_refuses_a_foreign_task(app, client, world):
    login(client, "koordinator@example.dk")
    client.get("/coordinator/agreements?lang=en")
    url = f"/coordinator/agreements/{world['agreement']}/edit"
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="%d"' % world["task"], page)
    refused = submit(client, url, _fields(world, title="Cykelture", tasks=[str(world["foreign"])]))
    assert refused.status_code == 400
    with app.app_context():
        agreement = db.session.get(Agreement, world["agreement"])
        assert [t.id for t in agreement.tasks] == [world["task"]]


def test_only_the_coordinator_reaches_the_coordinators_pages(app, client, world):
    login(client, "hanne@example.dk")
    for url in ("/coordinator/agreements", "/coordinator/agreements/new", f"/coordinator/agreements/{world['agreement']}",
                f"/coordinator/agreements/{world['agreement']}/edit"):
        assert client.get(url).status_code == 403, url
    assert submit(client, "/coordinator/agreements/new", _fields(world), form_url="/me").status_code == 403
    assert _count(app) == 1


def test_a_member_of_a_party_reads_the_agreement_but_another_organisation_gets_403(app, client, world):
    login(client, "hanne@example.dk")
    client.get("/?lang=en")
    listing = client.get(f"/organisations/{world['slug_a']}/agreements")
    assert listing.status_code == 200 and "Cykelture" in listing.get_data(as_text=True)
    page = client.get(f"/agreements/{world['agreement']}")
    assert page.status_code == 200 and "Edit the agreement" not in page.get_data(as_text=True)
    lars = client.application.test_client()
    login(lars, "lars@example.dk")
    assert lars.get(f"/agreements/{world['agreement']}").status_code == 403
    assert lars.get(f"/organisations/{world['slug_a']}/agreements").status_code == 403
    assert lars.get(f"/organisations/{world['slug_other']}/agreements").status_code == 200
    for url in (f"/agreements/{2**40}", f"/agreements/{2**80}", f"/coordinator/agreements/{2**70}"):
        assert lars.get(url).status_code == 404, url


def _survey_link(app, email):
    with app.app_context():
        services.send_evaluations(now=utcnow())
        db.session.commit()
        body = db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.to_email == email))
    return "/agreements/evaluate/" + body.split("/agreements/evaluate/")[1].split()[0]


def test_the_survey_is_answered_once_and_only_the_coordinator_reads_the_answers(app, client, world):
    link = _survey_link(app, "jonas@example.dk")
    client.get("/?lang=en")
    assert client.get("/agreements/evaluate/not-a-real-token").status_code == 400
    assert client.get(link).status_code == 200
    missing = submit(client, link, {"went_well": "Eleverne hyggede sig", "carry_on": "yes"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "Choose a rating from 1 to 5." in html and "Eleverne hyggede sig" in html
    answered = submit(client, link, {"rating": "4", "went_well": "Eleverne hyggede sig",
                                     "to_change": "Flere cykler", "carry_on": "yes"})
    assert answered.status_code == 200 and "Your answers have reached the volunteer coordinator." in answered.get_data(as_text=True)
    again = client.get(link).get_data(as_text=True)
    assert "already been answered" in again
    with app.app_context():
        assert db.session.scalar(select(func.count(AgreementEvaluation.id)).where(
            AgreementEvaluation.answered_at.is_not(None))) == 1
    coordinator = client.application.test_client()
    login(coordinator, "koordinator@example.dk")
    coordinator.get("/?lang=en")
    page = coordinator.get(f"/coordinator/agreements/{world['agreement']}").get_data(as_text=True)
    assert "Flere cykler" in page and "4.0 of 5" in page and "1 of 2 people have answered." in page
    hanne = client.application.test_client()
    login(hanne, "hanne@example.dk")
    hanne.get("/?lang=en")
    party = hanne.get(f"/agreements/{world['agreement']}").get_data(as_text=True)
    assert "1 of 2 people have answered." in party and "Flere cykler" not in party


def test_the_coordinator_and_organisation_pages_link_to_the_agreements(app, client, world):
    login(client, "koordinator@example.dk")
    assert "/coordinator/agreements" in client.get("/coordinator").get_data(as_text=True)
    hanne = client.application.test_client()
    login(hanne, "hanne@example.dk")
    assert f"/organisations/{world['slug_a']}/agreements" in hanne.get(f"/organisations/{world['slug_a']}").get_data(as_text=True)


def test_the_list_and_detail_pages_need_the_same_number_of_queries_for_more_agreements(app, client, world):
    from tests.conftest import counting_queries

    login(client, "koordinator@example.dk")
    pages = ["/coordinator/agreements", f"/coordinator/agreements/{world['agreement']}"]

    def counts():
        out = []
        for url in pages:
            with counting_queries(app) as statements:
                assert client.get(url).status_code == 200
            out.append(len(statements))
        return out

    before = counts()
    with app.app_context():
        from portal.models import Organisation, Task
        orgs = [db.session.get(Organisation, world[k]) for k in ("a", "b")]
        tasks = [db.session.get(Task, world["task"])] + [make_task(orgs[0]) for _ in range(3)]
        agreement = db.session.get(Agreement, world["agreement"])
        agreement.tasks = tasks
        for _ in range(4):
            make_agreement(make_organisation(), party_a=orgs[0], tasks=tasks[1:])
        services.send_evaluations(now=utcnow())
        db.session.commit()
    assert counts() == before
