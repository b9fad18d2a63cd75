"""The synthetic-data generator (tools/datagen.py): at a tiny scale, the data it writes keeps
every promise the real portal keeps, so benchmarks on it measure a believable database."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from tools import datagen
from portal.core.people import age_on
from portal.core.timeutil import to_local
from tools.datagen import AREAS, DatabaseNotEmpty, Scale, generate
from portal.extensions import db
from portal.models import (Clearance, Membership, MembershipRole, Organisation, OrganisationStatus, Signup,
                           SignupState, Slot, SlotStatus, Task, TaskKind, User, VolunteerProfile,
                           volunteer_interests)

NOW = datetime(2026, 3, 18, 9, 30, tzinfo=timezone.utc)   # eight weeks that cross the change to summer time
TINY = Scale(volunteers=80, organisations=8, tasks=30, slots=150, signups=240, area="dragor")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("area", ["dragor", "denmark"])
def test_a_tiny_scale_has_the_counts_asked_for_and_consistent_seats(ctx, area):
    scale = Scale(**{**TINY.__dict__, "area": area})
    result = generate(scale, now=NOW, seed=7)
    assert (count(User), count(VolunteerProfile), count(Organisation), count(Task), count(Slot), count(Signup)) \
        == (80, 80, 8, 30, 150, 240)
    assert result.signups == 240 and result.slots == 150

    # taken is exactly the number of confirmed signups, for every slot, within its capacity
    confirmed = dict(db.session.execute(select(Signup.slot_id, func.count()).where(
        Signup.state == SignupState.confirmed).group_by(Signup.slot_id)).all())
    slots = db.session.execute(select(Slot.id, Slot.taken, Slot.capacity, Slot.status)).all()
    assert all(taken == confirmed.get(sid, 0) and 0 <= taken <= capacity for sid, taken, capacity, _ in slots)
    assert sum(confirmed.values()) == result.confirmed > 0
    assert not any(confirmed.get(sid) for sid, _, _, status in slots if status is SlotStatus.cancelled)
    # one live signup per person per slot
    assert db.session.execute(select(Signup.user_id, Signup.slot_id).where(Signup.state != SignupState.cancelled)
                              .group_by(Signup.user_id, Signup.slot_id).having(func.count() > 1)).all() == []
    # a waitlist only where the slot is full
    for slot_id, taken, capacity in db.session.execute(
            select(Slot.id, Slot.taken, Slot.capacity).join(Signup, Signup.slot_id == Slot.id)
            .where(Signup.state == SignupState.waitlisted)):
        assert taken == capacity, slot_id

    # every task belongs to an approved organisation with an admin
    statuses = set(db.session.scalars(select(Organisation.status).join(Task, Task.organisation_id == Organisation.id)))
    assert statuses == {OrganisationStatus.approved}
    admins = set(db.session.scalars(select(Membership.organisation_id).where(Membership.role == MembershipRole.admin)))
    assert set(db.session.scalars(select(Task.organisation_id))) <= admins

    # places inside the area, availability within its 21 bits
    min_lat, max_lat, min_lon, max_lon = AREAS[area][1]
    points = db.session.execute(select(VolunteerProfile.latitude, VolunteerProfile.longitude)).all() \
        + db.session.execute(select(Task.latitude, Task.longitude)).all()
    assert all(min_lat <= lat <= max_lat and min_lon <= lon <= max_lon for lat, lon in points)
    assert all(0 <= a < 2 ** 21 for a in db.session.scalars(select(VolunteerProfile.availability)))
    if area == "dragor":
        postcodes = list(db.session.scalars(select(User.postcode)))
        assert postcodes.count("2791") > len(postcodes) / 2
    assert count(volunteer_interests) > 0


def test_signups_keep_the_age_and_børneattest_rules_and_times_are_ahead(ctx):
    generate(TINY, now=NOW, seed=11)
    live = db.session.execute(
        select(Signup.user_id, User.birth_date, Slot.starts_at, Task.min_age, Task.needs_child_certificate,
               Task.organisation_id, Signup.created_at)
        .join(User, User.id == Signup.user_id).join(Slot, Slot.id == Signup.slot_id)
        .join(Task, Task.id == Slot.task_id).where(Signup.state != SignupState.cancelled)).all()
    cleared = set(db.session.execute(select(Clearance.user_id, Clearance.organisation_id)).all())
    assert live
    for user_id, born, starts_at, min_age, certificate, org_id, created_at in live:
        if min_age:
            assert age_on(born, to_local(starts_at).date()) >= min_age
        if certificate:
            assert (user_id, org_id) in cleared
        assert created_at <= NOW
    assert min(db.session.scalars(select(Slot.starts_at))) > NOW
    assert all(age_on(b, NOW.date()) >= 15 for b in db.session.scalars(select(User.birth_date)))
    user = db.session.scalars(select(User)).first()
    assert check_password_hash(user.password_hash, datagen.PASSWORD)


def test_recurring_tasks_carry_their_rule_so_tick_adds_nothing(ctx):
    from portal.tasks.services import materialise_all
    generate(TINY, now=NOW, seed=3)
    recurring = db.session.scalars(select(Task).where(Task.kind == TaskKind.recurring)).all()
    assert recurring
    for task in recurring:
        days = {int(d) for d in task.repeat_weekdays.split(",")}
        assert all(to_local(s.starts_at).weekday() in days and s.occurrence_date for s in task.slots)
    assert not db.session.scalars(select(Slot).join(Task).where(Task.kind == TaskKind.ongoing)).first()
    assert materialise_all(now=NOW) == 0


def test_the_same_seed_makes_the_same_data_and_another_seed_other_data():
    categories = {f"c{n}": n for n in range(1, 12)}

    def plan(seed):
        p = datagen._Plan(TINY, now=NOW, seed=seed, categories=categories)
        return p.users, p.tasks, p.slots, p.signups

    assert plan(5) == plan(5)
    assert plan(5) != plan(6)


def test_it_refuses_a_database_that_has_data(ctx):
    generate(TINY, now=NOW, seed=1)
    with pytest.raises(DatabaseNotEmpty, match="not empty"):
        generate(TINY, now=NOW, seed=1)
    assert count(User) == 80 and count(Signup) == 240


def test_generate_data_command_and_its_refusal(app):
    runner = app.test_cli_runner()
    args = ["generate-data", "--scale", "dragor", "--volunteers", "50", "--organisations", "5", "--tasks", "12",
            "--slots", "40", "--signups", "60"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "40 slots" in first.output and datagen.PASSWORD in first.output
    with app.app_context():
        assert count(VolunteerProfile) == 50 and count(Signup) == 60
        # the database hands out new ids after the generated ones (PostgreSQL sequences moved on)
        from tests.factories import make_organisation, make_user
        assert make_user().id == 51 and make_organisation().id == 6
        db.session.rollback()
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "not empty" in again.output
