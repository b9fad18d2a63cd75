"""The operator's commands: demo data, create-user, backup."""

import sqlite3

import pytest
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.models import Company, Organisation, User


def test_demo_data_is_idempotent_and_prints_the_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert "koordinator@demo.dragoer.dk" in first.output and "enggaarden@demo.dragoer.dk" in first.output
    second = runner.invoke(args=["demo-data"])
    assert "already present" in second.output
    with app.app_context():
        # five staff and volunteers, three neighbours, the companies' admins and staff (issue 10)
        # and the library's contact person, who asks the citizens (issue 11); three citizens without
        # e-mail and sixteen neighbours whose past year fills the dashboards' charts (issue 13)
        assert db.session.scalar(select(func.count(User.id))) == 47
        names = set(db.session.scalars(select(Organisation.name)))
        assert {"Enggården", "Dragør Skole", "Repaircaféen i Dragør"} <= names
        assert {"Danske Bank Tårnby", "Tømrer Holm ApS", "Dragør Købmand"} <= set(db.session.scalars(select(Company.name)))


def test_create_user_makes_a_confirmed_coordinator_who_can_log_in(app, client):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--role", "coordinator", "--name", "Anne Møller", "--password", "koordinator-2026",
              "Anne@Dragoer.dk"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.is_coordinator and user.is_confirmed and user.email == "anne@dragoer.dk"
    from tests.conftest import login
    login(client, "anne@dragoer.dk", "koordinator-2026")
    assert client.get("/coordinator").status_code == 200
    again = app.test_cli_runner().invoke(args=["create-user", "--name", "X", "--password", "koordinator-2026",
                                               "anne@dragoer.dk"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_create_user_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(args=["create-user", "--name", "X", "--password", "short", "x@example.dk"])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_backup_writes_a_restorable_copy(app, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        import shutil
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed")
    app.test_cli_runner().invoke(args=["demo-data"])
    result = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    [backup] = list(tmp_path.iterdir())
    assert backup.stat().st_size > 0
    if backup.suffix == ".db":
        with sqlite3.connect(backup) as conn:
            assert conn.execute("select count(*) from users").fetchone()[0] == 47


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite-specific settings")
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_a_domain_error_outside_a_request_still_has_its_message(app):
    """`flask tick` and other commands run without a request; errors must still render."""
    from portal.signups.services import SlotFull
    with app.app_context():
        assert "venteliste" in str(SlotFull().message)  # Danish, the default
