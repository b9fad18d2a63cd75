"""Journey B: an association applies, the coordinator approves it, and its administrator
brings in a colleague. Each person uses their own browser; axe runs on every page."""

import re
import uuid

from tests.browser.helpers import (check_a11y, log_in, log_out, open_mail, path_of, shoot,
                                   submit_form)


def test_organisation_applies_is_approved_and_invites_a_colleague(new_page, make_person, live_server):
    """A logged-in user applies for "Dragør Søspejdere" and sees it waiting for approval;
    the coordinator finds it in the queue at /coordinator and approves it; the applicant,
    now its administrator, invites a colleague from the colleagues page; the colleague
    follows the link in the e-mail, logs in, accepts and lands on the organisation's page
    as a member."""
    applicant = make_person("ansoeger", name="Anna Ansøger")
    coordinator = make_person("koordinator", name="Karen Koordinator", coordinator=True)
    colleague = make_person("kollega", name="Kim Kollega")
    org_name = f"Dragør Søspejdere {uuid.uuid4().hex[:6]}"

    # --- the applicant applies
    anna = new_page()
    log_in(anna, applicant, a11y_name="login")
    with anna.expect_navigation():
        anna.click("main a[href='/organisations/apply']")
    assert path_of(anna) == "/organisations/apply"
    check_a11y(anna, "apply for an organisation")
    shoot(anna, "organisation-apply")
    anna.fill("#name", org_name)
    anna.select_option("#kind", "association")
    anna.fill("#description", "Vi sejler med børn og unge i havnen hver lørdag og har brug for hjælpere.")
    anna.fill("#address", "Havnen 3")
    anna.fill("#postcode", "2791")
    anna.fill("#city", "Dragør")
    anna.fill("#contact_name", "Anna Ansøger")
    anna.fill("#contact_email", applicant)
    anna.fill("#contact_phone", "32 89 01 00")
    submit_form(anna, "main form[action='/organisations/apply']")
    match = re.fullmatch(r"/organisations/([a-z0-9-]+)", path_of(anna))
    assert match, f"after applying the applicant should see the organisation's page, got {anna.url}"
    slug = match.group(1)
    assert anna.inner_text("main h1") == org_name
    assert anna.locator("main .alert-success").is_visible()
    assert anna.locator("main .alert-info").is_visible(), "a pending organisation says it waits for approval"
    assert anna.locator(f"a[href='/organisations/{slug}/members']").count() == 0, \
        "colleagues cannot be invited before approval"
    check_a11y(anna, "organisation waiting for approval")
    shoot(anna, "organisation-pending")
    log_out(anna)

    # --- the coordinator approves
    karen = new_page()
    log_in(karen, coordinator)
    with karen.expect_navigation():
        karen.click("header nav a[href='/coordinator']")
    check_a11y(karen, "coordinator overview with an application waiting")
    shoot(karen, "coordinator")
    with karen.expect_navigation():
        karen.locator("main table a", has_text=org_name).first.click()
    assert re.fullmatch(r"/coordinator/organisations/\d+", path_of(karen))
    assert karen.inner_text("main h1") == org_name
    assert "Havnen 3" in karen.inner_text("main")
    check_a11y(karen, "coordinator reviews the application")
    shoot(karen, "coordinator-review")
    submit_form(karen, "main form[action$='/approve']")
    assert path_of(karen) == "/coordinator"
    assert karen.locator("main .alert-success").is_visible()
    check_a11y(karen, "coordinator overview after approving")

    # --- the applicant, now administrator, invites a colleague
    log_in(anna, applicant)
    assert path_of(anna) == "/me"
    with anna.expect_navigation():
        anna.click(f"main a[href='/organisations/{slug}']")
    assert anna.locator("main .alert-info").count() == 0, "the organisation is approved now"
    check_a11y(anna, "approved organisation seen by its administrator")
    with anna.expect_navigation():
        anna.click(f"main a[href='/organisations/{slug}/members']")
    check_a11y(anna, "colleagues page")
    anna.fill("#email", colleague)
    submit_form(anna, f"main form[action='/organisations/{slug}/members']")
    assert path_of(anna) == f"/organisations/{slug}/members"
    assert anna.locator("main .alert-success").is_visible()
    assert anna.locator("main .invitation-row", has_text=colleague).count() == 1
    check_a11y(anna, "colleagues page with an open invitation")
    shoot(anna, "organisation-members")

    # --- the colleague accepts
    kim = new_page()
    invite_link = open_mail(kim, colleague, "/invitations/")
    assert invite_link.get_attribute("href").startswith(live_server.url + "/invitations/")
    check_a11y(kim, "invitation e-mail in the development outbox")
    with kim.expect_navigation():
        invite_link.click()
    assert path_of(kim) == "/login", "an invitation asks for a login first"
    log_in(kim, colleague)
    assert re.fullmatch(r"/invitations/\S+", path_of(kim)), "after logging in, the invitation is shown"
    assert org_name in kim.inner_text("main h1")
    check_a11y(kim, "accept invitation")
    shoot(kim, "invitation-accept")
    submit_form(kim)
    assert path_of(kim) == f"/organisations/{slug}"
    assert kim.locator("main .alert-success").is_visible()
    check_a11y(kim, "organisation page after accepting")
    with kim.expect_navigation():
        kim.click("header nav a[href='/me']")
    assert kim.locator(f"main a[href='/organisations/{slug}']").count() == 1, \
        "the organisation is listed on the colleague's Min side"

    # The administrator sees the colleague among the members, and the invitation is used up.
    anna.reload()
    assert anna.locator("main table tbody tr", has_text=colleague).count() == 1
    assert anna.locator("main .invitation-row", has_text=colleague).count() == 0
