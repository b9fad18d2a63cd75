"""Suggestions, finding volunteers, invitations and the digest against the real database."""

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.core.matching import AFTERNOON, availability_bit
from portal.extensions import db
from portal.matching import candidates, digest, errors, invitations, suggestions
from portal.models import Category, OutboxMessage, Signup, TaskInvitation, VolunteerProfile
from portal.signups import services as signups
from portal.tasks import services as tasks
from portal.volunteers import services as volunteers
from tests.factories import make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
THURSDAY_13 = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def category(slug):
    return db.session.scalar(select(Category).where(Category.slug == slug))


@pytest.fixture
def dragoer(ctx):
    org = make_organisation(admin=make_user(email="mette@example.dk"), name="Enggården")
    cycling = make_task(org, title="Cykeltur med beboerne", category_slug="older-people")
    cycling.latitude, cycling.longitude = 55.5925, 12.6722
    cycling_slot = make_slot(cycling, starts_at=THURSDAY_13, capacity=6)
    cycling_slot.taken = 4  # two places missing
    other = make_task(org, title="Lektiehjælp", category_slug="homework-reading")
    other.latitude, other.longitude = 55.6375, 12.6417
    make_slot(other, starts_at=THURSDAY_13 - timedelta(days=1, hours=4), capacity=3)
    db.session.flush()
    return org, cycling, cycling_slot


def profile_for(user, **kw):
    values = dict(interests=[category("older-people").id], availability=[3 * 3 + AFTERNOON], skills="",
                  languages="dansk", address="", max_distance_km=None, suggestions_opt_in=True, digest_opt_in=False)
    values.update(kw)
    return volunteers.update_profile(user, **values)


def test_the_issue_example_postcode_aeldre_thursday_afternoons(dragoer):
    org, cycling, slot = dragoer
    karen = make_user(postcode="2791")
    profile = profile_for(karen)
    assert (profile.latitude, profile.longitude) == (55.5925, 12.67222)
    top = suggestions.suggestions_for(karen, now=NOW)
    assert top[0].task == cycling and top[0].slot == slot
    assert top[0].reasons == ["tæt på dig", "du har valgt Ældre", "torsdag eftermiddag passer dig",
                              "2 pladser mangler", "om 4 dage"]


def test_suggestions_leave_out_booked_full_and_too_young(dragoer):
    org, cycling, slot = dragoer
    karen = make_user()
    profile_for(karen)
    signups.sign_up(karen, slot, now=NOW)
    assert slot not in [s.slot for s in suggestions.suggestions_for(karen, now=NOW)]
    teen = make_user(birth_date=date(2012, 1, 1))
    cycling.min_age = 18
    assert cycling not in [s.task for s in suggestions.suggestions_for(teen, now=NOW)]


def test_find_volunteers_shows_only_the_opted_in_ranked(dragoer):
    org, cycling, slot = dragoer
    keen = make_user(name="Keen")
    profile_for(keen)
    shy = make_user(name="Shy")
    profile_for(shy, suggestions_opt_in=False)
    lukewarm = make_user(name="Lukewarm")
    profile_for(lukewarm, interests=[], availability=[])
    found = candidates.find_volunteers(cycling, now=NOW)
    assert [c.user.name for c in found] == ["Keen", "Lukewarm"]
    assert found[0].slot == slot and "interesseret i Ældre" in found[0].reasons
    assert not any("pladser" in r for r in found[0].reasons)  # the organiser knows what is missing


def test_invitations_are_capped_at_two_a_week_across_organisations_and_logged(dragoer):
    org, cycling, slot = dragoer
    ida = make_user(email="ida@example.dk")
    profile_for(ida)
    other_org = make_organisation(admin=make_user())
    other_task = make_task(other_org)
    other_slot = make_slot(other_task, starts_at=THURSDAY_13 + timedelta(days=2))
    invitations.invite(cycling, slot, ida, by=org.memberships[0].user, now=NOW)
    invitations.invite(other_task, other_slot, ida, by=other_org.memberships[0].user, now=NOW + timedelta(hours=1))
    with pytest.raises(errors.InvitationLimit):
        invitations.invite(cycling, slot, ida, by=org.memberships[0].user, now=NOW + timedelta(days=2))
    assert db.session.scalar(select(func.count(TaskInvitation.id))) == 2
    invitations.invite(cycling, slot, ida, by=org.memberships[0].user, now=NOW + timedelta(days=7, minutes=1))
    assert len(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "ida@example.dk")).all()) == 3


def test_an_invitation_signs_up_with_one_click_and_the_mail_can_stop_them(dragoer):
    org, cycling, slot = dragoer
    ida = make_user(email="ida@example.dk")
    profile_for(ida)
    invitations.invite(cycling, slot, ida, by=org.memberships[0].user, now=NOW)
    body = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "ida@example.dk")).one().body_text
    token = body.split("/invitations/task/")[1].split()[0]
    optout = body.split("/invitations/stop/")[1].split()[0]
    invitation = invitations.invitation_by_token(token)
    with pytest.raises(Exception):
        invitations.accept_invitation(invitation, make_user(), now=NOW)  # not the invited person
    invitations.accept_invitation(invitation, ida, now=NOW)
    assert db.session.scalar(select(Signup).where(Signup.user_id == ida.id)).slot_id == slot.id
    invitations.stop_invitations(invitations.profile_by_optout_token(optout))
    assert candidates.find_volunteers(cycling, now=NOW) == []
    with pytest.raises(errors.NotOptedIn):
        invitations.invite(cycling, slot, ida, by=org.memberships[0].user, now=NOW + timedelta(days=8))


def test_the_weekly_digest_sends_new_matches_once_a_week_to_the_opted_in(dragoer):
    org, cycling, slot = dragoer
    ida = make_user(email="ida@example.dk")
    profile_for(ida, digest_opt_in=True)
    bo = make_user(email="bo@example.dk")
    profile_for(bo, digest_opt_in=False)
    cycling.created_at = NOW - timedelta(days=1)
    assert digest.send_digests(now=NOW) == 1
    assert digest.send_digests(now=NOW + timedelta(days=1)) == 0   # not again within the week
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "ida@example.dk")).all()
    assert "Cykeltur med beboerne" in mail.body_text and "du har valgt Ældre" in mail.body_text
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == "bo@example.dk")).all() == []


def test_my_data_export_includes_the_matching_profile_and_invitations(dragoer):
    from portal.account.services import export_data
    org, cycling, slot = dragoer
    ida = make_user()
    profile_for(ida, skills="cykling")
    invitations.invite(cycling, slot, ida, by=org.memberships[0].user, now=NOW)
    data = export_data(ida)["volunteering"]
    assert data["interests"] == ["Ældre"] and data["skills"] == "cykling" and data["may_be_suggested_and_invited"]
    assert [i["task"] for i in data["invitations"]] == ["Cykeltur med beboerne"]


def test_find_volunteers_shows_who_was_already_invited_to_the_task(dragoer):
    org, cycling, slot = dragoer
    ida = make_user()
    profile_for(ida)
    assert candidates.find_volunteers(cycling, now=NOW)[0].invited_to_task_at is None
    invitations.invite(cycling, slot, ida, by=org.memberships[0].user, now=NOW)
    assert candidates.find_volunteers(cycling, now=NOW + timedelta(hours=1))[0].invited_to_task_at == NOW


def test_english_reasons_capitalise_the_weekday(dragoer):
    from flask_babel import force_locale
    org, cycling, slot = dragoer
    karen = make_user(postcode="2791")
    profile_for(karen)
    with force_locale("en"):
        reasons = suggestions.suggestions_for(karen, now=NOW)[0].reasons
    assert "Thursday afternoon suits you" in reasons


def test_showing_suggestions_changes_nothing_in_the_database(dragoer):
    org, cycling, slot = dragoer
    karen = make_user(postcode="2791")
    profile_for(karen)
    db.session.commit()
    before = cycling.updated_at
    shown = suggestions.suggestions_for(karen, now=NOW)
    assert shown and shown[0].task.organisation.name == "Enggården"
    assert not db.session.dirty
    db.session.commit()
    db.session.refresh(cycling)
    assert cycling.updated_at == before


def test_find_volunteers_shows_the_weekly_cap_across_organisations_and_the_last_invitation_to_this_task(dragoer):
    """The cap counts the last seven days' invitations from every organisation; "invited to this
    task on" shows the latest one to this task, however old."""
    org, cycling, slot = dragoer
    ida, bo = make_user(email="ida@example.dk"), make_user(email="bo@example.dk")
    profile_for(ida)
    profile_for(bo)
    elsewhere = make_task(make_organisation(admin=make_user()), title="Besøgsven")
    for n, (user, task, days_ago) in enumerate(((ida, elsewhere, 1), (ida, elsewhere, 3), (ida, cycling, 20),
                                                (ida, cycling, 30), (bo, elsewhere, 8), (bo, cycling, 2))):
        db.session.add(TaskInvitation(task_id=task.id, user_id=user.id, token_hash=f"t{n}",
                                      sent_at=NOW - timedelta(days=days_ago)))
    db.session.flush()
    found = {c.user.email: c for c in candidates.find_volunteers(cycling, now=NOW)}
    assert found["ida@example.dk"].invited_recently and found["ida@example.dk"].invited_to_task_at == NOW - timedelta(days=20)
    assert not found["bo@example.dk"].invited_recently and found["bo@example.dk"].invited_to_task_at == NOW - timedelta(days=2)


def test_find_volunteers_leaves_out_a_clash_and_a_full_month_but_not_a_booking_at_another_time(dragoer):
    """Without a monthly cap only a booking that overlaps the time counts; with one, every
    booking of the time's month does."""
    org, cycling, slot = dragoer
    other = make_task(org, title="Bankospil", category_slug="culture-museum")
    clash = make_slot(other, starts_at=THURSDAY_13 + timedelta(minutes=30), hours=2)
    earlier = make_slot(other, starts_at=THURSDAY_13 - timedelta(days=10), hours=4)
    people = {}
    for email, max_hours, booked in (("clash@example.dk", None, clash), ("free@example.dk", None, earlier),
                                     ("capped@example.dk", 4, earlier), ("room@example.dk", 5, earlier)):
        people[email] = make_user(email=email)
        profile_for(people[email])
        people[email].volunteer_profile.max_hours_per_month = max_hours
        db.session.add(Signup(user_id=people[email].id, slot_id=booked.id, state="confirmed"))
    db.session.flush()
    found = {c.user.email for c in candidates.find_volunteers(cycling, now=NOW - timedelta(days=20))}
    assert found == {"free@example.dk", "room@example.dk"}
