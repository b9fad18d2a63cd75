"""Team sign-ups (issue 10): N seats of one time for named colleagues, all or nothing."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.companies import team_services as teams
from portal.core.teams import Fit
from portal.errors import InvalidState, NotAllowed
from portal.extensions import db
from portal.models import (Clearance, ClearanceStatus, OutboxMessage, Signup, SignupState, Skill, TeamSignup)
from portal.signups import services as signups
from tests.factories import link_employee, make_company, make_organisation, make_slot, make_task, make_user

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
FRIDAY = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(ctx):
    boss = make_user(name="Bent Købmand")
    company = make_company(admin=boss, name="Dragør Købmand", supports=("team_days",))
    org = make_organisation(admin=make_user(), name="Enggården")
    task = make_task(org, title="Havedag i Enggårdens have")
    task.team_size = 6
    slot = make_slot(task, starts_at=FRIDAY, hours=4, capacity=10)
    staff = [make_user(name=name, email=f"{name.split()[0].lower()}@example.dk", locale=locale)
             for name, locale in (("Anna Holm", "da"), ("Bo Jensen", "en"), ("Carl Nielsen", "da"),
                                  ("Dorte Lund", "da"))]
    for person in staff:
        link_employee(person, company)
    return company, boss, task, slot, staff


def counts(slot):
    db.session.refresh(slot)
    confirmed = db.session.scalar(select(func.count(Signup.id)).where(
        Signup.slot_id == slot.id, Signup.state == SignupState.confirmed))
    return slot.taken, confirmed


def test_a_team_takes_n_seats_and_each_colleague_gets_their_own_confirmation_in_their_language(world):
    company, boss, task, slot, staff = world
    team = teams.sign_up_team(company, slot, staff, booked_by=boss, now=NOW)
    assert team.seats == 4 and counts(slot) == (4, 4)
    seats = db.session.scalars(select(Signup).where(Signup.team_signup_id == team.id)).all()
    assert {s.user_id for s in seats} == {p.id for p in staff}
    mails = {m.to_email: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mails) == {p.email for p in staff}
    assert "Dragør Købmand" in mails["anna@example.dk"].body_text
    assert "Havedag" in mails["anna@example.dk"].subject and "tilmeldt" in mails["anna@example.dk"].subject
    assert "signed up" in mails["bo@example.dk"].subject  # Bo reads English
    assert b"BEGIN:VEVENT" in mails["carl@example.dk"].attachment
    # Each seat is the colleague's own: it is on their own page.
    assert [s.slot_id for s in signups.overview(staff[0], now=NOW).upcoming] == [slot.id]


def test_more_people_than_the_task_takes_are_refused_and_nothing_is_saved(world):
    company, boss, task, slot, staff = world
    task.team_size = 3
    with pytest.raises(teams.TeamError, match="3"):
        teams.sign_up_team(company, slot, staff, booked_by=boss, now=NOW)
    assert counts(slot) == (0, 0)


def test_a_task_not_marked_for_teams_is_refused(world):
    company, boss, task, slot, staff = world
    task.team_size = None
    with pytest.raises(InvalidState):
        teams.sign_up_team(company, slot, staff[:2], booked_by=boss, now=NOW)
    assert counts(slot) == (0, 0)


def test_one_colleague_who_cannot_come_stops_the_whole_team_and_is_named_with_the_reason(world):
    company, boss, task, slot, staff = world
    task.min_age = 18
    staff[2].birth_date = date(2010, 1, 1)  # Carl is 16
    with pytest.raises(teams.ColleaguesCannotCome) as caught:
        teams.sign_up_team(company, slot, staff, booked_by=boss, now=NOW)
    assert [name for name, _ in caught.value.who] == ["Carl Nielsen"]
    assert "Carl Nielsen" in str(caught.value.message) and "18" in str(caught.value.message)
    assert counts(slot) == (0, 0)
    assert db.session.scalar(select(func.count(TeamSignup.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_missing_børneattest_an_overlap_and_an_existing_signup_are_each_named(world):
    company, boss, task, slot, staff = world
    task.needs_child_certificate = True
    for person in staff[1:]:
        db.session.add(Clearance(user_id=person.id, organisation_id=task.organisation_id,
                                 status=ClearanceStatus.approved, checked_on=date(2026, 11, 1)))
    other = make_slot(make_task(task.organisation), starts_at=FRIDAY + timedelta(hours=1), capacity=5)
    signups.sign_up(staff[1], other, now=NOW)
    signups.sign_up(staff[2], slot, now=NOW)
    with pytest.raises(teams.ColleaguesCannotCome) as caught:
        teams.sign_up_team(company, slot, staff, booked_by=boss, now=NOW)
    who = dict(caught.value.who)
    assert set(who) == {"Anna Holm", "Bo Jensen", "Carl Nielsen"}
    assert "børneattest" in who["Anna Holm"][0]
    # Where else Bo volunteers is his to tell: the employer only learns that the time does not fit.
    assert who["Bo Jensen"] == ["cannot take this time (ask them; the reason is theirs to share)"] or \
        who["Bo Jensen"] == ["kan ikke tage denne tid (spørg vedkommende; grunden er deres egen)"]
    assert "same time" not in who["Bo Jensen"][0] and "samme tid" not in who["Bo Jensen"][0]
    assert counts(slot) == (1, 1)


def test_a_full_time_saves_nothing_and_says_how_many_places_are_free(world):
    company, boss, task, slot, staff = world
    slot.capacity = 5
    for _ in range(2):
        signups.sign_up(make_user(), slot, now=NOW)
    with pytest.raises(teams.NotEnoughSeats) as caught:
        teams.sign_up_team(company, slot, staff, booked_by=boss, now=NOW)
    assert caught.value.free == 3 and "3" in str(caught.value.message)
    # The savepoint took everything back, even before the caller rolls back.
    assert counts(slot) == (2, 2)
    assert db.session.scalar(select(func.count(TeamSignup.id))) == 0


def test_a_colleague_cancels_their_own_seat_and_the_rest_of_the_team_stays(world):
    company, boss, task, slot, staff = world
    team = teams.sign_up_team(company, slot, staff, booked_by=boss, now=NOW)
    mine = db.session.scalar(select(Signup).where(Signup.user_id == staff[0].id, Signup.slot_id == slot.id))
    signups.cancel(mine, now=NOW)
    assert mine.state is SignupState.cancelled
    assert counts(slot) == (3, 3)
    left = db.session.scalars(select(Signup).where(Signup.team_signup_id == team.id,
                                                   Signup.state == SignupState.confirmed)).all()
    assert {s.user_id for s in left} == {p.id for p in staff[1:]}


@pytest.mark.parametrize("how", ["not_linked", "not_sharing", "unlinked"])
def test_a_person_who_is_not_a_linked_colleague_sharing_their_name_is_refused(world, how):
    company, boss, task, slot, staff = world
    stranger = make_user(name="Fremmed")
    if how == "not_sharing":
        link_employee(stranger, company, share_name=False)
    elif how == "unlinked":
        link_employee(stranger, company).removed_at = NOW
    with pytest.raises(teams.TeamError):
        teams.sign_up_team(company, slot, [staff[0], stranger], booked_by=boss, now=NOW)
    assert counts(slot) == (0, 0)
    assert stranger.id not in {p.id for p in teams.colleagues(company)}


def test_only_the_companys_admin_may_book(world):
    company, boss, task, slot, staff = world
    with pytest.raises(NotAllowed):
        teams.sign_up_team(company, slot, staff[:2], booked_by=staff[0], now=NOW)
    other = make_company(admin=make_user(), supports=("team_days",))
    with pytest.raises(NotAllowed):
        teams.sign_up_team(other, slot, staff[:2], booked_by=boss, now=NOW)
    assert counts(slot) == (0, 0)


def test_a_time_that_has_started_is_refused(world):
    company, boss, task, slot, staff = world
    with pytest.raises(InvalidState):
        teams.sign_up_team(company, slot, staff[:2], booked_by=boss, now=FRIDAY + timedelta(minutes=1))


# --- the tasks a company can solve -------------------------------------------------------------

def test_the_list_shows_team_and_skill_tasks_nearest_first_and_filters_by_kind(ctx):
    company = make_company(admin=make_user(), supports=("team_days", "skills"), skills=("accounting",))
    org = make_organisation(admin=make_user())
    far = make_task(org, title="Langt væk")
    far.team_size, far.latitude, far.longitude = 4, 55.70, 12.60
    near = make_task(org, title="Tæt på")
    near.team_size, near.latitude, near.longitude = 4, 55.593, 12.672
    books = make_task(org, title="Regnskab")
    books.wanted_skill, books.latitude, books.longitude = Skill.accounting, 55.60, 12.67
    carpenter = make_task(org, title="Tømrer")
    carpenter.wanted_skill = Skill.carpentry      # a skill the company does not offer
    plain = make_task(org, title="Almindelig")     # neither
    draft = make_task(org, title="Kladde", status="draft")
    draft.team_size = 4
    no_times = make_task(org, title="Ingen tider")
    no_times.team_size = 4
    full = make_task(org, title="Fuld")
    full.team_size = 4
    for t in (far, near, books, carpenter, plain, draft):
        make_slot(t, starts_at=FRIDAY)
    make_slot(no_times, starts_at=NOW - timedelta(days=1))
    make_slot(full, starts_at=FRIDAY, capacity=1).taken = 1
    db.session.flush()
    found = teams.tasks_for(company, now=NOW)
    assert [m.task.title for m in found] == ["Tæt på", "Regnskab", "Langt væk"]
    assert found[0].fits == {Fit.team} and found[1].fits == {Fit.skill}
    assert found[0].km < 1 < found[2].km and len(found[0].times) == 1
    assert [m.task.title for m in teams.tasks_for(company, now=NOW, fit=Fit.skill)] == ["Regnskab"]
    assert [m.task.title for m in teams.tasks_for(company, now=NOW, fit=Fit.team)] == ["Tæt på", "Langt væk"]
    # A company that gives neither team days nor paid leave sees no team tasks.
    skills_only = make_company(admin=make_user(), supports=("skills",), skills=("accounting",))
    assert [m.task.title for m in teams.tasks_for(skills_only, now=NOW)] == ["Regnskab"]


def test_the_list_is_bounded_and_shows_a_few_times_per_task(ctx):
    company = make_company(admin=make_user(), supports=("paid_leave",))
    org = make_organisation(admin=make_user())
    for n in range(5):
        task = make_task(org)
        task.team_size = 3
        for day in range(6):
            make_slot(task, starts_at=FRIDAY + timedelta(days=day))
    found = teams.tasks_for(company, now=NOW, limit=4)
    assert len(found) == 4 and all(len(m.times) == teams.TIMES_SHOWN for m in found)
    assert all(m.times == sorted(m.times, key=lambda s: s.starts_at) for m in found)
