"""Review (issue 13, assisted profiles): the words staff read out on the phone and the printed schedule
for an 85-year-old are meant to be BIG. The site's base font is 10px (DKFDS sets html to 62.5 %), so
sizes written as if 1rem were 16px came out smaller than ordinary text."""

from datetime import timedelta

from portal.extensions import db
from portal.models import CallListItem, utcnow
from portal.signups.services import sign_up
from tests.browser.helpers import log_in, unique_email
from tests.factories import make_assisted, make_organisation, make_slot, make_task, make_user


def _world(live_server):
    email = unique_email("anne")
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=email, name="Anne Møller", coordinator=True)
        erna = make_assisted(name="Erna Holm")
        task = make_task(make_organisation(admin=make_user()), title="Fællessang")
        slot = make_slot(task, starts_at=utcnow() + timedelta(days=3), hours=1, capacity=8)
        sign_up(erna, slot, now=utcnow(), send_mail=False)
        db.session.add(CallListItem(user_id=erna.id, reason="reminder", subject="Påmindelse",
                                    body="Hej Erna\n\nEn påmindelse om, at du er tilmeldt."))
        db.session.commit()
        world = {"email": email, "erna": erna.id}
        db.session.remove()
    return world


def _px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def test_the_words_to_read_out_and_the_schedule_are_at_least_as_big_as_ordinary_text(new_page, live_server):
    w = _world(live_server)
    page = new_page()
    log_in(page, w["email"])
    page.goto("/coordinator/call-list?lang=en")
    ordinary = _px(page, "main p")
    assert _px(page, ".assisted-readout-text") >= ordinary

    page.goto(f"/coordinator/assisted/{w['erna']}?lang=en")
    assert _px(page, ".assisted-tag") >= 14

    page.goto(f"/coordinator/assisted/{w['erna']}/schedule?lang=en")
    assert _px(page, ".assisted-schedule__when") > _px(page, ".assisted-schedule__list p:not(.assisted-schedule__when)") > ordinary
    assert _px(page, ".assisted-schedule__list p:not(.assisted-schedule__when)") > ordinary
    assert _px(page, ".assisted-schedule h1") > _px(page, "main h2")

    page.emulate_media(media="print")
    # 16pt on paper is about 21 CSS px: big enough to read without glasses.
    assert _px(page, ".assisted-schedule__list p:not(.assisted-schedule__when)") >= 20
    assert _px(page, ".assisted-schedule__when") >= 23
