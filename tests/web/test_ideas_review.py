"""What the review of the ideas box tried that nobody had: input a coordinator or an organisation
can type by mistake, and text at its longest travelling from an idea into a task."""

import re

import pytest
from sqlalchemy import select
from wtforms.validators import Length

from portal.extensions import db
from portal.ideas import answers
from portal.models import Idea, Organisation, User, utcnow
from portal.tasks.forms import TaskForm
from tests.conftest import login, submit
from tests.factories import make_idea, make_organisation, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        make_user(email="koordinator@example.dk", coordinator=True)
        member = make_user(email="wiede@example.dk")
        org = make_organisation(admin=member, name="Wiedergården")
        author = make_user(email="forfatter@example.dk")
        idea = make_idea(author, title="Skak om tirsdagen")
        long_idea = make_idea(author, title="L" * 140, body="b" * 4000, who_it_helps="w" * 1000,
                              state="accepted", place_name="p" * 120)
        db.session.commit()
        return dict(idea=idea.id, long=long_idea.id, org=org.id)


@pytest.mark.parametrize("link", ["https://[abc", "https://x]/", "https://[::1", "https://a.dk:abc/",
                                  "https://a.dk:99999/"])
def test_a_link_python_cannot_split_is_a_field_error_not_a_crash(client, world, link):
    login(client, "koordinator@example.dk")
    response = submit(client, f"/ideas/{world['idea']}/answer", {"state": "exists", "answer": "Findes allerede",
                                                                 "link": link, "save": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "form-error-message" in html and link in html


def _task_description_limit() -> int:
    return next(v.max for v in TaskForm.description.kwargs["validators"] if isinstance(v, Length))


def test_the_longest_idea_taken_on_still_fits_the_task_form(app, world):
    """Idea text (4000) and who it helps (1000) and the line back to the idea made a description
    longer than the task form takes (5000): the organisation could not save its own draft."""
    with app.app_context():
        idea = db.session.get(Idea, world["long"])
        member = db.session.scalar(select(User).where(User.email == "wiede@example.dk"))
        org = db.session.get(Organisation, world["org"])
        came_from = "This task began as an idea in the ideas box: https://frivillig.dragoer.dk/ideas/1"
        task = answers.take_on(idea, org, member, now=utcnow(), came_from=came_from)
        assert len(task.description) <= _task_description_limit()
        assert task.description.endswith(came_from) and "w" * 50 in task.description
        assert task.description.startswith("b" * 100) and "…" in task.description
        assert len(task.title) <= 140 and task.place_name == "p" * 120
        db.session.rollback()


def test_toggling_support_in_a_loop_is_stopped_per_person(app, client, world, monkeypatch):
    """Each support or withdrawal is a write, and every write empties the page cache: a script
    toggling its support must be stopped like any other repeated action (SIGNUP_RATE_LIMIT's kin)."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"ideas-review-{utcnow().timestamp()}")
    monkeypatch.setitem(app.config, "IDEA_SUPPORT_RATE_LIMIT", "4 per hour")
    login(client, "forfatter@example.dk")
    idea = world["idea"]
    for step in ("support", "support/withdraw", "help", "help/withdraw"):
        assert submit(client, f"/ideas/{idea}/{step}", {"notify": "y"}, form_url=f"/ideas/{idea}").status_code == 302
    response = submit(client, f"/ideas/{idea}/support", {"notify": "y"}, form_url=f"/ideas/{idea}",
                      follow_redirects=True)
    assert "Prøv igen" in response.get_data(as_text=True) or "Try again" in response.get_data(as_text=True)
    response = submit(client, f"/ideas/{idea}/help", {"note": "To timer", "notify": "y"}, form_url=f"/ideas/{idea}")
    assert "To timer" in response.get_data(as_text=True)   # what was typed comes back with the reason
    with app.app_context():
        found = db.session.get(Idea, idea)
        assert (found.support_count, found.help_count) == (0, 0)
    other = app.test_client()
    login(other, "wiede@example.dk")
    assert submit(other, f"/ideas/{idea}/support", {"notify": "y"}, form_url=f"/ideas/{idea}").status_code == 302
    with app.app_context():
        assert db.session.get(Idea, idea).support_count == 1


def test_a_supporter_can_stop_the_mails_without_withdrawing_the_support(app, client, world):
    """The answer's mail tells supporters they can stop it on the idea's page: the page must offer
    that to someone who already supports the idea, and each checkbox on it has its own label."""
    idea = world["idea"]
    login(client, "wiede@example.dk")
    assert submit(client, f"/ideas/{idea}/support", {"notify": "y"}, form_url=f"/ideas/{idea}").status_code == 302
    html = client.get(f"/ideas/{idea}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert not {i for i in ids if ids.count(i) > 1} - {"csrf_token"}, "two fields share an id (and a label)"
    form = re.search(rf'<form method="post" action="/ideas/{idea}/support".*?</form>', html, re.S)
    assert form and 'name="notify"' in form.group(0) and "checked" in form.group(0)
    assert submit(client, f"/ideas/{idea}/support", {}, form_url=f"/ideas/{idea}").status_code == 302
    with app.app_context():
        assert answers.recipients(db.session.get(Idea, idea)) == [("forfatter@example.dk", "da", "author")]
        assert db.session.get(Idea, idea).support_count == 1


def test_a_double_click_on_publish_makes_one_comment_and_one_correction(app, client, world):
    """Without a script nothing stops the second click: the same text from the same person on the
    same idea moments later is the first comment (or correction) again, not a copy of it."""
    from portal.models import IdeaComment, IdeaCorrection, IdeaSupport

    idea = world["idea"]
    login(client, "wiede@example.dk")
    first = submit(client, f"/ideas/{idea}/comments", {"body": "Jeg kan tage brikkerne med."},
                   form_url=f"/ideas/{idea}")
    second = submit(client, f"/ideas/{idea}/comments", {"body": "Jeg kan tage brikkerne med."},
                    form_url=f"/ideas/{idea}")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert submit(client, f"/ideas/{idea}/comments", {"body": "Og et bræt mere."},
                  form_url=f"/ideas/{idea}").status_code == 302
    author = app.test_client()
    login(author, "forfatter@example.dk")
    with app.app_context():
        supporter = db.session.scalar(select(User).where(User.email == "wiede@example.dk"))
        db.session.add(IdeaSupport(idea_id=idea, user_id=supporter.id, notify=True, created_at=utcnow()))
        db.session.get(Idea, idea).support_count = 1
        db.session.commit()
    for _ in range(2):
        assert submit(author, f"/ideas/{idea}/edit", {"body": "Vi mødes klokken 14."}).status_code == 302
    with app.app_context():
        bodies = db.session.scalars(select(IdeaComment.body).where(IdeaComment.idea_id == idea)
                                    .order_by(IdeaComment.id)).all()
        corrections = db.session.scalars(select(IdeaCorrection.body).where(IdeaCorrection.idea_id == idea)).all()
    assert bodies == ["Jeg kan tage brikkerne med.", "Og et bræt mere."]
    assert corrections == ["Vi mødes klokken 14."]


@pytest.mark.parametrize("typed", ["٢٧٩١", "２７９１", "۲۷۹۱"])
def test_a_postcode_typed_in_other_digits_is_stored_as_0_to_9(app, client, world, typed):
    login(client, "forfatter@example.dk")
    response = submit(client, "/ideas/new", {"title": "Bænk ved Kongevejen", "body": "En bænk mere ved vejen.",
                                             "who_it_helps": "Ældre", "postcode": typed}, form_url="/ideas/new")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Idea.postcode).where(Idea.title == "Bænk ved Kongevejen")) == "2791"
