"""Journey (issue 12), the awards from nomination to the hall of fame: a citizen nominates a volunteer,
who says yes by the mailed link; the nominations close; a jury member declares a conflict with one
nominee (and the page shows why that nominee cannot be scored) and scores the volunteer; the
coordinator reads the tally and records the winner with a motivation; the announcement time passes
(moved in the database); tick thanks the nominees; the winner is in the hall of fame on /awards and
the certificate link in the winner's mail opens. axe runs on every jury page in Danish and English;
screenshots go to build/screenshots (and /tmp/shots/jury when that folder exists)."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portal import jobs
from portal.database import write_transaction
from portal.extensions import db
from portal.models import AwardYear, Nomination, NominationConsent, User, utcnow
from tests.browser.helpers import (SCREENSHOTS, check_a11y, check_in_english, log_in, open_mail, path_of, shoot,
                                   submit_form)
from tests.factories import make_award_category, make_award_year, make_jury_member, make_nomination

SHOTS = Path("/tmp/shots/jury")
YEAR = 2038


def _shoot(page, name):
    shoot(page, name)
    if SHOTS.is_dir():
        for kind in ("desktop", "phone"):
            shutil.copy(SCREENSHOTS / f"{name}-{kind}.png", SHOTS / f"{name}-{kind}.png")


def _both_languages(page, path, name, screenshot=None):
    """axe on `path` in Danish and in English, with screenshots of both when asked."""
    page.goto(path)
    check_a11y(page, f"{name} (da)")
    if screenshot:
        _shoot(page, f"{screenshot}-da")
    check_in_english(page, path, name)
    if screenshot:
        page.goto(path + ("&" if "?" in path else "?") + "lang=en")
        _shoot(page, f"{screenshot}-en")
        page.goto(path + ("&" if "?" in path else "?") + "lang=da")


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _set_dates(live_server, **dates):
    with live_server.app.app_context():
        year = db.session.scalar(select(AwardYear).where(AwardYear.year == YEAR))
        for name, value in dates.items():
            setattr(year, name, value)
        db.session.commit()
        db.session.remove()


def _tick(live_server, name, now):
    step = next(s for s in jobs.steps() if s.name == name)
    with live_server.app.app_context():
        with write_transaction():
            done = step.load()(now=now)
            db.session.commit()
        db.session.remove()
    return done


def test_a_nominee_goes_from_nomination_through_the_jury_to_the_hall_of_fame_with_a_certificate(
        new_page, make_person, live_server):
    citizen = make_person("borger", name="Sofie Jensen")
    volunteer = make_person("frivillig", name="Birthe Andersen")
    neighbour = make_person("nabo", name="Ole Nabo")
    mayor = make_person("borgmester", name="Helle Rasmussen")
    coordinator = make_person("koordinator", name="Anne Møller", coordinator=True)
    with live_server.app.app_context():
        year = make_award_year(phase="nominating", year=YEAR)
        category = make_award_category(year, name="Årets frivillige", sort_order=1)
        make_award_category(year, name="Årets forening", kind="association", sort_order=2)
        # Another nominee the mayor knows: already public.
        other = make_nomination(category, nominee=_user(neighbour),
                                reason="Ole passer bænkene ved havnen og maler dem hvert forår.")
        make_jury_member(year, _user(mayor), title="Borgmester")
        db.session.commit()
        category_id, other_id = category.id, other.id
        db.session.remove()

    # --- a citizen nominates the volunteer
    nominator = new_page()
    log_in(nominator, citizen)
    nominator.goto(f"/awards/{YEAR}/nominate?category={category_id}")
    nominator.fill("#nominee_name", "Birthe Andersen")
    nominator.fill("#nominee_email", volunteer)
    nominator.fill("#reason", "Birthe har holdt repaircaféen på biblioteket åben hver torsdag i ti år og "
                              "lært tyve naboer at reparere deres egne ting.")
    submit_form(nominator, f"main form[action^='/awards/{YEAR}/nominate']")
    with live_server.app.app_context():
        nomination = db.session.scalar(select(Nomination).where(Nomination.nominee_name == "Birthe Andersen"))
        assert nomination is not None and nomination.consent is NominationConsent.pending
        nomination_id = nomination.id
        db.session.remove()

    # --- the volunteer says yes through the mailed link
    nominee = new_page()
    log_in(nominee, volunteer)
    link = open_mail(nominee, volunteer, "/awards/consent/")
    with nominee.expect_navigation():
        link.click()
    with nominee.expect_navigation():
        nominee.click("main button[name=answer][value=yes]")
    with live_server.app.app_context():
        assert db.session.get(Nomination, nomination_id).consent is NominationConsent.given
        db.session.remove()

    # --- the nominations close; the jury is at work
    now = utcnow()
    _set_dates(live_server, nominations_open_at=now - timedelta(days=40), nominations_close_at=now - timedelta(days=2),
               jury_starts_at=now - timedelta(days=1), announce_at=now + timedelta(days=10))

    # Someone not on the jury finds nothing there.
    nominator.goto(f"/awards/{YEAR}/jury")
    assert nominator.locator("main h1").count() == 1 and "404" in nominator.inner_text("main")

    member = new_page()
    log_in(member, mayor)
    _both_languages(member, f"/awards/{YEAR}/jury", "jury page", screenshot="jury-page")
    assert member.locator(f"li[data-nomination='{nomination_id}'] [data-state=open]").count() == 1

    # A conflict with the neighbour: declared with a private note, then the page says why no score.
    member.goto(f"/awards/{YEAR}/jury/{other_id}")
    check_a11y(member, "jury nomination before scoring (da)")
    member.fill("#conflict-form #note", "Ole er min nabo.")
    submit_form(member, f"main form[action='/awards/{YEAR}/jury/{other_id}/conflict']")
    assert path_of(member) == f"/awards/{YEAR}/jury"
    assert member.locator(f"li[data-nomination='{other_id}'] [data-state=conflict]").count() == 1
    _both_languages(member, f"/awards/{YEAR}/jury/{other_id}", "jury nomination with a conflict",
                    screenshot="jury-conflict")
    assert member.locator("#score-form").count() == 0 and member.locator("#jury-conflict").is_visible()

    # The volunteer gets a score and a note.
    _both_languages(member, f"/awards/{YEAR}/jury/{nomination_id}", "jury nomination",
                    screenshot="jury-nomination")
    member.check("#score-8")      # the ninth radio: score 9
    assert member.get_attribute("#score-8", "value") == "9"
    member.fill("#score-form #note", "Ti års trofast indsats. Stærk kandidat.")
    submit_form(member, f"main form[action='/awards/{YEAR}/jury/{nomination_id}/score']")
    assert member.locator(f"li[data-nomination='{nomination_id}'] [data-state=scored]").count() == 1
    check_a11y(member, "jury page after scoring")

    # --- the coordinator: the jury, the tally, the winner
    staff = new_page()
    log_in(staff, coordinator)
    _both_languages(staff, f"/awards/{YEAR}/jury/members", "jury members", screenshot="jury-members")
    with live_server.app.app_context():
        mayor_member = db.session.scalar(select(User).where(User.email == mayor)).id
        from portal.models import JuryMember
        member_id = db.session.scalar(select(JuryMember.id).where(JuryMember.user_id == mayor_member))
        db.session.remove()
    _both_languages(staff, f"/awards/{YEAR}/jury/members/{member_id}/remove", "remove a jury member")
    _both_languages(staff, f"/awards/{YEAR}/tally", "tally", screenshot="jury-tally")
    row = staff.locator(f"tr[data-nomination='{nomination_id}']")
    assert row.locator(".tally-average").inner_text() == "9,0"
    assert staff.locator(f"tr[data-nomination='{other_id}'] .tally-conflicts").inner_text() == "1"
    assert "Ole er min nabo." in staff.locator(".tally-details").first.text_content()
    with staff.expect_navigation():
        staff.click(f"#record-winner-{category_id}")
    _both_languages(staff, f"/awards/{YEAR}/tally/{category_id}/winner", "record the winner",
                    screenshot="jury-winner")
    staff.check(f"input[name=nomination][value='{nomination_id}']")
    staff.fill("#motivation", "Birthe viser, at frivillighed er at dele det, man kan. Hver torsdag i ti år har "
                              "hun lært naboer at reparere i stedet for at smide ud.")
    submit_form(staff, "#winner-form")
    assert path_of(staff) == f"/awards/{YEAR}/tally"
    assert staff.locator(f"#winner-{category_id} .tally-winner-name").inner_text() == "Birthe Andersen"

    # --- the announcement time passes; tick thanks the nominees
    _set_dates(live_server, announce_at=utcnow() - timedelta(minutes=1))
    assert _tick(live_server, "award_thanks", utcnow()) == 2
    assert _tick(live_server, "award_thanks", utcnow()) == 0

    staff.goto(f"/awards/{YEAR}/tally")
    assert staff.locator(f"#record-winner-{category_id}").count() == 0
    check_a11y(staff, "tally after the announcement")

    visitor = new_page()
    visitor.goto("/awards")
    assert "Birthe Andersen" in visitor.inner_text("main")
    visitor.goto(f"/awards/{YEAR}")
    assert "Birthe Andersen" in visitor.inner_text("main")

    link = open_mail(nominee, volunteer, "/certificates/")
    assert "Birthe viser, at frivillighed" in nominee.inner_text("pre.mail-body")
    href = link.get_attribute("href")
    assert re.search(r"/certificates/[A-Za-z0-9_-]{10,32}$", href), href
    with nominee.expect_navigation():
        link.click()
    assert path_of(nominee).startswith("/certificates/")
    assert "Birthe Andersen" in nominee.inner_text("main")
    check_a11y(nominee, "the winner's certificate page")

    # The neighbour was thanked too, with a nominee's certificate.
    thanks = open_mail(nominee, neighbour, "/certificates/")
    assert thanks.count() == 1
