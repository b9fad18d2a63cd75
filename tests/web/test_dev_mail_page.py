"""The development mail page shows what a recipient gets, attachments included: the
confirmation says "see the attached file", so the page lists it (name, type, size) and offers
it as a download. Only in development; the routes do not exist otherwise."""

import re
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import OutboxMessage, utcnow
from portal.signups.services import sign_up
from tests.conftest import make_test_config
from tests.factories import make_organisation, make_slot, make_task, make_user


def confirmation(app):
    with app.app_context():
        org = make_organisation(admin=make_user(email="mette@example.dk"))
        slot = make_slot(make_task(org, title="Gåtur med kaffe"), starts_at=utcnow() + timedelta(days=4))
        sign_up(make_user(email="ida@example.dk"), slot, now=utcnow())
        db.session.add(OutboxMessage(to_email="bo@example.dk", subject="Uden bilag", body_text="Hej"))
        db.session.commit()
        with_file = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "ida@example.dk")).one()
        without = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "bo@example.dk")).one()
        return with_file.id, without.id, with_file.attachment


def test_the_mail_page_lists_the_attachment_and_offers_it_as_a_download(app, client):
    message_id, _, attachment = confirmation(app)
    page = client.get(f"/dev/mail/{message_id}?lang=en").get_data(as_text=True)
    link = f"/dev/mail/{message_id}/attachment"
    assert f'href="{link}"' in page and "invitation.ics" in page
    assert "text/calendar" in page and f"{len(attachment)} bytes" in page
    assert f'href="{link}"' in client.get("/dev/mail").get_data(as_text=True)
    assert "Vedhæftet fil" in client.get(f"/dev/mail/{message_id}?lang=da").get_data(as_text=True)
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "text/calendar"
    assert re.match(r'attachment; filename="?invitation\.ics"?$', download.headers["Content-Disposition"])
    assert download.data == attachment
    [event] = Calendar.from_ical(download.data).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Gåtur med kaffe")


def test_a_mail_without_attachment_shows_none_and_has_nothing_to_download(app, client):
    _, plain_id, _ = confirmation(app)
    page = client.get(f"/dev/mail/{plain_id}?lang=en").get_data(as_text=True)
    assert "/attachment" not in page and "Attachment" not in page
    assert client.get(f"/dev/mail/{plain_id}/attachment").status_code == 404
    assert client.get("/dev/mail/999999/attachment").status_code == 404


def test_the_download_does_not_exist_outside_development(app, database_url):
    message_id, _, _ = confirmation(app)
    production_like = create_app(make_test_config(database_url, DEV_MAIL_PAGE=False))
    assert production_like.test_client().get(f"/dev/mail/{message_id}/attachment").status_code == 404
