"""The audit log (issue 13): each staff action on approvals or people's data writes one event with the
right actor, subjects and before/after; a roster look logs everyone on it in one statement; old
entries are forgotten; a person's data export lists who has seen their contact details."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal import audit
from portal.auditlog.personal import export_for
from portal.auditlog.services import seen_by_staff
from portal.companies import services as companies
from portal.coordinator import services as coordinator
from portal.extensions import db
from portal.followup import services as followup
from portal.models import (AuditEvent, AuditSubject, CompanyStatus, HoursEntry, HoursStatus, OrganisationStatus,
                           Signup, SignupState, utcnow)
from tests.conftest import counting_queries
from tests.factories import make_company, make_organisation, make_slot, make_task, make_user

UTC = timezone.utc


def events(action=None):
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def subjects(event):
    return sorted(db.session.scalars(select(AuditSubject.user_id).where(AuditSubject.event_id == event.id)))


@pytest.fixture
def people(ctx):
    boss = make_user(name="Koordinator Kirsten", coordinator=True)
    mette = make_user(name="Mette Organisator")
    org = make_organisation(admin=mette, name="Ældresagen Dragør")
    ida, bo = make_user(name="Ida Frivillig"), make_user(name="Bo Frivillig")
    task = make_task(org, title="Cykelture", kind="ongoing")
    slot = make_slot(task, starts_at=utcnow() - timedelta(hours=3), hours=2)
    for person in (ida, bo):
        db.session.add(Signup(slot_id=slot.id, user_id=person.id, state=SignupState.confirmed))
    slot.taken = 2
    db.session.flush()
    return {"boss": boss, "mette": mette, "org": org, "ida": ida, "bo": bo, "task": task, "slot": slot}


def test_approving_and_reinstating_an_organisation_are_logged_with_status_before_and_after(people):
    boss, now = people["boss"], utcnow()
    org = make_organisation(name="Dragør Roklub", status=OrganisationStatus.pending)
    coordinator.approve(org, boss, now=now)
    coordinator.suspend(org, boss, reason="Klager fra borgere", now=now)
    coordinator.reinstate(org, boss, now=now)
    logged = [(e.action, json.loads(e.before), json.loads(e.after)) for e in events()]
    assert logged == [
        ("organisation_approved", {"status": "pending"}, {"status": "approved"}),
        ("organisation_suspended", {"status": "approved"}, {"status": "suspended", "reason": "Klager fra borgere"}),
        ("organisation_reinstated", {"status": "suspended"}, {"status": "approved"}),
    ]
    assert {(e.actor_id, e.actor_name, e.organisation_id, e.object_type) for e in events()} == {
        (boss.id, "Koordinator Kirsten", org.id, "Organisation")}


def test_rejecting_a_company_is_logged_with_the_reason(people):
    company = make_company(name="Tårnby Tømrer ApS", status=CompanyStatus.pending)
    companies.reject(company, people["boss"], reason="Ikke en virksomhed i Dragør", now=utcnow())
    (event,) = events()
    assert event.action == "company_rejected" and event.actor_id == people["boss"].id
    assert json.loads(event.after) == {"status": "rejected", "reason": "Ikke en virksomhed i Dragør"}
    assert event.summary == "Tårnby Tømrer ApS"


def test_a_børneattest_record_names_the_volunteer_and_its_change(people):
    org, ida, mette = people["org"], people["ida"], people["mette"]
    followup.set_clearance(org.id, ida, approved=True, checked_on=date(2026, 1, 5), checked_by=mette, now=utcnow())
    followup.set_clearance(org.id, ida, approved=False, checked_on=date(2026, 2, 5), checked_by=mette, now=utcnow())
    first, second = events("clearance_recorded")
    assert subjects(first) == [ida.id] and first.actor_id == mette.id and first.organisation_id == org.id
    assert first.before is None and json.loads(first.after) == {"status": "approved", "checked_on": "2026-01-05"}
    assert json.loads(second.before) == {"status": "approved", "checked_on": "2026-01-05"}
    assert json.loads(second.after) == {"status": "refused", "checked_on": "2026-02-05"}


def test_changing_attendance_is_logged_once_per_change(people):
    signup = db.session.scalar(select(Signup).where(Signup.user_id == people["ida"].id))
    followup.mark_attendance(signup, True, now=utcnow(), by=people["mette"])
    followup.mark_attendance(signup, True, now=utcnow(), by=people["mette"])      # the same again: no news
    followup.mark_attendance(signup, False, now=utcnow(), by=people["mette"])
    changes = [(json.loads(e.before), json.loads(e.after), subjects(e), e.actor_id)
               for e in events("attendance_changed")]
    assert changes == [({"attendance": None}, {"attendance": "attended"}, [people["ida"].id], people["mette"].id),
                       ({"attendance": "attended"}, {"attendance": "no_show"}, [people["ida"].id], people["mette"].id)]


def test_approving_logged_hours_is_logged_with_the_minutes(people):
    entry = HoursEntry(task_id=people["task"].id, user_id=people["bo"].id, worked_on=date(2026, 3, 1), minutes=90)
    db.session.add(entry)
    db.session.flush()
    followup.decide_hours(entry, approve=False, by=people["mette"], now=utcnow())
    (event,) = events("hours_decided")
    assert subjects(event) == [people["bo"].id] and event.actor_id == people["mette"].id
    assert json.loads(event.before) == {"status": "pending", "minutes": 90}
    assert json.loads(event.after) == {"status": HoursStatus.rejected.value, "minutes": 90}


def test_a_roster_look_logs_everyone_on_it_with_one_insert_for_the_subjects(app, people):
    many = [make_user(name=f"Frivillig {n}") for n in range(40)]
    db.session.commit()
    with counting_queries(app) as statements:
        event = seen_by_staff(people["mette"], "roster_exported", task=people["task"],
                              people=[u.id for u in many] + [many[0].id], now=utcnow())
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO AUDIT_SUBJECTS")]
    assert len(inserts) == 1
    assert subjects(event) == sorted(u.id for u in many)
    assert event.summary == "Cykelture" and event.organisation_id == people["org"].id


def test_an_empty_roster_is_not_logged(people):
    assert seen_by_staff(people["mette"], "roster_viewed", slot=people["slot"], people=[], now=utcnow()) is None
    assert events() == []


def test_forgetting_deletes_only_entries_older_than_the_stated_period(app, people):
    now = datetime(2027, 6, 1, 12, tzinfo=UTC)
    keep = app.config.get("AUDIT_KEEP_DAYS", 1095)
    old = seen_by_staff(people["mette"], "roster_viewed", slot=people["slot"], people=[people["ida"].id],
                        now=now - timedelta(days=keep + 1))
    young = seen_by_staff(people["mette"], "roster_viewed", slot=people["slot"], people=[people["ida"].id],
                          now=now - timedelta(days=keep - 1))
    old_id, young_id = old.id, young.id
    assert audit.forget_old(now=now) == 1
    assert audit.forget_old(now=now) == 0                      # idempotent: a second node finds nothing
    db.session.expire_all()
    assert [e.id for e in events()] == [young_id]
    assert db.session.scalar(select(func.count()).select_from(AuditSubject)
                             .where(AuditSubject.event_id == old_id)) == 0


def test_the_data_export_lists_who_has_seen_my_contact_details(people):
    seen_by_staff(people["mette"], "roster_exported", task=people["task"], people=[people["ida"].id], now=utcnow())
    seen_by_staff(people["mette"], "roster_viewed", slot=people["slot"], people=[people["bo"].id], now=utcnow())
    mine = export_for(people["ida"])
    assert [(s["who"], s["organisation"], s["what"]) for s in mine["seen_by"]] == [
        ("Mette Organisator", "Ældresagen Dragør", "roster_exported")]
    assert mine["assisted_profile"] is None and mine["messages_received"] == [] and mine["call_list"] == []
    assert mine["small_jobs"] == {"monthly_limit_hours": None}
    json.dumps(mine)  # the export is JSON


def test_an_administrator_removing_a_member_is_logged(people):
    from portal.models import Membership
    from portal.organisations import services as organisations
    from tests.factories import add_member

    membership = add_member(people["org"], people["bo"])
    organisations.remove_member(people["org"], membership, now=utcnow(), by=people["mette"])
    (event,) = events("membership_changed")
    assert event.actor_id == people["mette"].id and subjects(event) == [people["bo"].id]
    assert json.loads(event.before) == {"status": "approved", "role": "member"}
    assert json.loads(event.after) == {"status": "removed"}
    assert db.session.get(Membership, membership.id).status.value == "removed"
