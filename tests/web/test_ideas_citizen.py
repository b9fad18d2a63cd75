"""The ideas box through the web for citizens: the public list and idea page, writing (15+),
editing locked once others support, the two buttons, comments, reports, the short form with its
e-mail link, the picture, and bad input on every form."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (Category, Idea, IdeaComment, IdeaCorrection, IdeaState, IdeaSupport, OutboxMessage,
                           Report, utcnow)
from tests.conftest import counting_queries, csrf_token, login, submit
from tests.factories import make_idea, make_user


def years_ago(n):
    today = date.today()
    return date(today.year - n, today.month, min(today.day, 28))


@pytest.fixture
def world(app):
    with app.app_context():
        author = make_user(email="ung@example.dk", name="Freja Holm", birth_date=years_ago(16))
        make_user(email="barn@example.dk", birth_date=years_ago(13))
        make_user(email="ukendt@example.dk", birth_date=None)
        make_user(email="anna@example.dk", name="Anna Berg")
        make_user(email="bo@example.dk", name="Bo Lund")
        make_user(email="koordinator@example.dk", name="Kirsten Kommune", coordinator=True)
        idea = make_idea(author, title="Skak på Enggården", body="Skak med beboerne hver tirsdag.")
        hidden = make_idea(author, title="Skjult idé", hidden_at=utcnow(), hidden_reason="Et navn på en nabo")
        unconfirmed = make_idea(None, title="Ikke bekræftet", published=False, channel="email",
                                author_email="x@example.dk")
        declined = make_idea(make_user(), title="Afvist idé", state="declined", answer="Det har vi ikke råd til.",
                             answer_published_at=utcnow())
        db.session.commit()
        return {"idea": idea.id, "hidden": hidden.id, "unconfirmed": unconfirmed.id, "declined": declined.id}


def page(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_the_list_shows_visible_ideas_only_with_counts_and_state(client, world):
    code, html = page(client, "/ideas")
    assert code == 200
    assert "Skak på Enggården" in html and "Afvist idé" in html
    assert "Skjult idé" not in html and "Ikke bekræftet" not in html
    assert "0 støtter · 0 vil hjælpe" in html or "0 supporters · 0 will help" in html
    code, html = page(client, "/ideas?state=declined")
    assert "Afvist idé" in html and "Skak på Enggården" not in html
    for junk in ("/ideas?state=nonsense", "/ideas?category=99999999999999", "/ideas?sort=x&page=-4",
                 "/ideas?page=999999999999999999"):
        assert client.get(junk).status_code == 200, junk


def test_the_list_filters_by_category_and_sorts_by_support(app, client, world):
    with app.app_context():
        category = db.session.scalar(select(Category).order_by(Category.id))
        db.session.get(Idea, world["declined"]).category_id = category.id
        db.session.get(Idea, world["idea"]).support_count = 5
        db.session.commit()
        category_id = category.id
    html = client.get(f"/ideas?category={category_id}").get_data(as_text=True)
    assert "Afvist idé" in html and "Skak på Enggården" not in html
    html = client.get("/ideas?sort=supported").get_data(as_text=True)
    assert html.index("Skak på Enggården") < html.index("Afvist idé")


def test_a_hidden_idea_is_404_for_others_and_shown_with_its_reason_to_its_author(client, world):
    assert client.get(f"/ideas/{world['hidden']}").status_code == 404
    assert client.get(f"/ideas/{world['unconfirmed']}").status_code == 404
    login(client, "anna@example.dk")
    assert client.get(f"/ideas/{world['hidden']}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    other = client.application.test_client()
    login(other, "ung@example.dk")
    code, html = page(other, f"/ideas/{world['hidden']}")
    assert code == 200 and "Et navn på en nabo" in html


def test_the_idea_page_shows_the_published_answer_and_the_promise(client, world, app):
    code, html = page(client, f"/ideas/{world['declined']}")
    assert code == 200 and "Det har vi ikke råd til." in html
    with app.app_context():
        db.session.get(Idea, world["idea"]).answer_due_on = date.today() + timedelta(days=20)
        db.session.commit()
    code, html = page(client, f"/ideas/{world['idea']}")
    assert ("har lovet et svar senest" in html) or ("promised an answer by" in html)
    assert "25" in html and ("lover kommunen" in html or "promises" in html)


def test_writing_an_idea_at_sixteen_round_trips_errors_and_publishes(client, world, app):
    login(client, "ung@example.dk")
    response = submit(client, "/ideas/new", {"title": "Lektiecafé\npå biblioteket", "body": "kort",
                                             "who_it_helps": "", "postcode": "12"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Lektiecafé på biblioteket" in html  # one line, kept
    assert html.count("form-error-message") >= 3
    response = submit(client, "/ideas/new", {"title": "Lektiecafé på biblioteket",
                                             "body": "Unge hjælper yngre med lektier om onsdagen.",
                                             "who_it_helps": "Skolebørn", "place_name": "Dragør Bibliotek",
                                             "postcode": "2791"})
    assert response.status_code == 302
    with app.app_context():
        idea = db.session.scalar(select(Idea).where(Idea.title == "Lektiecafé på biblioteket"))
        assert idea.is_visible and idea.place_name == "Dragør Bibliotek"


@pytest.mark.parametrize("email, words", [("barn@example.dk", ("15",)), ("ukendt@example.dk", ("15",))])
def test_younger_than_fifteen_or_unknown_birth_date_gets_a_clear_message(client, world, email, words):
    login(client, email)
    code, html = page(client, "/ideas/new")
    assert code == 403 and all(w in html for w in words)
    assert 'name="title"' not in html


def test_a_picture_needs_alt_text_and_is_served_from_our_site(client, world, app):
    from PIL import Image
    raw = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 10)).save(raw, format="PNG")
    login(client, "ung@example.dk")
    fields = {"title": "Bænk ved havnen", "body": "En bænk mere ved havnen, tak.", "who_it_helps": "Ældre"}
    response = client.post("/ideas/new", data={**fields, "csrf_token": csrf_token(client, "/ideas/new"),
                                               "picture": (io.BytesIO(raw.getvalue()), "b.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "Describe the picture" in response.get_data(as_text=True) \
        or "Beskriv billedet" in response.get_data(as_text=True)
    response = client.post("/ideas/new", data={**fields, "picture_alt": "Havnen i sol",
                                               "csrf_token": csrf_token(client, "/ideas/new"),
                                               "picture": (io.BytesIO(raw.getvalue()), "b.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    idea_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    html = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert 'alt="Havnen i sol"' in html
    picture = client.get(f"/ideas/{idea_id}/picture")
    assert picture.status_code == 200 and picture.headers["Content-Type"] == "image/jpeg"
    assert client.get(f"/ideas/{world['idea']}/picture").status_code == 404


def test_support_and_help_through_the_page_and_editing_locks(client, world, app):
    idea = world["idea"]
    author = app.test_client()
    login(author, "ung@example.dk")
    assert 'name="title"' in author.get(f"/ideas/{idea}/edit").get_data(as_text=True)

    login(client, "anna@example.dk")
    assert submit(client, f"/ideas/{idea}/support", {"notify": "y"}, form_url=f"/ideas/{idea}").status_code == 302
    assert submit(client, f"/ideas/{idea}/support", {"notify": "y"}, form_url=f"/ideas/{idea}").status_code == 302
    response = submit(client, f"/ideas/{idea}/help", {"note": "To timer om torsdagen", "notify": "y"},
                      form_url=f"/ideas/{idea}")
    assert response.status_code == 302
    html = client.get(f"/ideas/{idea}").get_data(as_text=True)
    assert "To timer om torsdagen" in html
    with app.app_context():
        row = db.session.get(Idea, idea)
        assert (row.support_count, row.help_count) == (1, 1)

    # The author can no longer edit: the page offers a correction and says why.
    html = author.get(f"/ideas/{idea}/edit").get_data(as_text=True)
    assert 'name="title"' not in html and 'name="body"' in html
    response = submit(author, f"/ideas/{idea}/edit", {"title": "Noget andet", "body": "kort",
                                                     "who_it_helps": "x"}, form_url=f"/ideas/{idea}/edit")
    assert response.status_code == 200 and "form-error-message" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Idea, idea).title == "Skak på Enggården"
        assert db.session.scalar(select(func.count(IdeaCorrection.id))) == 0
    response = submit(author, f"/ideas/{idea}/edit", {"body": "Vi mødes kl. 14, ikke 16."},
                      form_url=f"/ideas/{idea}/edit")
    assert response.status_code == 302
    assert "Vi mødes kl. 14, ikke 16." in client.get(f"/ideas/{idea}").get_data(as_text=True)

    # Withdrawing both.
    submit(client, f"/ideas/{idea}/support/withdraw", form_url=f"/ideas/{idea}")
    submit(client, f"/ideas/{idea}/help/withdraw", form_url=f"/ideas/{idea}")
    with app.app_context():
        row = db.session.get(Idea, idea)
        assert (row.support_count, row.help_count) == (0, 0)


def test_strangers_cannot_edit_or_correct_someone_elses_idea(client, world, app):
    login(client, "anna@example.dk")
    assert client.get(f"/ideas/{world['idea']}/edit").status_code == 403
    response = submit(client, f"/ideas/{world['idea']}/edit", {"body": "Jeg er ikke forfatteren."},
                      form_url=f"/ideas/{world['idea']}")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(IdeaCorrection.id))) == 0


def test_comments_mark_the_author_and_the_municipality_and_hidden_ones_show_only_to_their_author(
        client, world, app):
    idea = world["idea"]
    for email, text in (("ung@example.dk", "Tak for støtten!"), ("koordinator@example.dk", "Vi kigger på den."),
                        ("bo@example.dk", "Ring til min nabo på 12345678")):
        c = app.test_client()
        login(c, email)
        assert submit(c, f"/ideas/{idea}/comments", {"body": text}, form_url=f"/ideas/{idea}").status_code == 302
    with app.app_context():
        bad = db.session.scalar(select(IdeaComment).where(IdeaComment.body.like("Ring%")))
        bad.hidden_at, bad.hidden_reason = utcnow(), "Oplysninger om en anden person"
        db.session.commit()
    html = client.get(f"/ideas/{idea}").get_data(as_text=True)
    assert html.index("Tak for støtten!") < html.index("Vi kigger på den.")
    assert ("Idéens forfatter" in html or "The idea's author" in html)
    assert ("Kommunen" in html or "The municipality" in html)
    assert "12345678" not in html
    bo = app.test_client()
    login(bo, "bo@example.dk")
    html = bo.get(f"/ideas/{idea}").get_data(as_text=True)
    assert "Oplysninger om en anden person" in html
    coordinator = app.test_client()
    login(coordinator, "koordinator@example.dk")
    response = coordinator.get(f"/ideas/{idea}")
    assert response.status_code == 200 and "Oplysninger om en anden person" in response.get_data(as_text=True)


def test_anyone_can_report_an_idea_or_a_comment_and_is_thanked(client, world, app):
    idea = world["idea"]
    with app.app_context():
        comment = IdeaComment(idea_id=idea, author_id=None, body="Køb billige sko her")
        db.session.add(comment)
        db.session.commit()
        comment_id = comment.id
    response = submit(client, f"/ideas/{idea}/report", {"note": "Reklame"})
    assert response.status_code == 200 and 'form-error-message' in response.get_data(as_text=True)
    response = submit(client, f"/ideas/{idea}/comments/{comment_id}/report", {"reason": "advertising"})
    assert response.status_code == 200 and ("Tak" in response.get_data(as_text=True)
                                             or "Thank you" in response.get_data(as_text=True))
    assert client.get(f"/ideas/{world['declined']}/comments/{comment_id}/report").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Report.comment_id)) == comment_id


def test_the_short_form_sends_a_link_that_publishes(client, world, app):
    response = submit(client, "/ideas/send", {"name": "", "email": "ikke-en-adresse", "title": "Bænk",
                                              "body": "En bænk mere ved havnen.", "who_it_helps": "Ældre"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "ikke-en-adresse" in html and "En bænk mere ved havnen." in html
    response = submit(client, "/ideas/send", {"name": "Grethe", "email": "grethe@example.dk",
                                              "title": "Bænk ved havnen", "body": "En bænk mere ved havnen.",
                                              "who_it_helps": "Ældre på gåtur"})
    assert response.status_code == 200
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_email == "grethe@example.dk"))
        idea = db.session.scalar(select(Idea).where(Idea.title == "Bænk ved havnen"))
        assert idea.published_at is None
        idea_id = idea.id
    link = re.search(r"/ideas/confirm/\S+", mail.body_text).group(0)
    assert client.get(f"/ideas/{idea_id}").status_code == 404
    response = client.get(link)
    assert response.status_code == 302
    html = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Grethe" in html and "grethe@example.dk" not in html
    assert client.get("/ideas/confirm/forkert").status_code == 404


@pytest.mark.parametrize("url", ["/ideas/99999999999999999999", "/ideas/2147483648", "/ideas/0",
                                 "/ideas/99999999999999999999/picture", "/ideas/1/comments/99999999999999/report",
                                 "/ideas/99999999999/report", "/ideas/confirm/%00abc"])
def test_absurd_ids_are_404_not_500(client, world, url):
    assert client.get(url).status_code in (400, 404)


def test_nul_bytes_and_newlines_are_refused_or_cleaned(client, world, app):
    login(client, "ung@example.dk")
    response = submit(client, "/ideas/new", {"title": "Nul\x00byte", "body": "Tekst med \x00 i", "who_it_helps": "x"},
                      form_url="/ideas/new")
    assert 400 <= response.status_code < 500 or response.status_code == 200
    response = submit(client, "/ideas/send", {"name": "A\nB", "email": "a@example.dk\nBcc: x@example.dk",
                                              "title": "T", "body": "Noget godt her.", "who_it_helps": "x"})
    assert response.status_code in (200, 400)
    response = submit(client, "/ideas/new", {"title": "T", "body": "Noget godt her.", "who_it_helps": "x",
                                             "category": "99999999999999999999"}, form_url="/ideas/new")
    assert response.status_code == 200 and "form-error-message" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Idea.id)).where(Idea.title == "T")) == 0


def test_a_new_support_shows_on_the_next_anonymous_request(client, world, app):
    """The page cache: an anonymous visitor sees the new count at once."""
    idea = world["idea"]
    first = client.get(f"/ideas/{idea}").get_data(as_text=True)
    assert "0 støtter" in first or "0 supporters" in first
    anna = app.test_client()
    login(anna, "anna@example.dk")
    submit(anna, f"/ideas/{idea}/support", {"notify": "y"}, form_url=f"/ideas/{idea}")
    again = client.get(f"/ideas/{idea}").get_data(as_text=True)
    assert "1 støtte" in again or "1 supporter" in again


def add_ideas(app, n):
    with app.app_context():
        people = [make_user() for _ in range(3)]
        category = db.session.scalar(select(Category).order_by(Category.id))
        for i in range(n):
            idea = make_idea(people[i % 3], title=f"Idé nummer {i}", category_id=category.id,
                             state="accepted" if i % 2 else "new")
            db.session.add(IdeaSupport(idea_id=idea.id, user_id=people[(i + 1) % 3].id))
            db.session.add(IdeaComment(idea_id=idea.id, author_id=people[i % 3].id, body="En kommentar"))
        db.session.commit()
        return db.session.scalar(select(func.max(Idea.id)))


def statements_for(app, client, path):
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200, path
    return len(statements)


def test_the_list_and_an_idea_page_cost_the_same_for_few_and_many(app, world):
    """Pins the query count of /ideas and /ideas/<id>, for anyone and for a logged-in person."""
    app.config["PAGE_CACHE"], cached = False, app.config["PAGE_CACHE"]
    try:
        anyone, anna = app.test_client(), app.test_client()
        login(anna, "anna@example.dk")
        one = add_ideas(app, 3)
        urls = ("/ideas", "/ideas?sort=supported&state=accepted", f"/ideas/{one}")
        small = {(w, u): statements_for(app, c, u) for w, c in (("anyone", anyone), ("anna", anna)) for u in urls}
        add_ideas(app, 40)
        with app.app_context():
            people = [make_user() for _ in range(8)]
            for n, person in enumerate(people):
                db.session.add(IdeaComment(idea_id=one, author_id=person.id, body=f"Kommentar {n}"))
                db.session.add(IdeaSupport(idea_id=one, user_id=person.id))
            db.session.commit()
        large = {(w, u): statements_for(app, c, u) for w, c in (("anyone", anyone), ("anna", anna)) for u in urls}
        assert large == small
        # The list: count + page (+ categories, the threshold); an idea page: the idea, its author,
        # corrections, comments with their authors' roles, the threshold (+ the viewer's support and pledge).
        pinned = {"/ideas": 4, "/ideas?sort=supported&state=accepted": 4, f"/ideas/{one}": 7}
        assert {u: n for (w, u), n in small.items() if w == "anyone"} == pinned, small
        # Logged in: the session's user, whether they are staff (the staff links on the list), and on
        # an idea page their own support and pledge.
        extra = {"/ideas": 2, "/ideas?sort=supported&state=accepted": 2, f"/ideas/{one}": 3}
        assert {u: small[("anna", u)] - pinned[u] for u in urls} == extra, small
    finally:
        app.config["PAGE_CACHE"] = cached


def test_anonymous_visitors_get_the_list_and_an_idea_page_from_the_cache(app, client, world):
    """No form (and no CSRF token) on the anonymous idea page, so it can be served from the cache."""
    if not app.config.get("PAGE_CACHE"):
        pytest.skip("the page cache is off in this configuration")
    for url in ("/ideas", f"/ideas/{world['idea']}"):
        client.get(url)
        second = client.get(url)
        assert second.headers.get("X-Cache") == "hit", url
        assert 'name="csrf_token"' not in second.get_data(as_text=True)


def test_a_blocked_short_form_keeps_what_was_typed_and_says_how_long_to_wait(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"ideas-web-{utcnow().timestamp()}")
    monkeypatch.setitem(app.config, "IDEA_SEND_RATE_LIMIT", "1 per hour")
    fields = {"name": "Grethe", "email": "grethe2@example.dk", "title": "Bænk ved stranden",
              "body": "En bænk mere ved stranden.", "who_it_helps": "Ældre"}
    assert submit(client, "/ideas/send", fields).status_code == 200
    response = submit(client, "/ideas/send", {**fields, "title": "Endnu en bænk"})
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and "Endnu en bænk" in html and "En bænk mere ved stranden." in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Idea.id)).where(Idea.title == "Endnu en bænk")) == 0
