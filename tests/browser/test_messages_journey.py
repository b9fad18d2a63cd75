"""Journey (issue 13), an organiser messages a time's volunteers: from the task's times page she
opens "Write to the volunteers", picks one time, sees how many will get it (three with a place, one
waiting, one without e-mail) before sending, forgets the subject first (the message is next to the
field and her words are kept), then sends to the time and its waitlist. She lands on the message
log (subject, time, count; no names). Each volunteer's own mail is in the development outbox, in
their language; the citizen without e-mail is on the call list. axe runs on the message form, the
log and a sent message, in Danish and English; nothing scrolls sideways on a phone."""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import CallListItem, Message, OutboxMessage, Signup, SignupState, utcnow
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, path_of, shoot,
                                   submit_form, unique_email)
from tests.factories import make_assisted, make_organisation, make_slot, make_task, make_user


def _world(live_server):
    email = unique_email("mette")
    tag = email[6:12]
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        mette = make_user(email=email, name="Mette Lund")
        org = make_organisation(admin=mette, name=f"Dragør Strandlaug {tag}")
        task = make_task(org, title=f"Strandrydning ved Kalkbrænderiet {tag}")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=4), hours=2, capacity=3)
        later = make_slot(task, starts_at=utcnow() + timedelta(days=11), hours=2, capacity=3)
        people = {"da": make_user(email=unique_email("anna"), name="Anna Dansk", locale="da"),
                  "en": make_user(email=unique_email("ben"), name="Ben English", locale="en"),
                  "wait": make_user(email=unique_email("carl"), name="Carl Venter"),
                  "later": make_user(email=unique_email("eva"), name="Eva Senere"),
                  "phone": make_assisted(name=f"Karen Uden Mail {tag}")}
        for key in ("da", "en", "phone"):
            db.session.add(Signup(user_id=people[key].id, slot_id=slot.id, state=SignupState.confirmed))
        slot.taken = 3
        db.session.add(Signup(user_id=people["wait"].id, slot_id=slot.id, state=SignupState.waitlisted))
        db.session.add(Signup(user_id=people["later"].id, slot_id=later.id, state=SignupState.confirmed))
        later.taken = 1
        db.session.commit()
        world = {"email": email, "slug": org.slug, "task": task.id, "slot": slot.id,
                 "mail": {k: u.email for k, u in people.items()}, "phone_id": people["phone"].id}
        db.session.remove()
    return world


def test_an_organiser_messages_a_times_volunteers_and_sees_the_log(new_page, live_server):
    w = _world(live_server)
    mette = new_page()
    log_in(mette, w["email"])
    mette.goto(f"/tasks/{w['task']}/times")
    with mette.expect_navigation():
        mette.click(f"main a[href='/tasks/{w['task']}/message']")
    check_a11y(mette, "message a task (da)")
    check_in_english(mette, f"/tasks/{w['task']}/message", "message a task")
    # The whole task: four with a place (Eva is on the later time), one waiting.
    assert "4" in mette.inner_text("#message-audience .message-count")
    assert "Anna Dansk" not in mette.inner_text("main")

    # One time only.
    with mette.expect_navigation():
        mette.click(f"#message-times a[href='/slots/{w['slot']}/message']")
    assert path_of(mette) == f"/slots/{w['slot']}/message"
    count = mette.inner_text("#message-audience .message-count")
    assert "3" in count and "1" in count
    check_a11y(mette, "message a time (da)")
    check_in_english(mette, f"/slots/{w['slot']}/message", "message a time", screenshot="messages-write")

    # The subject forgotten: the message is next to the field, the words kept.
    body = "Det blæser ved vandet.\n\nTag varmt tøj og handsker med – vi har kaffe bagefter."
    mette.fill("#body", body)
    submit_form(mette, "main form[method=post]")
    assert_error_next_to(mette, "subject")
    assert mette.input_value("#body") == body
    check_a11y(mette, "message a time with an error (da)")

    mette.fill("#subject", "Husk varmt tøj på lørdag")
    mette.check("#include_waitlist")
    submit_form(mette, "main form[method=post]")
    assert path_of(mette) == f"/organisations/{w['slug']}/messages"
    log = mette.inner_text("#message-log")
    assert "Husk varmt tøj på lørdag" in log and "Mette Lund" in log
    assert "4" in mette.inner_text("#message-log tbody tr:first-child td.num")
    for name in ("Anna Dansk", "Ben English", "Carl Venter"):
        assert name not in mette.inner_text("main")
    check_a11y(mette, "message log (da)")
    check_in_english(mette, f"/organisations/{w['slug']}/messages", "message log", screenshot="messages-log")

    with mette.expect_navigation():
        mette.click("#message-log tbody tr:first-child a")
    assert "vi har kaffe bagefter" in mette.inner_text(".message-body")
    check_a11y(mette, "a sent message (da)")
    shoot(mette, "messages-show")

    # The outbox: one mail to each, in their own language; Karen is on the call list.
    with live_server.app.app_context():
        mails = {m.to_email: m for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.subject == "Husk varmt tøj på lørdag"))}
        assert set(mails) == {w["mail"]["da"], w["mail"]["en"], w["mail"]["wait"]}
        assert all(m.from_name.startswith("Dragør Strandlaug") for m in mails.values())
        assert mails[w["mail"]["en"]].body_text.startswith("Hello Ben English,")
        assert mails[w["mail"]["da"]].body_text.startswith("Hej Anna Dansk")
        assert db.session.scalar(select(CallListItem.subject).where(CallListItem.user_id == w["phone_id"])) \
            == "Husk varmt tøj på lørdag"
        assert db.session.scalar(select(Message.recipient_count).where(Message.slot_id == w["slot"])) == 4
        db.session.remove()
    mette.goto("/dev/mail")
    row = mette.locator("tbody tr", has=mette.locator(f"td:text-is('{w['mail']['en']}')")).first
    with mette.expect_navigation():
        row.locator("a:not([download])").first.click()
    text = mette.inner_text("pre.mail-body")
    assert "writes to everyone signed up for this time" in text and "vi har kaffe bagefter" in text
    assert w["mail"]["da"] not in text
