"""The data versions that caches key on (portal/dataversion.py): every committed write moves
"data" on; only what a calendar shows moves "calendar"; reads and rolled-back writes move nothing;
and with Redis, a write on one node is seen by every other node at once."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal import create_app, dataversion
from portal.extensions import db
from portal.models import Slot, Task
from portal.signups import services as signups
from tests.conftest import make_test_config, redis_or_skip
from tests.factories import make_organisation, make_slot, make_task, make_user

SOON = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=5)


@pytest.fixture
def world(ctx):
    org = make_organisation(admin=make_user(), name="Dragør Naturvogtere")
    task = make_task(org, title="Strandrensning")
    slot = make_slot(task, starts_at=SOON, capacity=3)
    db.session.commit()
    return task, slot


def versions():
    return dataversion.current("data"), dataversion.current("calendar")


def test_reading_and_rolling_back_move_no_version(world):
    task, slot = world
    before = versions()
    db.session.scalars(select(Task)).all()
    db.session.commit()
    task.title = "Noget andet"
    db.session.flush()
    db.session.rollback()
    assert versions() == before


def test_editing_a_task_moves_both_versions(world):
    task, slot = world
    data, calendar = versions()
    task.title = "Strandrensning ved Kongelunden"
    db.session.commit()
    assert dataversion.current("data") != data
    assert dataversion.current("calendar") != calendar


def test_a_sign_up_moves_data_but_not_the_calendar_and_keeps_the_events_stamp(world):
    task, slot = world
    stamp = slot.updated_at
    data, calendar = versions()
    signups.sign_up(make_user(), slot, now=datetime.now(timezone.utc))
    db.session.commit()
    db.session.expire_all()
    slot = db.session.get(Slot, slot.id)
    assert slot.taken == 1
    assert dataversion.current("data") != data
    assert dataversion.current("calendar") == calendar
    assert slot.updated_at == stamp


def test_an_update_statement_to_the_slots_moves_the_calendar(world):
    from sqlalchemy import update
    task, slot = world
    calendar = dataversion.current("calendar")
    db.session.execute(update(Slot).where(Slot.id == slot.id).values(capacity=9))
    db.session.commit()
    assert dataversion.current("calendar") != calendar


def test_with_redis_a_write_on_one_node_moves_the_version_every_node_reads(database_url, app):
    url = redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    nodes = [create_app(make_test_config(database_url, CACHE_REDIS_URL=url, RATELIMIT_KEY_PREFIX=prefix))
             for _ in range(2)]
    with nodes[1].app_context():
        seen_before = dataversion.current()
    with nodes[0].test_request_context():
        make_user()
        db.session.commit()
        db.session.remove()
    with nodes[1].app_context():
        assert dataversion.current() != seen_before


def test_an_unreachable_redis_means_nothing_is_cached_and_writes_still_commit(database_url, app):
    node = create_app(make_test_config(database_url, CACHE_REDIS_URL="redis://127.0.0.1:9/0"))
    with node.test_request_context():
        assert dataversion.current() is None
        user_id = make_user(email="stadig@example.dk").id
        db.session.commit()
        db.session.remove()
        from portal.models import User
        assert db.session.get(User, user_id) is not None
