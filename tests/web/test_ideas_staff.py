"""Staff's pages of the ideas box through the test client: who may open them, forms that keep
what was typed, and what the coordinator and an organisation member can do."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (Idea, IdeaComment, IdeaSettings, IdeaState, OutboxMessage, Report, ReportReason, Task,
                           TaskStatus, utcnow)
from tests.conftest import login, submit
from tests.factories import make_idea, make_organisation, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        coordinator = make_user(email="koordinator@example.dk", coordinator=True)
        member = make_user(email="wiede@example.dk")
        org = make_organisation(admin=member, name="Wiedergården")
        citizen = make_user(email="borger@example.dk")
        author = make_user(email="forfatter@example.dk")
        idea = make_idea(author, title="Skak om tirsdagen", threshold_reached_at=utcnow() - timedelta(days=40),
                         answer_due_on=(utcnow() - timedelta(days=3)).date())
        comment = IdeaComment(idea_id=idea.id, author_id=citizen.id, body="Ring til min nabo Jens på 12345678")
        db.session.add(comment)
        db.session.flush()
        db.session.add(Report(comment_id=comment.id, reason=ReportReason.personal_data, note="Et telefonnummer"))
        db.session.commit()
        ids = dict(idea=idea.id, comment=comment.id, org=org.id)
        db.session.remove()
    return ids


def signed_in(app, email):
    client = app.test_client()
    login(client, email)
    return client


STAFF_PAGES = ["/ideas/staff", "/ideas/{idea}/answer", "/ideas/reports", "/ideas/{idea}/hide",
               "/ideas/comments/{comment}/hide"]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_only_the_coordinator_opens_staff_pages(app, client, world, page):
    url = page.format(**world)
    assert client.get(url).status_code == 302  # to the login
    assert signed_in(app, "borger@example.dk").get(url).status_code == 403
    assert signed_in(app, "wiede@example.dk").get(url).status_code == 403
    assert signed_in(app, "koordinator@example.dk").get(url).status_code == 200


def test_the_list_marks_overdue_ideas_and_counts_reports(client, world):
    login(client, "koordinator@example.dk")
    page = client.get("/ideas/staff").get_data(as_text=True)
    assert "Skak om tirsdagen" in page
    assert "badge-error" in page
    assert 'href="/ideas/reports"' in page


def test_settings_are_saved_and_a_bad_number_is_shown_with_what_was_typed(client, world, app):
    login(client, "koordinator@example.dk")
    bad = submit(client, "/ideas/staff/settings", {"support_threshold": "0", "window_days": "91",
                                                    "answer_days": "99999999999999999999"}, form_url="/ideas/staff")
    assert bad.status_code == 400
    assert 'value="99999999999999999999"' in bad.get_data(as_text=True)
    ok = submit(client, "/ideas/staff/settings", {"support_threshold": "10", "window_days": "60",
                                                   "answer_days": "21"}, form_url="/ideas/staff")
    assert ok.status_code == 302
    with app.app_context():
        row = db.session.get(IdeaSettings, 1)
        assert (row.support_threshold, row.window_days, row.answer_days) == (10, 60, 21)


def test_a_draft_is_private_and_publishing_mails_the_author(client, world, app):
    login(client, "koordinator@example.dk")
    url = f"/ideas/{world['idea']}/answer"
    saved = submit(client, url, {"state": "declined", "answer": "", "save": "1"})
    assert saved.status_code == 302
    refused = submit(client, url, {"state": "declined", "answer": "", "publish": "1"})
    assert refused.status_code == 400
    assert "deserve to know why" in refused.get_data(as_text=True) or "fortjener" in refused.get_data(as_text=True)
    with app.app_context():
        idea = db.session.get(Idea, world["idea"])
        assert idea.state is IdeaState.new and idea.draft_state is IdeaState.declined
    published = submit(client, url, {"state": "accepted", "answer": "Ja tak, vi finder en forening.", "publish": "1"})
    assert published.status_code == 302
    with app.app_context():
        idea = db.session.get(Idea, world["idea"])
        assert idea.state is IdeaState.accepted and idea.answer == "Ja tak, vi finder en forening."
        mails = db.session.scalars(select(OutboxMessage)).all()
        assert [m.to_email for m in mails] == ["forfatter@example.dk"]
    again = submit(client, url, {"state": "accepted", "answer": "Ja tak, vi finder en forening.", "publish": "1"},
                   follow_redirects=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 1
    assert again.status_code == 200


def test_a_reported_comment_is_hidden_with_a_reason(client, world, app):
    login(client, "koordinator@example.dk")
    assert "12345678" in client.get("/ideas/reports").get_data(as_text=True)
    url = f"/ideas/comments/{world['comment']}/hide"
    empty = submit(client, url, {"rule": "personal_data", "reason": ""})
    assert empty.status_code == 400
    done = submit(client, url, {"rule": "personal_data", "reason": "Skriv det uden telefonnummer."})
    assert done.status_code == 302
    with app.app_context():
        comment = db.session.get(IdeaComment, world["comment"])
        assert comment.hidden_reason == "Skriv det uden telefonnummer."
        assert db.session.scalar(select(Report.upheld)) is True
        assert db.session.scalar(select(OutboxMessage.to_email)) == "borger@example.dk"
    assert "No open reports" in client.get("/ideas/reports?lang=en").get_data(as_text=True)


def test_the_house_rules_are_public(client):
    page = client.get("/ideas/rules?lang=en")
    assert page.status_code == 200
    assert "No personal data about others." in page.get_data(as_text=True)


def test_staff_type_in_an_idea_from_paper(client, world, app):
    assert client.get("/ideas/paper").status_code == 302
    assert signed_in(app, "borger@example.dk").get("/ideas/paper").status_code == 403
    login(client, "wiede@example.dk")
    bad = submit(client, "/ideas/paper", {"channel": "library", "title": "Bænke\nved havnen", "body": "kort"})
    assert bad.status_code == 400 and "Bænke ved havnen" in bad.get_data(as_text=True)
    ok = submit(client, "/ideas/paper", {"channel": "library", "title": "Bænke ved havnen",
                                         "body": "Flere bænke ved havnen, så de ældre kan hvile sig.",
                                         "category": "", "author_name": ""})
    assert ok.status_code == 302
    with app.app_context():
        idea = db.session.scalar(select(Idea).where(Idea.title == "Bænke ved havnen"))
        assert idea.is_visible and idea.channel.value == "library" and idea.entered_by_id is not None


def test_a_member_takes_an_accepted_idea_on_and_lands_on_the_task_edit_page(client, world, app):
    with app.app_context():
        db.session.get(Idea, world["idea"]).state = IdeaState.accepted
        db.session.commit()
    assert signed_in(app, "borger@example.dk").get(f"/ideas/{world['idea']}/take-on").status_code == 403
    login(client, "wiede@example.dk")
    page = client.get(f"/ideas/{world['idea']}")
    assert "Take this idea on" in client.get(f"/ideas/{world['idea']}?lang=en").get_data(as_text=True)
    assert page.status_code == 200
    taken = submit(client, f"/ideas/{world['idea']}/take-on", {"organisation": str(world["org"])})
    assert taken.status_code == 302
    with app.app_context():
        task = db.session.scalar(select(Task))
        assert taken.headers["Location"].endswith(f"/tasks/{task.id}/edit")
        assert task.status is TaskStatus.draft and task.organisation_id == world["org"]
        assert db.session.get(Idea, world["idea"]).task_id == task.id
    assert submit(client, f"/ideas/{world['idea']}/take-on", {"organisation": str(world["org"])}).status_code == 400


@pytest.mark.parametrize("url", ["/ideas/99999999999999999999/answer", "/ideas/2147483648/answer",
                                 "/ideas/comments/2147483648/hide", "/ideas/2147483648/take-on"])
def test_ids_of_any_size_are_a_404(client, world, url):
    login(client, "koordinator@example.dk")
    assert client.get(url).status_code == 404


def test_nul_bytes_are_a_field_error_not_a_crash(client, world):
    login(client, "koordinator@example.dk")
    response = submit(client, f"/ideas/{world['idea']}/answer", {"state": "exists", "answer": "a\x00b",
                                                                 "link": "/tasks/\x00", "publish": "1"})
    assert response.status_code in (302, 400)


def test_the_panel_shows_nothing_to_citizens_and_answer_to_the_coordinator(app, client, world):
    page = client.get(f"/ideas/{world['idea']}").get_data(as_text=True)
    assert f"/ideas/{world['idea']}/answer" not in page
    assert f"/ideas/{world['idea']}/take-on" not in page
    page = signed_in(app, "koordinator@example.dk").get(f"/ideas/{world['idea']}").get_data(as_text=True)
    assert f"/ideas/{world['idea']}/answer" in page and f"/ideas/{world['idea']}/hide" in page
    # Not accepted yet: an organisation member has nothing to take on.
    page = signed_in(app, "wiede@example.dk").get(f"/ideas/{world['idea']}").get_data(as_text=True)
    assert f"/ideas/{world['idea']}/take-on" not in page


def test_a_task_page_can_link_back_to_its_idea(app, world):
    from flask import render_template_string

    from tests.factories import make_task
    with app.test_request_context("/?lang=en"):
        org = db.session.get(__import__("portal.models", fromlist=["Organisation"]).Organisation, world["org"])
        task = make_task(org)
        snippet = '{% include "ideas/staff/task_link.html" %}'
        assert render_template_string(snippet, task=task).strip() == ""
        db.session.get(Idea, world["idea"]).task_id = task.id
        db.session.flush()
        html = render_template_string(snippet, task=task)
        assert f'href="/ideas/{world["idea"]}"' in html and "Skak om tirsdagen" in html
        db.session.rollback()


def test_staff_find_their_way_in_from_a_snippet(app, world):
    from flask import render_template_string
    from flask_login import login_user

    from portal.models import User
    snippet = '{% include "ideas/staff/index_links.html" %}'
    with app.test_request_context("/?lang=en"):
        assert render_template_string(snippet).strip() == ""
        login_user(db.session.scalar(select(User).where(User.email == "koordinator@example.dk")))
        html = render_template_string(snippet)
        assert 'href="/ideas/staff"' in html and "badge-error" in html and 'href="/ideas/paper"' in html
    with app.test_request_context("/?lang=en"):
        login_user(db.session.scalar(select(User).where(User.email == "wiede@example.dk")))
        html = render_template_string(snippet)
        assert 'href="/ideas/staff"' not in html and 'href="/ideas/paper"' in html


def test_a_hidden_comment_is_shown_again_from_the_answer_page(app, client, world):
    login(client, "koordinator@example.dk")
    submit(client, f"/ideas/comments/{world['comment']}/hide", {"rule": "hate", "reason": "Ikke i orden."})
    page = client.get(f"/ideas/{world['idea']}/answer").get_data(as_text=True)
    assert f"/ideas/comments/{world['comment']}/show" in page
    shown = submit(client, f"/ideas/comments/{world['comment']}/show", form_url=f"/ideas/{world['idea']}/answer")
    assert shown.status_code == 302
    with app.app_context():
        assert db.session.get(IdeaComment, world["comment"]).hidden_at is None


@pytest.mark.parametrize("page", ["/ideas/staff", "/ideas/reports"])
def test_staff_lists_need_as_many_queries_for_many_ideas_as_for_few(app, client, world, page):
    from tests.conftest import counting_queries

    login(client, "koordinator@example.dk")

    def count():
        client.get(page)
        with counting_queries(app) as statements:
            assert client.get(page).status_code == 200
        return len(statements)

    def add(n):
        with app.app_context():
            for _ in range(n):
                idea = make_idea(make_user(), threshold_reached_at=utcnow(), answer_due_on=utcnow().date())
                comment = IdeaComment(idea_id=idea.id, body="Reklame")
                db.session.add(comment)
                db.session.flush()
                db.session.add_all([Report(idea_id=idea.id, reason=ReportReason.hate),
                                    Report(comment_id=comment.id, reason=ReportReason.advertising)])
            db.session.commit()

    add(1)
    few = count()
    add(8)
    assert count() == few
