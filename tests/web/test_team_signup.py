"""Company teams through the test client (issue 10): the task form's two new fields, the list
of tasks a company can solve, and the team sign-up page."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Company, Signup, SignupState, Skill, Slot, Task, TeamSignup, utcnow
from tests.conftest import counting_queries, csrf_token, login, submit
from tests.factories import link_employee, make_company, make_organisation, make_slot, make_task, make_user

TASK = {"title": "Havedag i Enggårdens have", "description": "Vi luger, beskærer og planter med beboerne.",
        "kind": "one_off", "place_name": "", "address": "Engvej 12", "postcode": "2791",
        "city": "Dragør", "min_age": "", "physical_demand": "moderate", "what_to_bring": "",
        "contact_name": "Mette", "contact_email": "mette@example.dk", "contact_phone": "",
        "cancel_deadline_hours": "24", "publish": "y"}


def soon(days=5):
    """A time some days ahead at 09:00 UTC: holds whatever day the suite runs."""
    return (utcnow() + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(app):
    with app.app_context():
        boss = make_user(email="bent@example.dk", name="Bent Købmand")
        company = make_company(admin=boss, name="Dragør Købmand", supports=("team_days",), skills=("accounting",))
        org = make_organisation(admin=make_user(email="mette@example.dk"), name="Enggården")
        task = make_task(org, title="Havedag i haven")
        task.team_size, task.latitude, task.longitude = 6, 55.59, 12.67
        slot = make_slot(task, starts_at=soon(), hours=3, capacity=10)
        names = ["Anna Holm", "Bo Jensen", "Carl Nielsen", "Dorte Lund"]
        staff = [make_user(name=n, email=f"{n.split()[0].lower()}@example.dk") for n in names]
        for person in staff:
            link_employee(person, company)
        hidden = make_user(name="Hemmelig Hansen", email="hemmelig@example.dk")
        link_employee(hidden, company, share_name=False)
        other = make_company(admin=make_user(email="anden@example.dk"), supports=("team_days",))
        make_user(email="frivillig@example.dk")
        db.session.commit()
        return {"company": company.slug, "other": other.slug, "task": task.id, "slot": slot.id,
                "staff": [p.id for p in staff], "hidden": hidden.id, "org": org.slug}


def taken(app, slot_id):
    with app.app_context():
        slot = db.session.get(Slot, slot_id)
        confirmed = db.session.scalar(select(func.count(Signup.id)).where(
            Signup.slot_id == slot_id, Signup.state == SignupState.confirmed))
        db.session.remove()
        return slot.taken, confirmed


# --- the organisation's task form -------------------------------------------------------------

def category_id(app):
    from portal.models import Category
    with app.app_context():
        return str(db.session.scalar(select(Category.id).where(Category.slug == "nature")))


def test_an_organiser_marks_a_task_for_a_team_of_six_wanting_accounting_and_the_page_says_so(app, world):
    mette = app.test_client()
    login(mette, "mette@example.dk")
    response = submit(mette, f"/organisations/{world['org']}/tasks/new",
                      dict(TASK, category=category_id(app), team_size="6", wanted_skill="accounting"))
    assert response.status_code == 302
    task_id = int(re.search(r"/tasks/(\d+)/times", response.headers["Location"]).group(1))
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert (task.team_size, task.wanted_skill) == (6, Skill.accounting)
    edit = mette.get(f"/tasks/{task_id}/edit").get_data(as_text=True)
    assert re.search(r'name="team_size"[^>]*value="6"', edit)
    assert re.search(r'<option selected value="accounting">|<option value="accounting" selected>', edit)
    page = app.test_client().get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Egnet for et hold på op til 6 personer" in page and "Søger: regnskabshjælp" in page
    # Clearing both fields takes the task off the companies' lists again.
    response = submit(mette, f"/tasks/{task_id}/edit", dict(TASK, category=category_id(app), team_size="",
                                                            wanted_skill=""))
    assert response.status_code == 302
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert (task.team_size, task.wanted_skill) == (None, None)


@pytest.mark.parametrize("size", ["1", "101", "-3", "99999999999999999999", "seks", "6\x00"])
def test_a_team_size_outside_2_to_100_gets_a_message_and_the_form_keeps_what_was_typed(app, world, size):
    mette = app.test_client()
    login(mette, "mette@example.dk")
    before = _task_count(app)
    response = submit(mette, f"/organisations/{world['org']}/tasks/new",
                      dict(TASK, category=category_id(app), team_size=size, wanted_skill="nonsense"))
    assert response.status_code in (200, 400)
    assert _task_count(app) == before
    if "\x00" not in size:
        page = response.get_data(as_text=True)
        assert 'id="team_size-error"' in page and "Havedag i Enggårdens have" in page
        assert 'id="wanted_skill-error"' in page and "Vælg en færdighed på listen." in page


def _task_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Task.id)))


def test_the_task_page_offers_sign_up_a_team_only_to_a_company_admin(app, world):
    bent = app.test_client()
    login(bent, "bent@example.dk")
    page = bent.get(f"/tasks/{world['task']}").get_data(as_text=True)
    assert f"/companies/{world['company']}/team/{world['slot']}" in page and "Tilmeld et hold" in page
    volunteer = app.test_client()
    login(volunteer, "frivillig@example.dk")
    assert "Tilmeld et hold" not in volunteer.get(f"/tasks/{world['task']}").get_data(as_text=True)
    assert "Tilmeld et hold" not in app.test_client().get(f"/tasks/{world['task']}").get_data(as_text=True)


# --- tasks a company can solve --------------------------------------------------------------

def test_the_company_sees_team_and_skill_tasks_and_filters_them_without_javascript(app, world):
    with app.app_context():
        org = make_organisation(admin=make_user())
        books = make_task(org, title="Regnskab for Wiedergårdens café")
        books.wanted_skill = Skill.accounting
        make_slot(books, starts_at=soon(6))
        db.session.commit()
    bent = app.test_client()
    login(bent, "bent@example.dk")
    page = bent.get(f"/companies/{world['company']}/tasks").get_data(as_text=True)
    assert "Havedag i haven" in page and "Regnskab for Wiedergårdens café" in page
    assert "Søger: regnskabshjælp" in page and "Egnet for et hold på op til 6 personer" in page
    team_only = bent.get(f"/companies/{world['company']}/tasks?kind=team").get_data(as_text=True)
    assert "Havedag i haven" in team_only and "Wiedergårdens café" not in team_only
    skill_only = bent.get(f"/companies/{world['company']}/tasks?kind=skill").get_data(as_text=True)
    assert "Havedag i haven" not in skill_only and "Wiedergårdens café" in skill_only
    unknown = bent.get(f"/companies/{world['company']}/tasks?kind=nonsense").get_data(as_text=True)
    assert "Havedag i haven" in unknown and "Wiedergårdens café" in unknown


def _add_tasks(app, n):
    with app.app_context():
        org = make_organisation(admin=make_user())
        for i in range(n):
            task = make_task(org)
            task.team_size = 4
            task.wanted_skill = Skill.accounting if i % 2 else None
            for day in range(3):
                make_slot(task, starts_at=soon(3 + day))
        db.session.commit()


def test_the_company_task_list_runs_the_same_queries_for_few_and_many_tasks(app, world):
    bent = app.test_client()
    login(bent, "bent@example.dk")
    url = f"/companies/{world['company']}/tasks"
    bent.get(url)
    with counting_queries(app) as few:
        assert bent.get(url).status_code == 200
    _add_tasks(app, 60)
    with counting_queries(app) as many:
        page = bent.get(url).get_data(as_text=True)
    assert len(many) == len(few), many
    assert page.count('class="task-card team-task"') == 50  # bounded


# --- the team sign-up page --------------------------------------------------------------------

def test_the_team_page_lists_only_colleagues_who_share_their_name(app, world):
    bent = app.test_client()
    login(bent, "bent@example.dk")
    page = bent.get(f"/companies/{world['company']}/team/{world['slot']}").get_data(as_text=True)
    for name in ("Anna Holm", "Bo Jensen", "Carl Nielsen", "Dorte Lund"):
        assert name in page
    assert "Hemmelig" not in page
    assert "Tilmeld holdet" in page


def test_a_company_admin_signs_up_a_team_of_four_and_each_gets_a_seat(app, world, outbox):
    bent = app.test_client()
    login(bent, "bent@example.dk")
    url = f"/companies/{world['company']}/team/{world['slot']}"
    response = submit(bent, url, {"people": [str(i) for i in world["staff"]]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/companies/{world['company']}/tasks")
    assert "Holdet er tilmeldt: 4 kolleger" in bent.get(response.headers["Location"]).get_data(as_text=True)
    assert taken(app, world["slot"]) == (4, 4)
    assert {m["To"] for m in outbox()} >= {"anna@example.dk", "bo@example.dk", "carl@example.dk", "dorte@example.dk"}
    # Anna sees the seat on her own page and cancels it there; the other three keep theirs.
    anna = app.test_client()
    login(anna, "anna@example.dk")
    me = anna.get("/me").get_data(as_text=True)
    assert "Havedag i haven" in me
    with app.app_context():
        mine = db.session.scalar(select(Signup.id).where(Signup.user_id == world["staff"][0]))
    assert submit(anna, f"/signups/{mine}/cancel", {}, form_url="/me").status_code == 302
    assert taken(app, world["slot"]) == (3, 3)


@pytest.mark.parametrize("people", [["hidden"], ["999999999999"], ["abc"], []])
def test_someone_not_offered_or_no_one_is_refused_with_a_message_and_nothing_is_saved(app, world, people):
    bent = app.test_client()
    login(bent, "bent@example.dk")
    chosen = [str(world["hidden"]) if p == "hidden" else p for p in people]
    response = submit(bent, f"/companies/{world['company']}/team/{world['slot']}",
                      {"people": [str(world["staff"][0])] + chosen if people != [] else []})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vælg blandt de viste kolleger." in page or "Vælg mindst én kollega." in page
    assert "Hemmelig" not in page
    assert taken(app, world["slot"]) == (0, 0)


def test_a_team_bigger_than_the_free_places_gets_the_number_free_and_keeps_the_choice(app, world):
    with app.app_context():
        slot = db.session.get(Slot, world["slot"])
        slot.capacity = 3
        db.session.commit()
    bent = app.test_client()
    login(bent, "bent@example.dk")
    url = f"/companies/{world['company']}/team/{world['slot']}"
    response = submit(bent, url, {"people": [str(i) for i in world["staff"]]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Der er kun 3 ledige pladser på denne tid, og du har valgt 4" in page
    assert page.count("checked") == 4
    assert taken(app, world["slot"]) == (0, 0)
    with app.app_context():
        assert db.session.scalar(select(func.count(TeamSignup.id))) == 0


# --- who may ------------------------------------------------------------------------------

def test_another_companys_admin_and_a_volunteer_are_refused(app, world):
    for email in ("anden@example.dk", "frivillig@example.dk", "anna@example.dk"):
        client = app.test_client()
        login(client, email)
        token = csrf_token(client, "/me")
        assert client.get(f"/companies/{world['company']}/tasks").status_code == 403
        assert client.get(f"/companies/{world['company']}/team/{world['slot']}").status_code == 403
        response = client.post(f"/companies/{world['company']}/team/{world['slot']}",
                               data={"csrf_token": token, "people": [str(world["staff"][0])]})
        assert response.status_code == 403
    assert taken(app, world["slot"]) == (0, 0)


def test_a_pending_company_is_not_found_by_others_and_cannot_book(app, world):
    from portal.models import CompanyStatus
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == world["company"]))
        company.status = CompanyStatus.pending
        db.session.commit()
    volunteer = app.test_client()
    login(volunteer, "frivillig@example.dk")
    assert volunteer.get(f"/companies/{world['company']}/tasks").status_code == 404
    bent = app.test_client()
    login(bent, "bent@example.dk")
    response = submit(bent, f"/companies/{world['company']}/team/{world['slot']}",
                      {"people": [str(world["staff"][0]), str(world["staff"][1])]})
    assert response.status_code == 400
    assert "Virksomheden skal være godkendt" in response.get_data(as_text=True)
    assert taken(app, world["slot"]) == (0, 0)


def test_a_time_of_a_draft_task_or_an_unknown_time_is_not_found(app, world):
    with app.app_context():
        draft = make_task(make_organisation(admin=make_user()), status="draft")
        draft.team_size = 4
        hidden_slot = make_slot(draft, starts_at=soon()).id
        db.session.commit()
    bent = app.test_client()
    login(bent, "bent@example.dk")
    assert bent.get(f"/companies/{world['company']}/team/{hidden_slot}").status_code == 404
    assert bent.get(f"/companies/{world['company']}/team/2147483647").status_code == 404
    assert bent.get(f"/companies/{world['company']}/team/99999999999").status_code == 404


def test_a_time_of_a_task_not_for_teams_shows_no_team_form(app, world):
    with app.app_context():
        plain = make_task(make_organisation(admin=make_user()), title="Almindelig opgave")
        plain_slot = make_slot(plain, starts_at=soon()).id
        db.session.commit()
    bent = app.test_client()
    login(bent, "bent@example.dk")
    page = bent.get(f"/companies/{world['company']}/team/{plain_slot}").get_data(as_text=True)
    assert "Vælg en anden opgave" in page and "Tilmeld holdet" not in page
    assert "Anna Holm" not in page


def test_the_team_page_says_beforehand_who_cannot_come_and_why(app, world):
    from portal.signups import services as signups
    with app.test_request_context():
        from portal.models import User
        signups.sign_up(db.session.get(User, world["staff"][1]), db.session.get(Slot, world["slot"]), now=utcnow())
        db.session.commit()
    bent = app.test_client()
    login(bent, "bent@example.dk")
    page = bent.get(f"/companies/{world['company']}/team/{world['slot']}").get_data(as_text=True)
    assert "Kan ikke komme: er allerede tilmeldt denne tid" in page
    assert page.count("Kan ikke komme") == 1
    assert re.search(r'aria-describedby="people-1-note"[^>]*>|id="people-1"[^>]*aria-describedby="people-1-note"', page)


def test_the_team_page_runs_the_same_queries_for_few_and_many_colleagues(app, world):
    bent = app.test_client()
    login(bent, "bent@example.dk")
    url = f"/companies/{world['company']}/team/{world['slot']}"
    bent.get(url)
    with counting_queries(app) as few:
        bent.get(url)
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.slug == world["company"]))
        for n in range(30):
            link_employee(make_user(name=f"Kollega {n}"), company)
        db.session.commit()
    with counting_queries(app) as many:
        page = bent.get(url).get_data(as_text=True)
    assert "Kollega 29" in page
    assert len(many) == len(few), many
