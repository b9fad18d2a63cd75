"""Journey (issue 13), the newsletter: a volunteer asks for it on her profile; the coordinator writes
one (first forgetting the English subject: the message is next to the field and the text kept),
previews it as a Danish and an English reader would get it with the week's needs filled in, and sends
it; the volunteer's mail has the need and her unsubscribe link; the link's page changes nothing until
she presses the button, and then she gets no more. axe runs in Danish and English on the editor, the
preview and the unsubscribe page."""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import User, VolunteerProfile, utcnow
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, log_out, open_mail,
                                   path_of, shoot, submit_form, unique_email)
from tests.factories import make_organisation, make_slot, make_task, make_user


def _world(live_server):
    coordinator, volunteer = unique_email("anne"), unique_email("karen")
    tag = volunteer[6:12]
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=coordinator, name="Anne Møller", coordinator=True)
        make_user(email=volunteer, name="Karen Holm")
        org = make_organisation(admin=make_user(), name=f"Enggården {tag}")
        task = make_task(org, title=f"Pynt juletræet {tag}")
        make_slot(task, starts_at=utcnow() + timedelta(days=2), capacity=4)
        db.session.commit()
        db.session.remove()
    return {"coordinator": coordinator, "volunteer": volunteer, "task_title": f"Pynt juletræet {tag}"}


def _opted_in(live_server, email) -> bool:
    with live_server.app.app_context():
        value = db.session.scalar(select(VolunteerProfile.newsletter_opt_in).join(User).where(User.email == email))
        db.session.remove()
    return bool(value)


def test_a_volunteer_opts_in_gets_the_newsletter_with_the_needs_and_unsubscribes(new_page, live_server):
    w = _world(live_server)

    # Karen asks for the newsletter on her volunteer profile.
    karen = new_page()
    log_in(karen, w["volunteer"])
    karen.goto("/me/volunteering")
    karen.locator("label[for=newsletter_opt_in]").click()
    submit_form(karen, "main form[method=post]")
    assert _opted_in(live_server, w["volunteer"])
    log_out(karen)

    # Anne writes the newsletter, forgetting the English subject first.
    anne = new_page()
    log_in(anne, w["coordinator"])
    anne.goto("/coordinator")
    with anne.expect_navigation():
        anne.click("main a[href='/coordinator/newsletters']")
    check_a11y(anne, "newsletters (da)")
    with anne.expect_navigation():
        anne.click("main a[href='/coordinator/newsletters/new']")
    check_a11y(anne, "newsletter editor (da)")
    check_in_english(anne, "/coordinator/newsletters/new", "newsletter editor")
    anne.fill("#subject_da", "Julehjælp på Enggården")
    anne.fill("#intro_da", "Kære frivillige\n\nDecember er travl på Enggården 🎄")
    anne.fill("#intro_en", "Dear volunteers\n\nDecember is busy at Enggården 🎄")
    submit_form(anne, "main form[method=post]")
    assert_error_next_to(anne, "subject_en")
    assert anne.input_value("#intro_da") == "Kære frivillige\n\nDecember er travl på Enggården 🎄"
    check_a11y(anne, "newsletter editor with an error (da)")
    anne.fill("#subject_en", "Christmas help at Enggården")
    submit_form(anne, "main form[method=post]")
    assert path_of(anne).endswith("/preview")
    preview_path = path_of(anne)

    # The preview: both languages, the need filled in, the number of recipients on the button.
    mails = anne.locator("pre.newsletter-mail")
    assert mails.count() == 2
    assert w["task_title"] in mails.nth(0).inner_text() and "December er travl" in mails.nth(0).inner_text()
    assert "December is busy" in mails.nth(1).inner_text()
    assert anne.locator(f"form[action='{preview_path[:-len('/preview')]}/send'] button").count() == 1
    check_a11y(anne, "newsletter preview (da)")
    shoot(anne, "newsletter-preview")
    check_in_english(anne, preview_path, "newsletter preview")
    assert "1" in anne.locator("form.newsletter-send button").inner_text()
    submit_form(anne, "form.newsletter-send")
    assert path_of(anne) == "/coordinator/newsletters"
    assert "Julehjælp på Enggården" in anne.inner_text("main")

    # Karen's mail has the need and her own unsubscribe link.
    link = open_mail(karen, w["volunteer"], "/newsletter/unsubscribe/")
    body = karen.inner_text("pre.mail-body")
    assert w["task_title"] in body and "Karen Holm" in body and "December er travl" in body
    with karen.expect_navigation():
        link.click()
    unsubscribe_path = path_of(karen)
    check_a11y(karen, "newsletter unsubscribe (da)")
    check_in_english(karen, unsubscribe_path, "newsletter unsubscribe")
    assert _opted_in(live_server, w["volunteer"])          # opening the link changed nothing
    submit_form(karen, "main form[method=post]")
    assert karen.locator("main a[href='/me/volunteering']").count() == 1
    check_a11y(karen, "newsletter unsubscribed (da)")
    assert not _opted_in(live_server, w["volunteer"])
