"""Få hjælp and the calls, tried as nobody tried them when they were built (issue 11 review):

- a relative asks for help for her mother with the keyboard only, JavaScript off, on a phone,
  typing the number on an Arabic keyboard; the coordinator's page links the number to dial;
- long Danish compound words and pasted links (no spaces to break at) in an offer's title and a
  call's title do not make the pages wider than a phone.
"""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import CallAnswer, HelpRequest, Organisation, utcnow
from tests.browser.helpers import PHONE, assert_no_sideways_scroll, log_in, path_of, tab_to
from tests.factories import make_call, make_help_offer, make_user

# 57 letters and no space: "the volunteer coordinator collaboration's IT help café" in one word.
COMPOUND = "Frivillighedskoordinatorsamarbejdets-IT-hjælpecaféordningen"
LINK = "https://www.dragoer.dk/borger/aeldre-og-sundhed/frivillig-hjaelp/besoegsvenner-og-it-hjaelp"


def test_a_relative_asks_for_her_mother_with_the_keyboard_only_without_javascript_on_a_phone(
        new_page, make_person, live_server):
    anne = make_person("koordinator", name="Anne Møller", coordinator=True)
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto("/help")
    tab_to(page, "main a.button[href='/help/ask']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/help/ask"
    tab_to(page, "input[name=kind]")
    page.keyboard.press("Space")                          # the first kind: a visiting friend
    answers = [("#description", "Min mor vil gerne have besøg en gang om ugen."), ("#name", "Ruth Hansen"),
               ("#area", "Kongevejen"), ("#postcode", "2791"), ("#phone", "٢٢٣٣٤٤٥٥")]
    for selector, text in answers:
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "#on_behalf")
    page.keyboard.press("Space")
    tab_to(page, "#asked_by_name")
    page.keyboard.type("Lise Hansen")
    tab_to(page, "#asked_by_relation")
    page.keyboard.type("datter")
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to(page, "main form[action='/help/ask'] button[type=submit]")
    # Already at phone width (and resizing a page without JavaScript never returns in Playwright).
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/help/ask/thanks"  # (axe needs JavaScript; the journey checks this page)

    with live_server.app.app_context():
        request = db.session.scalar(select(HelpRequest).where(HelpRequest.name == "Ruth Hansen"))
        assert (request.phone, request.asked_by_name, request.citizen_consents) == ("22 33 44 55", "Lise Hansen", True)
        request_id = request.id
        db.session.remove()
    coordinator = new_page(viewport=PHONE)
    log_in(coordinator, anne)
    coordinator.goto(f"/help/requests/{request_id}")
    assert coordinator.locator("main a[href='tel:+4522334455']").count() == 1
    assert_no_sideways_scroll(coordinator, "a request for help", PHONE["width"])


def test_long_words_and_links_in_titles_do_not_widen_the_pages_on_a_phone(new_page, make_person, live_server,
                                                                         make_organisation_for):
    poul = make_person("wiedergaarden", name="Poul Nielsen")
    slug = make_organisation_for(poul, "Wiedergården")
    with live_server.app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        make_help_offer(org, kind="it_help", title=COMPOUND, description=f"Læs mere på {LINK}",
                        who_for="Alle i Dragør.", how_to_get=LINK, waiting_time="ca. 2 uger")
        call = make_call(organisation=org, owner=None,
                         title=LINK[:140], question=f"Hvad synes du om {COMPOUND}?", answers_public=True,
                         closes_at=utcnow() - timedelta(hours=1))
        db.session.add(CallAnswer(call_id=call.id, user_id=make_user().id, body=LINK, show_name=False))
        call.answer_count = 1
        db.session.commit()
        call_id = call.id
        db.session.remove()
    visitor = new_page(viewport=PHONE)
    for path in ("/help", "/calls", f"/calls/{call_id}"):
        visitor.goto(path)
        assert_no_sideways_scroll(visitor, path, PHONE["width"])
    owner = new_page(viewport=PHONE)
    log_in(owner, poul)
    for path in (f"/calls/{call_id}/answers", f"/calls/{call_id}/close", f"/organisations/{slug}/help-offers"):
        owner.goto(path)
        assert_no_sideways_scroll(owner, path, PHONE["width"])
