"""Journey (issue 12), the volunteer fund: the coordinator fills in the fund's page and permission,
records a gift from a local company that agreed to be named (first forgetting to note how it
agreed: the message is next to the field and the input kept) and a payout linked to a task; a
visitor sees both on /fund (the company linked to its page, the payout to the task, the totals in
kroner and øre) and the sponsor line on the company's page. axe runs on every fund page in Danish
and English; no page scrolls sideways on a phone."""

import shutil
from datetime import timedelta

from portal.extensions import db
from portal.models import utcnow
from tests.browser.helpers import (SCREENSHOTS, assert_error_next_to, assert_no_sideways_scroll, check_a11y,
                                   check_in_english, log_in, path_of, shoot, submit_form, unique_email)
from tests.factories import make_company, make_organisation, make_task, make_user

SHOTS = "/tmp/shots/fund"


def _world(live_server):
    email = unique_email("anne")
    tag = email[5:11]
    with live_server.app.app_context():
        from portal.tasks.services import ensure_categories
        ensure_categories()
        make_user(email=email, name="Anne Møller", coordinator=True)
        org = make_organisation(admin=make_user(), name=f"Repaircaféen {tag}")
        task = make_task(org, title=f"Repaircafé første lørdag {tag}")
        company = make_company(name=f"Dragør Købmand {tag}")
        db.session.commit()
        world = {"email": email, "task": task.id, "task_title": task.title, "org": org.name,
                 "company": company.name, "company_id": company.id, "slug": company.slug}
        db.session.remove()
    return world


def _fill_date(page, name, day):
    page.fill(f"#{name}-day", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def _keep(name):
    """A copy of the helper's screenshots where the brief wants them looked at."""
    import os
    os.makedirs(SHOTS, exist_ok=True)
    for variant in ("desktop", "phone"):
        source = SCREENSHOTS / f"{name}-{variant}.png"
        if source.exists():
            shutil.copy(source, f"{SHOTS}/{name}-{variant}.png")


def test_the_coordinator_records_a_gift_and_a_payout_and_a_visitor_sees_both(new_page, live_server):
    w = _world(live_server)
    today = utcnow().date()
    anne = new_page()
    log_in(anne, w["email"])
    anne.goto("/fund/manage")
    check_a11y(anne, "fund manage (da)")
    check_in_english(anne, "/fund/manage", "fund manage")

    # The fund's page and its permission.
    with anne.expect_navigation():
        anne.click("main a[href='/fund/manage/settings']")
    check_a11y(anne, "fund settings (da)")
    check_in_english(anne, "/fund/manage/settings", "fund settings")
    anne.fill("#name", "Dragør Frivilligfond")
    anne.fill("#purpose", "Små tilskud til foreningernes frivillige aktiviteter.")
    anne.fill("#rules", "Højst 5.000 kr. pr. ansøgning\nKun foreninger i Dragør")
    anne.fill("#how_to_apply", "Skriv til frivillig@dragoer.dk.")
    anne.fill("#bank_account", "reg. 1234 konto 0001234567")
    anne.fill("#mobilepay", "54321")
    anne.fill("#permission_number", "26-700-00123")
    _fill_date(anne, "permission_valid_until", today + timedelta(days=400))
    submit_form(anne, "main form[action='/fund/manage/settings']")
    assert path_of(anne) == "/fund/manage"

    # A company's gift, named with its consent; the note of how it agreed is forgotten first.
    with anne.expect_navigation():
        anne.click("main a[href='/fund/manage/donors/new']")
    check_a11y(anne, "fund new donor (da)")
    check_in_english(anne, "/fund/manage/donors/new", "fund new donor", screenshot="fund-new-donor")
    _keep("fund-new-donor-en-en")
    anne.check("#kind-1")   # Company
    anne.select_option("#company", label=w["company"])
    anne.check("#show_name")
    submit_form(anne, "main form[action='/fund/manage/donors/new']")
    assert_error_next_to(anne, "consent_note")
    assert anne.is_checked("#show_name") and anne.is_checked("#kind-1")
    check_a11y(anne, "fund new donor with an error (da)")
    anne.fill("#consent_note", "Mail fra indehaveren 3. maj")
    submit_form(anne, "main form[action='/fund/manage/donors/new']")
    assert path_of(anne).startswith("/fund/manage/donors/")
    donor_path = path_of(anne)
    anne.fill("#amount", "1.250,50")
    _fill_date(anne, "given_on", today)
    anne.fill("#note", "Overførsel")
    submit_form(anne, f"main form[action='{donor_path}/gifts']")
    assert "1.250,50 kr." in anne.inner_text("main")
    check_a11y(anne, "fund donor with a gift (da)")
    check_in_english(anne, donor_path, "fund donor with a gift", screenshot="fund-donor")
    _keep("fund-donor-en-en")

    # A payout that made a task possible.
    anne.goto("/fund/manage/payouts/new")
    check_a11y(anne, "fund new payout (da)")
    check_in_english(anne, "/fund/manage/payouts/new", "fund new payout")
    anne.fill("#amount", "2.400")
    _fill_date(anne, "paid_on", today)
    anne.fill("#purpose", "Kaffe og reservedele til repaircaféen")
    anne.fill("#description", "Et år med kaffe og småreservedele.")
    anne.fill("#task", f"/tasks/{w['task']}")
    submit_form(anne, "main form[action='/fund/manage/payouts/new']")
    assert path_of(anne) == "/fund/manage"
    assert w["org"] in anne.inner_text("main")   # the task gave the organisation
    shoot(anne, "fund-manage-da")
    _keep("fund-manage-da")

    # A visitor: the fund's page in both languages, on a desktop and a phone.
    visitor = new_page()
    visitor.goto("/fund")
    check_a11y(visitor, "fund page (da)")
    main = visitor.inner_text("main")
    assert "2.400 kr." in main and "reg. 1234 konto 0001234567" in main and "26-700-00123" in main
    assert visitor.locator(f"main a[href='/tasks/{w['task']}']").inner_text() == "Kaffe og reservedele til repaircaféen"
    company_link = visitor.locator(f"main a[href='/companies/{w['slug']}']")
    assert company_link.inner_text() == w["company"]
    # No amount beside the company's name: the donors' list shows names only.
    assert "1.250,50" not in visitor.inner_text("main ul.fund-donors")
    shoot(visitor, "fund-page-da")
    _keep("fund-page-da")
    check_in_english(visitor, "/fund", "fund page", screenshot="fund-page-en")
    _keep("fund-page-en-en")
    assert_no_sideways_scroll(visitor, "fund page", 390)

    # From the fund to the company, whose page says it supports the fund.
    with visitor.expect_navigation():
        company_link.click()
    assert path_of(visitor) == f"/companies/{w['slug']}"
    sponsor = visitor.locator("main .fund-sponsor-line a[href='/fund#donors']")
    assert sponsor.count() == 1 and "Dragør Frivilligfond" in sponsor.inner_text()
    check_a11y(visitor, "company page with the sponsor line (da)")
    check_in_english(visitor, f"/companies/{w['slug']}", "company page with the sponsor line",
                     screenshot="fund-company-en")
    _keep("fund-company-en-en")
