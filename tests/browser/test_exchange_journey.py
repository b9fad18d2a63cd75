"""Journey (issue 10): an association posts a wish in the frivilligbørs, a company proposes a
deal from it, the association accepts, and `tick` sends the follow-up reminder on the date.
Each person uses their own browser; axe runs on every page on the way."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal import jobs
from portal.core.timeutil import to_local
from portal.database import write_transaction
from portal.extensions import db
from portal.models import User, utcnow
from tests.browser.helpers import check_a11y, log_in, open_mail, path_of, shoot, submit_form
from tests.factories import make_company


def _company_for(live_server, admin_email, name):
    with live_server.app.app_context():
        admin = db.session.scalar(select(User).where(User.email == admin_email))
        slug = make_company(admin=admin, name=name).slug
        db.session.commit()
        db.session.remove()
    return slug


def _tick_follow_ups(live_server, now):
    """The registered tick step, run as `flask tick` would, with the clock at `now`."""
    step = next(s for s in jobs.steps() if s.name == "deal_follow_ups")
    with live_server.app.app_context():
        with write_transaction():
            done = step.load()(now=now)
            db.session.commit()
        db.session.remove()
    return done


def _reminded(live_server, deal_path):
    """When this deal's follow-up reminder went out (None: not yet). Other tests' deals share the
    live database, so the journey looks at its own deal, not at how many tick reminded."""
    from portal.models import Deal

    with live_server.app.app_context():
        sent = db.session.get(Deal, int(deal_path.rsplit("/", 1)[-1])).follow_up_sent_at
        db.session.remove()
    return sent


def test_a_wish_becomes_a_partnership_and_tick_sends_the_follow_up_reminder(new_page, make_person, live_server,
                                                                            make_organisation_for):
    mette = make_person("enggaarden", name="Mette Lund")
    jens = make_person("koebmand", name="Jens Holm")
    make_person("koordinator", name="Anne Møller", coordinator=True)
    org_slug = make_organisation_for(mette, "Enggården")
    _company_for(live_server, jens, "Dragør Købmand")

    # --- the association posts a wish from its own page
    org = new_page()
    log_in(org, mette)
    org.goto(f"/organisations/{org_slug}")
    with org.expect_navigation():
        org.click("main a[href='/exchange/deals']")
    with org.expect_navigation():
        org.click(f"main a[href='/exchange/organisations/{org_slug}/wishes/new']")
    check_a11y(org, "new wish form")
    org.select_option("#kind", "lending")
    org.fill("#title", "En varevogn til sommerudflugten")
    org.fill("#description", "Beboerne skal til Dragør Fort. Vi mangler plads til kørestole og madkurve.")
    submit_form(org, f"main form[action='/exchange/organisations/{org_slug}/wishes/new']")
    match = re.fullmatch(r"/exchange/wishes/(\d+)", path_of(org))
    assert match, f"after posting the wish its page opens, got {org.url}"
    wish_id = match.group(1)
    assert org.locator("main .alert-success").is_visible()

    # --- the company finds it in the børs and proposes a deal
    company = new_page()
    log_in(company, jens)
    company.goto("/exchange?side=wishes")
    check_a11y(company, "the frivilligbørs, wishes only")
    with company.expect_navigation():
        company.click(f"main a[href='/exchange/wishes/{wish_id}']")
    with company.expect_navigation():
        company.click(f"main a[href='/exchange/wishes/{wish_id}/propose']")
    check_a11y(company, "propose a deal")
    assert company.input_value("#company_gives") == "En varevogn til sommerudflugten"
    company.fill("#company_gives", "Vores varevogn en lørdag i juni, med fuld tank.")
    company.fill("#organisation_gives", "Frokost med på udflugten og en tak på Frivillig Fredag.")
    follow_up = to_local(utcnow()).date() + timedelta(days=7)
    company.fill("#follow_up_on-day", str(follow_up.day))
    company.fill("#follow_up_on-month", str(follow_up.month))
    company.fill("#follow_up_on-year", str(follow_up.year))
    submit_form(company, f"main form[action='/exchange/wishes/{wish_id}/propose']")
    match = re.fullmatch(r"/exchange/deals/(\d+)", path_of(company))
    assert match, f"after proposing, the deal's page opens, got {company.url}"
    deal_path = match.group(0)
    assert company.get_attribute("#deal-status", "data-status") == "proposed"
    assert company.locator("main form[action$='/accept']").count() == 0, "the proposer cannot accept"
    check_a11y(company, "a proposed deal seen by the proposer")

    # --- the association follows the e-mail and accepts
    link = open_mail(org, mette, deal_path)
    with org.expect_navigation():
        link.click()
    assert path_of(org) == deal_path
    check_a11y(org, "a proposed deal seen by the other side")
    submit_form(org, "main form[action$='/accept']")
    assert org.get_attribute("#deal-status", "data-status") == "agreed"
    assert "Frokost med på udflugten" in org.inner_text("main")
    check_a11y(org, "a partnership agreement")
    shoot(org, "exchange-agreement")

    # --- the day before nothing happens; on the follow-up date tick reminds once
    _tick_follow_ups(live_server, utcnow() + timedelta(days=5))
    assert _reminded(live_server, deal_path) is None
    later = utcnow() + timedelta(days=8)
    assert _tick_follow_ups(live_server, later) >= 1
    sent = _reminded(live_server, deal_path)
    assert sent is not None
    assert _tick_follow_ups(live_server, later) == 0      # nothing is reminded twice
    assert _reminded(live_server, deal_path) == sent
    reminder = open_mail(company, jens, deal_path)
    assert "Tid til opfølgning" in company.inner_text("main")
    with company.expect_navigation():
        reminder.click()
    assert company.get_attribute("#deal-status", "data-status") == "agreed"
    submit_form(company, "main form[action$='/done']")
    assert company.get_attribute("#deal-status", "data-status") == "done"
    company.fill("#evaluation", "Udflugten blev til noget, og vi fik en god dag med beboerne.")
    submit_form(company, "main form[action$='/evaluate']")
    assert company.get_attribute("#deal-status", "data-status") == "evaluated"
    check_a11y(company, "an evaluated partnership agreement")
