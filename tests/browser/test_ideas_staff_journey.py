"""Journey (issue 11), staff's side of the ideas box: the coordinator publishes "accepted" on an idea
with two supporters and a helper, and the author and the supporters get the answer by mail;
Wiedergården takes the idea on, publishes the task, tick runs and the helper is invited first.
Then moderation: a reported comment is hidden with a reason its author sees. axe runs on every
staff page in Danish and English; screenshots go to build/screenshots and /tmp/brief/shots."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portal import jobs
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (HelpPledge, Idea, IdeaComment, IdeaSupport, Report, ReportReason, TaskInvitation, User,
                           VolunteerProfile, utcnow)
from tests.browser.helpers import (SCREENSHOTS, check_a11y, check_in_english, log_in, open_mail, path_of, shoot,
                                   submit_form)
from tests.factories import make_idea, make_slot

SHOTS = Path("/tmp/brief/shots")


def _shoot(page, name):
    """The usual screenshots (and the phone-width check), copied to where the brief's reviewer looks."""
    shoot(page, name)
    if SHOTS.is_dir():
        for kind in ("desktop", "phone"):
            shutil.copy(SCREENSHOTS / f"{name}-{kind}.png", SHOTS / f"{name}-{kind}.png")


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _tick(live_server, name, now):
    step = next(s for s in jobs.steps() if s.name == name)
    with live_server.app.app_context():
        with write_transaction():
            done = step.load()(now=now)
            db.session.commit()
        db.session.remove()
    return done


def _both_languages(page, path, name, screenshot=None):
    """axe on `path` in Danish (the session's language) and English, with screenshots of both."""
    page.goto(path)
    check_a11y(page, f"{name} (da)")
    if screenshot:
        _shoot(page, f"{screenshot}-da")
    check_in_english(page, path, name, screenshot=None)
    if screenshot:
        page.goto(path + ("&" if "?" in path else "?") + "lang=en")
        _shoot(page, f"{screenshot}-en")
        page.goto(path + ("&" if "?" in path else "?") + "lang=da")


def test_an_answer_reaches_supporters_and_the_idea_becomes_a_task_with_its_helper_invited_first(
        new_page, make_person, live_server, make_organisation_for):
    author = make_person("forfatter", name="Sofie Jensen")
    fans = [make_person("stoette", name="Karen Holm"), make_person("stoette", name="Ole Berg")]
    helper = make_person("hjaelper", name="Yusuf Ali")
    coordinator = make_person("koordinator", name="Anne Møller", coordinator=True)
    wiede = make_person("wiede", name="Lars Wiede")
    org_slug = make_organisation_for(wiede, "Wiedergården")
    with live_server.app.app_context():
        idea = make_idea(_user(author), title="Brætspil med beboerne på Wiedergården",
                         body="Unge kunne komme og spille brætspil med beboerne en eftermiddag om ugen.",
                         who_it_helps="Beboerne og de unge", support_count=2, help_count=1)
        for email in fans:
            db.session.add(IdeaSupport(idea_id=idea.id, user_id=_user(email).id))
        db.session.add(HelpPledge(idea_id=idea.id, user_id=_user(helper).id, note="Tirsdage efter skole"))
        db.session.add(VolunteerProfile(user_id=_user(helper).id, suggestions_opt_in=True))
        db.session.commit()
        idea_id = idea.id
        db.session.remove()

    # --- the coordinator finds the idea on the list and publishes "accepted"
    staff = new_page()
    log_in(staff, coordinator)
    _both_languages(staff, "/ideas/staff", "ideas to answer", screenshot="ideas-staff-list")
    with staff.expect_navigation():
        staff.click(f"main a[href='/ideas/{idea_id}/answer']")
    _both_languages(staff, f"/ideas/{idea_id}/answer", "answer an idea", screenshot="ideas-staff-answer")
    staff.check("#state-1")  # accepted (new is not offered)
    assert staff.get_attribute("#state-1", "value") == "accepted"
    staff.fill("#answer", "Ja tak! Vi spørger foreningerne, om nogen vil tage den op.")
    with staff.expect_navigation():
        staff.click("main button[name=publish]")
    assert path_of(staff) == f"/ideas/{idea_id}/answer"
    assert staff.locator("main .alert-success").is_visible()
    check_a11y(staff, "an answer just published")

    for email in (author, *fans):
        link = open_mail(staff, email, f"/ideas/{idea_id}")
        assert "Vi spørger foreningerne" in staff.inner_text("pre.mail-body")
        assert link.count() == 1

    # --- Wiedergården takes it on and publishes the task; tick invites the helper first
    member = new_page()
    log_in(member, wiede)
    member.goto(f"/ideas/{idea_id}")
    with member.expect_navigation():
        member.click(f"main a[href='/ideas/{idea_id}/take-on']")
    _both_languages(member, f"/ideas/{idea_id}/take-on", "take an idea on", screenshot="ideas-staff-take-on")
    submit_form(member, f"main form[action='/ideas/{idea_id}/take-on']")
    match = re.fullmatch(r"/tasks/(\d+)/edit", path_of(member))
    assert match, f"taking the idea on opens the task's edit page, got {member.url}"
    task_id = int(match.group(1))
    with live_server.app.app_context():
        make_slot(db.session.get(Idea, idea_id).task, starts_at=utcnow() + timedelta(days=10), capacity=6)
        db.session.commit()
        db.session.remove()
    member.goto(f"/tasks/{task_id}/times")
    with member.expect_navigation():
        member.click(f"main form[action='/tasks/{task_id}/status'] button[value=published]")
    # Publishing invited the helper in the same request; the tick that follows finds nothing left.
    now = utcnow()
    assert _tick(live_server, "idea_helpers_invited", now) == 0   # nobody is invited twice
    with live_server.app.app_context():
        [invitation] = db.session.scalars(select(TaskInvitation).where(TaskInvitation.task_id == task_id)).all()
        assert invitation.user_id == _user(helper).id
        db.session.remove()
    invited = new_page()
    log_in(invited, helper)
    link = open_mail(invited, helper, f"/tasks/{task_id}")
    assert link.count() >= 1


def test_a_reported_comment_is_hidden_with_a_reason_its_author_sees(new_page, make_person, live_server,
                                                                    make_organisation_for):
    writer = make_person("kommentar", name="Bo Nielsen")
    coordinator = make_person("koordinator", name="Anne Møller", coordinator=True)
    librarian = make_person("bibliotek", name="Hanne Bibliotekar")
    make_organisation_for(librarian, "Dragør Bibliotek")
    with live_server.app.app_context():
        idea = make_idea(None, title="Flere bænke ved havnen", author_name="Grete")
        comment = IdeaComment(idea_id=idea.id, author_id=_user(writer).id,
                              body="Spørg min nabo Jens Hansen, Vestgrønningen 3, han har en bænk.")
        db.session.add(comment)
        db.session.flush()
        db.session.add(Report(comment_id=comment.id, reason=ReportReason.personal_data, note="Navn og adresse"))
        db.session.commit()
        idea_id, comment_id = idea.id, comment.id
        db.session.remove()

    staff = new_page()
    log_in(staff, coordinator)
    _both_languages(staff, "/ideas/reports", "reports", screenshot="ideas-staff-reports")
    with staff.expect_navigation():
        staff.click(f"main a[href='/ideas/comments/{comment_id}/hide']")
    _both_languages(staff, f"/ideas/comments/{comment_id}/hide", "hide a comment", screenshot="ideas-staff-hide")
    assert staff.is_checked("#rule-0")  # the reported rule is chosen already
    staff.fill("#reason", "Kommentaren nævner en nabo med navn og adresse. Skriv den gerne igen uden.")
    submit_form(staff, f"main form[action='/ideas/comments/{comment_id}/hide']")
    assert path_of(staff) == "/ideas/reports"
    assert staff.locator("main .alert-success").is_visible()
    _both_languages(staff, "/ideas/rules", "house rules", screenshot="ideas-staff-rules")
    # The hidden comment is listed on the idea's answer page, where it can be shown again.
    staff.goto(f"/ideas/{idea_id}/answer")
    assert staff.locator(f"main form[action='/ideas/comments/{comment_id}/show']").count() == 1
    check_a11y(staff, "answer page with a hidden comment")

    author = new_page()
    log_in(author, writer)
    author.goto(f"/ideas/{idea_id}")
    assert "Skriv den gerne igen uden" in author.inner_text("main")
    open_mail(author, writer, "/ideas/rules")
    assert "Skriv den gerne igen uden" in author.inner_text("pre.mail-body")

    # --- the library types in an idea from paper
    library = new_page()
    log_in(library, librarian)
    _both_languages(library, "/ideas/paper", "an idea from paper", screenshot="ideas-staff-paper")
    library.check("#channel-0")
    library.fill("#title", "Højtlæsning for de mindste")
    library.fill("#body", "En bedstemor foreslog højtlæsning for børn i biblioteket lørdag formiddag.")
    submit_form(library, "main form[action='/ideas/paper']")
    assert re.fullmatch(r"/ideas/\d+", path_of(library)), library.url
    with live_server.app.app_context():
        made = db.session.scalar(select(Idea).where(Idea.title == "Højtlæsning for de mindste"))
        assert made.channel.value == "library" and made.is_visible
        db.session.remove()
