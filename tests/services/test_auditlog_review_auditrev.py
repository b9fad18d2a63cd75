"""Review (auditrev): staff actions on people's data that were not in the audit log yet."""

from sqlalchemy import select

from portal import access
from portal.companies import services as companies
from portal.help import services as help_services
from portal.ideas import moderation
from portal.extensions import db
from portal.models import AuditEvent, AuditSubject, CompanyMembership, IdeaComment, utcnow
from tests.factories import make_company, make_help_request, make_idea, make_organisation, make_user


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _subjects(event):
    return sorted(db.session.scalars(select(AuditSubject.user_id).where(AuditSubject.event_id == event.id)))


def test_passing_a_citizens_help_request_to_an_organisation_is_logged(ctx):
    boss = make_user(name="Kirsten Koordinator", coordinator=True)
    org = make_organisation(admin=make_user(), name="Besøgstjenesten")
    citizen = make_user(name="Else Jensen")
    request = make_help_request(user_id=citizen.id)
    help_services.pass_request(request, org, by=boss, note=None, now=utcnow())
    [event] = _events("help_request_passed")
    assert event.actor_id == boss.id and event.organisation_id == org.id
    assert _subjects(event) == [citizen.id]
    help_services.close(request, by=boss, note="Klaret", now=utcnow())
    [closed] = _events("help_request_closed")
    assert closed.actor_id == boss.id and _subjects(closed) == [citizen.id]


def test_hiding_and_showing_again_someones_writing_is_logged_with_the_author(ctx):
    boss, author = make_user(name="Kirsten Koordinator", coordinator=True), make_user(name="Jens Skribent")
    idea = make_idea(make_user())
    comment = IdeaComment(idea_id=idea.id, author_id=author.id, body="Min nabo Jens …")
    db.session.add(comment)
    db.session.flush()
    moderation.hide(comment, boss, rule="personal_data", reason="Uden navn, tak.", now=utcnow())
    [event] = _events("content_hidden")
    assert event.actor_id == boss.id and _subjects(event) == [author.id]
    assert "Uden navn" in event.after
    assert "Min nabo" not in event.summary and event.summary == idea.title   # not the hidden text itself
    moderation.show_again(comment, by=boss, now=utcnow())
    [shown] = _events("content_shown_again")
    assert shown.actor_id == boss.id and _subjects(shown) == [author.id]


def test_removing_a_company_administrator_is_logged(ctx):
    admin, colleague = make_user(name="Anne Admin"), make_user(name="Carl Kollega")
    company = make_company(admin=admin)
    db.session.add(CompanyMembership(company_id=company.id, user_id=colleague.id))
    db.session.flush()
    target = access.company_membership(colleague, company)
    companies.remove_admin(company, target, now=utcnow(), by=admin)
    [event] = _events("membership_changed")
    assert event.actor_id == admin.id and _subjects(event) == [colleague.id]


def test_the_demo_log_reads_newest_first_like_the_page_says(ctx):
    """The page lists by id, newest first; the demo's lines must have been written in time order, or the
    coordinator reads 10 November above 27 November above 16 October."""
    from portal.auditlog import queries
    from tools.demo import load_demo_data, load_demo_profiles, load_demo_tasks
    from tools.demo_auditlog import load
    from tools.demo_companies import load_demo_companies
    from tools.demo_events import load_demo_events
    from tools.demo_recognition import load_demo_recognition

    now = utcnow()
    load_demo_data(now=now)
    load_demo_tasks(now=now)
    load_demo_profiles()
    load_demo_companies(now=now)
    load_demo_events(now=now)
    load_demo_recognition(now=now)
    db.session.commit()
    load(now)
    shown = [row.event.at for row in queries.page(queries.Filters()).rows]
    assert len(shown) >= 8 and shown == sorted(shown, reverse=True)


def test_a_date_in_the_changes_reads_as_the_portal_writes_dates():
    from portal.auditlog.labels import value_label

    assert value_label("2026-11-10") == "10-11-2026"
    assert value_label("2026-11-10x") == "2026-11-10x" and value_label("9999-99-99") == "9999-99-99"
