"""Review of the organisers' messages (issue 13) on a phone: a message with a long link (a map
address, a form) and a subject without spaces must not push the message page sideways."""

from datetime import timedelta

from portal.extensions import db
from portal.models import Message, utcnow
from tests.browser.helpers import PHONE, assert_no_sideways_scroll, log_in, unique_email
from tests.factories import make_organisation, make_slot, make_task, make_user


def test_a_message_with_a_long_link_reads_on_a_phone_without_scrolling_sideways(new_page, live_server):
    email = unique_email("mette")
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        mette = make_user(email=email, name="Mette Lund")
        org = make_organisation(admin=mette, name="Dragør Strandlaug")
        task = make_task(org, title="Strandrydning")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=4), hours=2)
        message = Message(organisation_id=org.id, task_id=task.id, slot_id=slot.id, sender_id=mette.id,
                          subject="Ø" * 140, include_waitlist=False, recipient_count=3, created_at=utcnow(),
                          body="Kortet: https://www.google.com/maps/place/Kalkbr%C3%A6nderiet/@55.59,12.67,"
                               + "17z/data=" + "a" * 200 + "\nVi ses.")
        db.session.add(message)
        db.session.commit()
        path = f"/organisations/{org.slug}/messages/{message.id}"
        db.session.remove()
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, email)
    page.goto(path)
    assert "Vi ses." in page.inner_text(".message-body")
    assert_no_sideways_scroll(page, "a message with a long link", PHONE["width"])
