"""The migrations build exactly the schema the models describe, and can go down and up."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal import create_app
from portal.extensions import db
from tests.conftest import create_postgres_database, drop_postgres_database, make_test_config


@pytest.fixture
def empty_database(tmp_path):
    if os.environ.get("TEST_DB") == "postgresql":
        url = create_postgres_database()
        yield url
        drop_postgres_database(url)
    else:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"


def test_upgrade_downgrade_upgrade_and_models_match(empty_database):
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "organisations", "memberships", "invitations", "outbox_messages"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_existing_profiles_survive_the_matching_migration(empty_database):
    """New NOT NULL columns need server defaults, or upgrading a live database fails."""
    from sqlalchemy import text
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade(revision="97759c567df9")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO users (email, name, locale, is_coordinator, session_version, created_at, "
                              "updated_at) VALUES ('a@example.dk', 'A', 'da', false, 1, '2026-01-01', '2026-01-01')"))
            conn.execute(text("INSERT INTO volunteer_profiles (user_id, created_at, updated_at) "
                              "SELECT id, '2026-01-01', '2026-01-01' FROM users"))
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT availability, suggestions_opt_in, digest_opt_in FROM volunteer_profiles")).one()
        db.engine.dispose()
    assert (row[0], bool(row[1]), bool(row[2])) == (0, False, False)  # off by default, as promised


def test_the_volunteer_search_index_covers_what_find_volunteers_reads(empty_database):
    """"Find volunteers" reads the opted-in profiles of an area from one index alone on PostgreSQL:
    the comparison of models and migrations above does not see INCLUDE, so this checks it."""
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade()
        indexes = {ix["name"]: ix for ix in inspect(db.engine).get_indexes("volunteer_profiles")}
        postgresql = db.engine.dialect.name == "postgresql"
        db.engine.dispose()
    assert "ix_volunteer_profiles_optin_position" not in indexes       # replaced, not doubled
    covering = indexes["ix_volunteer_profiles_optin_position_covering"]
    assert covering["column_names"] == ["suggestions_opt_in", "latitude", "longitude"]
    if postgresql:
        assert covering["include_columns"] == ["availability", "user_id", "id"]
