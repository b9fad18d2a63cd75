"""The displacement check through the browser's eyes (test client): the institution is sent to the
four questions instead of publishing; a "yes" shows "Waiting for the coordinator's review" with the
answers; the coordinator's queue, decision forms, log CSV and the list of what volunteers do not do;
bad input round-trips; nobody else gets in. Users are English-speaking so the assertions read English."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core.displacement import Answers
from portal.displacement import services
from portal.extensions import db
from portal.models import DisplacementReview, ExcludedDuty, OrganisationKind, ReviewStatus, Task, TaskStatus, utcnow
from portal.tasks import services as tasks
from tests.conftest import counting_queries, csrf_token, login, submit
from tests.factories import make_organisation, make_slot, make_task, make_user

YES = Answers(True, False, False, False, explanation="Pedellen gjorde det før.")
ALL_NO = {"paid_staff_do_it": "no", "regulated_work": "no", "on_excluded_list": "no", "other_concern": "no"}


@pytest.fixture
def school(app):
    with app.app_context():
        teacher = make_user(email="lis@example.dk", locale="en")
        org = make_organisation(admin=teacher, name="Dragør Skole", kind=OrganisationKind.school)
        make_user(email="koordinator@example.dk", coordinator=True, locale="en")
        stranger = make_user(email="other@example.dk", locale="en")
        make_organisation(admin=stranger, name="Anden Skole", kind=OrganisationKind.school)
        make_user(email="plain@example.dk", locale="en")
        task = make_task(org, status="draft", title="Lektiehjælp i 4.a")
        db.session.commit()
        ids = {"org": org.slug, "task": task.id}
        db.session.remove()
    return ids


def _pending(app, task_id):
    with app.app_context():
        review = services.submit_check(db.session.get(Task, task_id), None, YES, now=utcnow())
        db.session.commit()
        review_id = review.id
        db.session.remove()
    return review_id


def test_new_school_task_with_publish_goes_to_the_check_and_all_no_publishes(app, client, school):
    login(client, "lis@example.dk")
    with app.app_context():
        category = tasks.categories()[0].id
    form = {"title": "Læsevenner", "description": "Læs højt for elever i indskolingen en gang om ugen.",
            "category": category, "kind": "one_off", "address": "Wiedergårdsvej 25", "postcode": "2791",
            "city": "Dragør", "contact_name": "Lis", "contact_email": "lis@example.dk", "physical_demand": "light",
            "cancel_deadline_hours": "24", "publish": "y", "is_small_job": "y"}
    response = submit(client, f"/organisations/{school['org']}/tasks/new", form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/check")
    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.title == "Læsevenner"))
        assert task.status is TaskStatus.draft and task.is_small_job
        task_id = task.id
    page = client.get(f"/tasks/{task_id}/check").get_data(as_text=True)
    assert "Do paid staff do this task now" in page and "/volunteering/limits" in page
    response = submit(client, f"/tasks/{task_id}/check", ALL_NO)
    assert response.status_code == 302
    assert "The task is published" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Task, task_id).status is TaskStatus.published


def test_the_publish_button_leads_to_the_check(client, school):
    login(client, "lis@example.dk")
    url = f"/tasks/{school['task']}"
    response = client.post(url + "/status", data={"status": "published", "csrf_token": csrf_token(client, url + "/times")})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tasks/{school['task']}/check")


def test_a_yes_without_words_comes_back_with_the_answers_and_a_message(client, school):
    login(client, "lis@example.dk")
    url = f"/tasks/{school['task']}/check"
    response = submit(client, url, {**ALL_NO, "regulated_work": "yes", "other_concern": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tell the coordinator why you answered yes" in page and "Answer yes or no." in page
    # What was answered comes back checked.
    assert re.search(r'<input checked[^>]*id="regulated_work-0"', page)
    assert re.search(r'<input checked[^>]*id="paid_staff_do_it-1"', page)


@pytest.mark.parametrize("explanation,status", [("x" * 10_000, 400), ("Vi \u202eer\u202c usikre 🙂", 302)])
def test_bad_input_in_the_explanation_never_breaks(client, school, explanation, status):
    login(client, "lis@example.dk")
    response = submit(client, f"/tasks/{school['task']}/check", {**ALL_NO, "other_concern": "yes",
                                                                   "explanation": explanation})
    assert response.status_code == status
    if status == 400:
        assert "Write at most 2000 characters. You wrote 10000." in response.get_data(as_text=True)


def test_nul_bytes_and_huge_ids_are_refused_politely(app, client, school):
    login(client, "lis@example.dk")
    response = submit(client, f"/tasks/{school['task']}/check", {**ALL_NO, "explanation": "a\x00b"})
    assert response.status_code == 400
    client = app.test_client()
    login(client, "koordinator@example.dk")
    assert client.get("/coordinator/reviews/99999999999999999999").status_code == 404
    assert client.get("/coordinator/reviews?from=9999-99-99&to=%00").status_code in (200, 400)
    assert client.get("/coordinator/limits/2147483648").status_code == 404


def test_waiting_task_shows_the_status_and_answers_to_the_institution(app, client, school):
    _pending(app, school["task"])
    login(client, "lis@example.dk")
    page = client.get(f"/tasks/{school['task']}/times").get_data(as_text=True)
    assert "Waiting for the coordinator&#39;s review" in page or "Waiting for the coordinator's review" in page
    assert "Pedellen gjorde det før." in page


def test_strangers_and_plain_users_are_kept_out(app, client, school):
    review_id = _pending(app, school["task"])
    assert client.get(f"/tasks/{school['task']}/check").status_code == 302  # anonymous: to login
    login(client, "other@example.dk")
    assert client.get(f"/tasks/{school['task']}/check").status_code == 403
    for url in ("/coordinator/reviews", f"/coordinator/reviews/{review_id}", "/coordinator/reviews.csv",
                "/coordinator/limits"):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/coordinator/reviews/{review_id}/approve",
                           data={"approve-csrf_token": csrf_token(client, f"/tasks/{school['task']}/check")})
    assert response.status_code in (400, 403)
    with app.app_context():
        assert db.session.get(DisplacementReview, review_id).is_pending


def test_coordinator_approves_with_changes_and_the_school_sees_it_published(app, client, school):
    review_id = _pending(app, school["task"])
    login(client, "koordinator@example.dk")
    queue = client.get("/coordinator/reviews").get_data(as_text=True)
    assert "Lektiehjælp i 4.a" in queue and "1 waiting" in queue
    url = f"/coordinator/reviews/{review_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Pedellen gjorde det før." in page and 'value="Lektiehjælp i 4.a"' in page
    # No note: the form comes back with what was typed.
    token = csrf_token(client, url)
    response = client.post(url + "/changes", data={"changes-csrf_token": token, "changes-title": "Læsemakker\ni 4.a",
                                                   "changes-description": "Læs sammen med en elev, mens læreren er i klassen.",
                                                   "changes-note": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Write what you changed and why" in page and 'value="Læsemakker i 4.a"' in page
    response = client.post(url + "/changes", data={"changes-csrf_token": token, "changes-title": "Læsemakker i 4.a",
                                                   "changes-description": "Læs sammen med en elev, mens læreren er i klassen.",
                                                   "changes-note": "Læreren er altid med; ikke vikar."})
    assert response.status_code == 302
    with app.app_context():
        task = db.session.get(Task, school["task"])
        assert task.status is TaskStatus.published and task.title == "Læsemakker i 4.a"
        assert db.session.get(DisplacementReview, review_id).status is ReviewStatus.approved_with_changes
    # A second decision (another tab) is refused kindly.
    again = client.post(url + "/approve", data={"approve-csrf_token": token}, follow_redirects=True)
    assert "Another coordinator has just decided" in again.get_data(as_text=True)


def test_decline_needs_a_reason_and_the_school_sees_it(app, client, school):
    review_id = _pending(app, school["task"])
    login(client, "koordinator@example.dk")
    url = f"/coordinator/reviews/{review_id}"
    token = csrf_token(client, url)
    response = client.post(url + "/decline", data={"decline-csrf_token": token, "decline-reason": "   "})
    assert response.status_code == 400 and "Write why the task is declined" in response.get_data(as_text=True)
    response = client.post(url + "/decline", data={"decline-csrf_token": token,
                                                   "decline-reason": "Det er lærerens arbejde."})
    assert response.status_code == 302
    client = app.test_client()
    login(client, "lis@example.dk")
    page = client.get(f"/tasks/{school['task']}/times").get_data(as_text=True)
    assert "The coordinator declined the task" in page and "Det er lærerens arbejde." in page


def test_the_log_csv_is_safe_and_complete(app, client, school, tmp_path):
    with app.app_context():
        task = db.session.get(Task, school["task"])
        services.submit_check(task, None, Answers(False, False, False, True, explanation="=HYPERLINK(\"x\")"),
                              now=utcnow())
        db.session.commit()
    login(client, "koordinator@example.dk")
    response = client.get("/coordinator/reviews.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "Dragør Skole" in text and "Lektiehjælp i 4.a" in text and "Waiting for review" in text
    assert '"\'=HYPERLINK(""x"")"' in text
    from tests.web.test_csv_exports import SOFFICE, open_in_libreoffice
    if SOFFICE is not None:   # opened as the MED committee's spreadsheet would: no cell runs as a formula
        sheet = open_in_libreoffice(response.data, tmp_path / "reviews")
        assert [formula for row in sheet for formula, _ in row if formula] == []


def test_queue_query_count_does_not_grow_with_the_reviews(app, client, school):
    login(client, "koordinator@example.dk")
    client.get("/coordinator/reviews")

    def count():
        with counting_queries(app) as statements:
            assert client.get("/coordinator/reviews").status_code == 200
        return len(statements)

    with app.app_context():
        org = db.session.scalar(select(Task).where(Task.id == school["task"])).organisation
        for n in range(2):
            services.submit_check(make_task(org, status="draft"), None, YES, now=utcnow())
        db.session.commit()
    few = count()
    with app.app_context():
        org = db.session.get(Task, school["task"]).organisation
        for n in range(8):
            services.submit_check(make_task(org, status="draft"), None, YES, now=utcnow())
        db.session.commit()
    assert count() == few


def test_the_list_of_what_volunteers_do_not_do(app, client, school):
    with app.app_context():
        services.add_duty(text_da="Personlig pleje", text_en="Personal care")
        hidden = services.add_duty(text_da="Gammel linje", text_en="Old line")
        hidden.active = False
        db.session.commit()
        hidden_id = hidden.id
    page = client.get("/volunteering/limits?lang=en").get_data(as_text=True)
    assert "What volunteers do not do" in page and "Personal care" in page and "Old line" not in page
    assert "/volunteering/limits" in client.get("/").get_data(as_text=True)  # the footer links to it
    login(client, "koordinator@example.dk")
    response = submit(client, "/coordinator/limits", {"text_da": "Medicin\ngivning", "text_en": "", "sort_order": "99999999999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Write the line in English." in page and 'value="Medicin givning"' in page
    response = submit(client, "/coordinator/limits", {"text_da": "At give medicin", "text_en": "Giving medicine",
                                                      "sort_order": "5"})
    assert response.status_code == 302
    response = submit(client, f"/coordinator/limits/{hidden_id}", {"text_da": "Gammel linje", "text_en": "Old line",
                                                                   "sort_order": "1", "active": "y"})
    assert response.status_code == 302
    page = client.get("/volunteering/limits").get_data(as_text=True)
    assert page.index("Old line") < page.index("Giving medicine") < page.index("Personal care")


def test_small_jobs_filter_and_tag(app, client):
    with app.app_context():
        org = make_organisation(admin=make_user())
        small, other = make_task(org, title="Fej fortovet"), make_task(org, title="Bag kage")
        small.is_small_job = True
        for t in (small, other):
            make_slot(t, starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
    everything = client.get("/tasks?lang=en").get_data(as_text=True)
    assert "Fej fortovet" in everything and "Bag kage" in everything and "Small jobs only" in everything
    only = client.get("/tasks?smalljobs=1").get_data(as_text=True)
    assert "Fej fortovet" in only and "Bag kage" not in only and "smalljob-tag" in only
