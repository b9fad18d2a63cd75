"""The organiser's message pages: the count before sending, sending, the log (no names), who may
write (403 for another organisation), a cancelled time, nobody to write to, hostile input on both
databases, and the rate limit."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Message, OutboxMessage, Slot, utcnow
from tests.conftest import csrf_token, login, make_test_config, submit
from tests.factories import add_member, make_slot, make_task, make_user
from tests.messages_world import build


@pytest.fixture
def world(app):
    with app.app_context():
        w = build()
        db.session.remove()
        return w


def messages(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count(Message.id)))
        db.session.remove()
    return n


def page(response) -> str:
    return response.get_data(as_text=True)


def test_the_organiser_sees_the_count_sends_and_finds_it_in_the_log(client, app, world):
    login(client, "mette@strand.dk")
    form = page(client.get(f"/slots/{world.slot_a}/message?lang=en"))
    assert "3 volunteers are signed up" in form and "1 more is on the waitlist" in form
    assert "1 of them has no e-mail" in form
    assert "Replies go to frivillig@strandlaug.dk" in form
    assert "Anna Dansk" not in form                      # counts, not names
    response = submit(client, f"/slots/{world.slot_a}/message",
                      {"subject": "Husk varmt tøj", "body": "Det blæser ved vandet.\n\nTag handsker med."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/organisations/{world.org_slug}/messages")
    log = page(client.get(response.headers["Location"]))
    assert "Your message is on its way to 3 people" in log
    assert "Husk varmt tøj" in log and "Strandrydning ved Kalkbrænderiet" in log and "Mette Organisator" in log
    assert '<td class="num">3</td>' in log
    for name in ("Anna Dansk", "Ben English", "Karen Uden Mail"):
        assert name not in log
    with app.app_context():
        message_id = db.session.scalar(select(Message.id))
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2      # Anna and Ben; Karen is phoned
        db.session.remove()
    shown = page(client.get(f"/organisations/{world.org_slug}/messages/{message_id}"))
    assert "Tag handsker med." in shown and "Anna Dansk" not in shown


def test_the_waitlist_gets_it_only_when_ticked(client, app, world):
    login(client, "mette@strand.dk")
    submit(client, f"/slots/{world.slot_a}/message", {"subject": "Uden venteliste", "body": "Hej"})
    submit(client, f"/slots/{world.slot_a}/message", {"subject": "Med venteliste", "body": "Hej",
                                                      "include_waitlist": "y"})
    with app.app_context():
        to = {s: set(db.session.scalars(select(OutboxMessage.to_email).where(OutboxMessage.subject == s)))
              for s in ("Uden venteliste", "Med venteliste")}
        db.session.remove()
    assert "carl@example.dk" not in to["Uden venteliste"] and "carl@example.dk" in to["Med venteliste"]
    assert "dora@example.dk" not in to["Med venteliste"]            # she cancelled


def test_a_task_message_goes_to_all_upcoming_times_or_the_one_chosen(client, app, world):
    login(client, "mette@strand.dk")
    form = page(client.get(f"/tasks/{world.task}/message?lang=en"))
    assert "4 volunteers are signed up" in form and "All upcoming times" in form
    assert f'value="{world.slot_b}"' in form and f'value="{world.cancelled}"' not in form
    submit(client, f"/tasks/{world.task}/message", {"subject": "Alle", "body": "Tak"})
    submit(client, f"/tasks/{world.task}/message", {"subject": "Kun B", "body": "Tak", "slot": str(world.slot_b)})
    with app.app_context():
        to = {s: set(db.session.scalars(select(OutboxMessage.to_email).where(OutboxMessage.subject == s)))
              for s in ("Alle", "Kun B")}
        db.session.remove()
    assert to["Alle"] == {"anna@example.dk", "ben@example.com", "eva@example.dk"}
    assert to["Kun B"] == {"ben@example.com", "eva@example.dk"}


@pytest.mark.parametrize("choice", ["cancelled", "other_org_slot", "past", "abc", "99999999999999999999", "-1"])
def test_a_time_not_in_the_list_is_refused_next_to_the_field(client, app, world, choice):
    login(client, "mette@strand.dk")
    value = str(getattr(world, choice)) if hasattr(world, choice) else choice
    response = submit(client, f"/tasks/{world.task}/message?lang=en", {"subject": "S", "body": "B", "slot": value},
                      form_url=f"/tasks/{world.task}/message")
    assert response.status_code == 400
    assert "Choose one of the task&#39;s upcoming times from the list." in page(response)
    assert messages(app) == 0


def test_another_organisation_cannot_write_to_or_read_our_volunteers(client, app, world):
    login(client, "other@forening.dk")
    token = csrf_token(client, "/me")
    data = {"csrf_token": token, "subject": "Spam", "body": "Spam"}
    assert client.get(f"/slots/{world.slot_a}/message").status_code == 403
    assert client.post(f"/slots/{world.slot_a}/message", data=data).status_code == 403
    assert client.get(f"/tasks/{world.task}/message").status_code == 403
    assert client.post(f"/tasks/{world.task}/message", data=data).status_code == 403
    assert client.get(f"/organisations/{world.org_slug}/messages").status_code == 403
    assert client.get("/slots/99999999999999999999/message").status_code == 404
    assert messages(app) == 0


def test_a_message_of_another_organisation_is_not_found_through_ours(client, app, world):
    login(client, "mette@strand.dk")
    submit(client, f"/slots/{world.slot_a}/message", {"subject": "Vores", "body": "Hej"})
    with app.app_context():
        message_id = db.session.scalar(select(Message.id))
        db.session.remove()
    client = app.test_client()
    login(client, "other@forening.dk")
    with app.app_context():
        from portal.models import Organisation
        other_slug = db.session.scalar(select(Organisation.slug).where(Organisation.name == "Anden Forening"))
        db.session.remove()
    assert client.get(f"/organisations/{other_slug}/messages/{message_id}").status_code == 404
    assert "Vores" not in page(client.get(f"/organisations/{other_slug}/messages"))


def test_the_coordinator_reads_the_log_but_does_not_write(client, app, world):
    with app.app_context():
        make_user(email="koordinator@dragoer.dk", coordinator=True)
        db.session.commit()
    login(client, "koordinator@dragoer.dk")
    assert client.get(f"/organisations/{world.org_slug}/messages").status_code == 200
    assert client.get(f"/slots/{world.slot_a}/message").status_code == 403


def test_a_cancelled_time_is_refused_politely(client, app, world):
    login(client, "mette@strand.dk")
    text = page(client.get(f"/slots/{world.cancelled}/message?lang=en"))
    assert "This time is cancelled" in text and "Send the message" not in text
    response = submit(client, f"/slots/{world.cancelled}/message", {"subject": "S", "body": "B"},
                      form_url=f"/slots/{world.slot_a}/message")
    assert response.status_code == 400 and messages(app) == 0


def test_a_time_nobody_is_signed_up_for_says_so(client, app, world):
    with app.app_context():
        empty = make_slot(db.session.get(Slot, world.slot_a).task, starts_at=utcnow() + timedelta(days=30))
        db.session.commit()
        empty_id = empty.id
        db.session.remove()
    login(client, "mette@strand.dk")
    text = page(client.get(f"/slots/{empty_id}/message?lang=en"))
    assert "Nobody is signed up or waiting yet" in text and "Send the message" not in text
    response = submit(client, f"/slots/{empty_id}/message?lang=en", {"subject": "S", "body": "B"},
                      form_url=f"/slots/{world.slot_a}/message")
    assert response.status_code == 400 and "Nobody would receive this message" in page(response)


def test_an_empty_or_too_long_message_comes_back_with_what_was_typed(client, app, world):
    login(client, "mette@strand.dk")
    response = submit(client, f"/slots/{world.slot_a}/message?lang=en", {"subject": "", "body": "x" * 5001},
                      form_url=f"/slots/{world.slot_a}/message")
    text = page(response)
    assert response.status_code == 400
    assert "Write a subject." in text and "Write at most 5000 characters. You wrote 5001." in text
    assert "x" * 5001 in text
    assert messages(app) == 0


@pytest.mark.parametrize("subject, body", [
    ("Nul\x00byte", "Krop\x00med nul"),
    ("Emoji 🌊 og \u202eomvendt", "مرحبا 🌊 " * 100),
    ("Linje\r\nBcc: x@example.dk", "ok"),
    ("x" * 10_000, "ok"),
])
def test_hostile_text_is_a_message_or_a_mail_never_a_500(client, app, world, subject, body):
    login(client, "mette@strand.dk")
    response = submit(client, f"/slots/{world.slot_a}/message", {"subject": subject, "body": body})
    assert response.status_code in (302, 400)
    with app.app_context():
        for stored in db.session.scalars(select(OutboxMessage)):
            assert "\x00" not in stored.subject + stored.body_text and "\n" not in stored.subject
        db.session.remove()


def test_the_times_page_and_the_organisation_page_link_to_messages_and_posters(client, app, world):
    login(client, "mette@strand.dk")
    times = page(client.get(f"/tasks/{world.task}/times?lang=en"))
    assert f'href="/tasks/{world.task}/message"' in times and f'href="/tasks/{world.task}/poster.pdf"' in times
    org = page(client.get(f"/organisations/{world.org_slug}?lang=en"))
    assert f'href="/organisations/{world.org_slug}/messages"' in org and 'href="/poster.pdf"' in org


def test_the_rate_limit_stops_a_flood_and_says_when_to_try_again(app, database_url, world):
    from portal import create_app
    from portal.extensions import limiter
    limited = create_app(make_test_config(database_url, RATELIMIT_ENABLED=True, MESSAGE_RATE_LIMIT="2 per hour"))
    try:
        client = limited.test_client()
        login(client, "mette@strand.dk")
        for n in range(2):
            assert submit(client, f"/slots/{world.slot_a}/message", {"subject": f"Nr {n}", "body": "Hej"}).status_code == 302
        response = submit(client, f"/slots/{world.slot_a}/message?lang=en", {"subject": "Nr 3", "body": "Hej"},
                          form_url=f"/slots/{world.slot_a}/message")
        assert response.status_code == 429
        assert "You have sent many messages in a short time. Try again in" in page(response)
        assert "Nr 3" in page(response)                               # what was typed is kept
    finally:
        limiter.init_app(app)
    assert messages(app) == 2


def test_the_log_reads_in_the_same_number_of_queries_for_one_message_or_many(client, app, world):
    from tests.conftest import counting_queries
    login(client, "mette@strand.dk")
    submit(client, f"/slots/{world.slot_a}/message", {"subject": "Første", "body": "Hej"})
    with counting_queries(app) as one:
        assert client.get(f"/organisations/{world.org_slug}/messages").status_code == 200
    for n in range(4):
        submit(client, f"/tasks/{world.task}/message", {"subject": f"Nr {n}", "body": "Hej",
                                                        "slot": str(world.slot_b if n % 2 else world.slot_a)})
    with counting_queries(app) as many:
        page_text = page(client.get(f"/organisations/{world.org_slug}/messages"))
    assert page_text.count("<tr>") == 6          # the header and five messages
    assert len(many) == len(one)


def test_the_coordinator_finds_the_portal_poster_on_the_workbench(client, app):
    with app.app_context():
        make_user(email="koordinator@dragoer.dk", coordinator=True)
        db.session.commit()
    login(client, "koordinator@dragoer.dk")
    assert 'href="/poster.pdf"' in page(client.get("/coordinator?lang=en"))
