"""Journey (issue 11, "Få hjælp"): an elderly citizen asks for a visiting friend with a phone number
only (no e-mail, no profile); the coordinator sees it in the queue and passes it to an organisation;
the organisation's member reads it from the mail's link and accepts; the request is on the
coordinator's call list until marked told. The organisation keeps its offers. axe on every page,
in Danish and English; screenshots of the public pages and the queue."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import HelpRequest, Organisation, User
from tests.browser.helpers import (assert_error_next_to, check_a11y, check_in_english, log_in, open_mail, path_of,
                                   shoot, submit_form)
from tests.factories import make_help_offer


def _offer_for(live_server, slug):
    with live_server.app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        make_help_offer(org, kind="visiting_friend", title="Besøgsvenner fra Wiedergården",
                        description="En fast besøgsven kommer hjem til dig en gang om ugen til kaffe og en snak.",
                        who_for="Ældre i Dragør, der savner nogen at tale med.",
                        how_to_get="Bed om en besøgsven her på siden, eller ring til os.",
                        contact_phone="32 89 01 00", waiting_time="ca. 3 uger")
        make_help_offer(org, kind="it_help", title="IT-hjælp hver tirsdag",
                        description="Vi hjælper med MitID, e-Boks og billeder fra børnebørnene.",
                        who_for="Alle.", how_to_get="Kom forbi tirsdag kl. 10–12.")
        db.session.commit()
        db.session.remove()


def _request_id(live_server, name):
    with live_server.app.app_context():
        found = db.session.scalar(select(HelpRequest.id).where(HelpRequest.name == name))
        db.session.remove()
    return found


def test_an_elderly_citizen_asks_by_phone_and_the_request_reaches_an_organisation(new_page, make_person, live_server,
                                                                                  make_organisation_for):
    anne = make_person("koordinator", name="Anne Møller", coordinator=True)
    poul = make_person("wiedergaarden", name="Poul Nielsen")
    slug = make_organisation_for(poul, "Wiedergården")
    _offer_for(live_server, slug)
    citizen_name = "Ellen Sørensen " + anne[-16:-10]

    # --- the citizen, without a profile, finds "Få hjælp" and asks
    citizen = new_page()
    citizen.goto("/help")
    check_a11y(citizen, "get help")
    assert citizen.locator("main a[href^='tel:']").count() >= 1, "the coordinator's phone number is a link"
    assert citizen.locator("main a[href='/tasks']").count() == 1, "how to give help is on the page"
    assert citizen.locator(f"main a[href='/organisations/{slug}']").count() >= 1
    shoot(citizen, "help-index-da")
    check_in_english(citizen, "/help", "get help", screenshot="help-index")
    with citizen.expect_navigation():
        citizen.locator("main a.button[href='/help/ask']").click()
    check_a11y(citizen, "ask for help")
    citizen.check("#kind-0")                      # a visiting friend
    citizen.fill("#description", "Jeg sidder meget alene og vil gerne have en at drikke kaffe med.")
    citizen.fill("#name", citizen_name)
    citizen.fill("#area", "Strandgade, nær havnen")
    citizen.fill("#postcode", "2791")
    submit_form(citizen, "main form[action='/help/ask']")
    assert path_of(citizen) == "/help/ask", "no phone and no e-mail: the form comes back"
    assert_error_next_to(citizen, "phone")
    assert citizen.input_value("#name") == citizen_name, "what was typed is kept"
    check_a11y(citizen, "ask for help, with an error")
    citizen.fill("#phone", "32 53 14 27")
    citizen.fill("#best_time_to_call", "Formiddag")
    submit_form(citizen, "main form[action='/help/ask']")
    assert path_of(citizen) == "/help/ask/thanks"
    check_a11y(citizen, "ask for help, thank you")
    shoot(citizen, "help-thanks-da")
    request_id = _request_id(live_server, citizen_name)
    assert request_id, "the request was saved"
    request_path = f"/help/requests/{request_id}"
    check_in_english(citizen, "/help/ask", "ask for help", screenshot="help-ask")

    # --- nobody else sees it: an anonymous visitor is asked to log in
    citizen.goto(request_path)
    assert path_of(citizen) == "/login"

    # --- the coordinator sees it first in the queue and passes it on
    coordinator = new_page()
    log_in(coordinator, anne)
    coordinator.goto("/help/requests")
    check_a11y(coordinator, "help requests queue")
    assert coordinator.locator(f"main a[href='{request_path}']").count() == 1
    shoot(coordinator, "help-queue-da")
    check_in_english(coordinator, "/help/requests", "help requests queue", screenshot="help-queue")
    with coordinator.expect_navigation():
        coordinator.click(f"main a[href='{request_path}']")
    check_a11y(coordinator, "help request, coordinator")
    assert citizen_name in coordinator.inner_text("main") and "32 53 14 27" in coordinator.inner_text("main")
    coordinator.select_option("#organisation", label="Wiedergården")
    coordinator.fill("#note", "Hun hører lidt dårligt. Ring gerne om formiddagen.")
    submit_form(coordinator, f"main form[action='{request_path}/pass']")
    assert path_of(coordinator) == request_path and coordinator.locator("main .alert-success").is_visible()
    shoot(coordinator, "help-request-da")
    check_in_english(coordinator, request_path, "help request, coordinator", screenshot="help-request")

    # --- the organisation's member opens the mail's link (no personal details in it) and accepts
    member = new_page()
    log_in(member, poul)
    link = open_mail(member, poul, request_path)
    assert citizen_name not in member.inner_text("pre.mail-body") and "32 53" not in member.inner_text("pre.mail-body")
    with member.expect_navigation():
        link.click()
    assert path_of(member) == request_path
    assert citizen_name in member.inner_text("main") and "Ring gerne om formiddagen" in member.inner_text("main")
    check_a11y(member, "help request, organisation")
    check_in_english(member, request_path, "help request, organisation")
    submit_form(member, f"main form[action='{request_path}/accept']")
    assert member.locator("main .alert-success").is_visible()
    member.goto(f"/organisations/{slug}/help-requests")
    check_a11y(member, "requests passed to the organisation")
    check_in_english(member, f"/organisations/{slug}/help-requests", "requests passed to the organisation")

    # --- the citizen has no e-mail: the coordinator calls, then marks them as told
    coordinator.goto("/help/requests?call=1")
    check_a11y(coordinator, "citizens to call")
    assert coordinator.locator(f"main a[href='{request_path}']").count() == 1
    with coordinator.expect_navigation():
        coordinator.click(f"main a[href='{request_path}']")
    submit_form(coordinator, f"main form[action='{request_path}/told']")
    coordinator.goto("/help/requests?call=1")
    assert coordinator.locator(f"main a[href='{request_path}']").count() == 0, "off the call list once told"


def test_an_organisation_keeps_its_help_offers(new_page, make_person, live_server, make_organisation_for):
    sanne = make_person("bibliotek", name="Sanne Bech")
    slug = make_organisation_for(sanne, "Dragør Bibliotek")
    member = new_page()
    log_in(member, sanne)
    base = f"/organisations/{slug}/help-offers"
    member.goto(base)
    check_a11y(member, "help offers of an organisation")
    check_in_english(member, base, "help offers of an organisation")
    with member.expect_navigation():
        member.click(f"main a[href='{base}/new']")
    check_a11y(member, "new help offer")
    check_in_english(member, f"{base}/new", "new help offer", screenshot="help-offer-form")
    member.select_option("#kind", "it_help")
    member.fill("#title", "IT-hjælp i læsesalen")
    member.fill("#description", "Vi hjælper med computer, tablet og mobil.")
    member.fill("#who_for", "Alle, uanset alder.")
    member.fill("#how_to_get", "")
    submit_form(member, f"main form[action='{base}/new']")
    assert_error_next_to(member, "how_to_get")
    check_a11y(member, "new help offer, with an error")
    member.fill("#how_to_get", "Kom forbi tirsdag kl. 10–12.")
    submit_form(member, f"main form[action='{base}/new']")
    assert path_of(member) == base
    edit = member.locator(f"main a[href^='{base}/'][href$='/edit']").first.get_attribute("href")
    assert re.fullmatch(rf"{base}/\d+/edit", edit)
    member.goto(edit)
    check_a11y(member, "edit help offer")
    shoot(member, "help-offers-edit-da")
    member.goto(base)
    shoot(member, "help-offers-da")
    submit_form(member, f"main form[action='{edit.replace('/edit', '/active')}']")
    assert member.locator("main .alert-success").is_visible()
    visitor = new_page()
    visitor.goto("/help")
    assert "IT-hjælp i læsesalen" not in visitor.inner_text("main"), "a deactivated offer is not shown"
    with live_server.app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == sanne))
        db.session.remove()
