"""Engine set-up that differs per database.

SQLite: write transactions must start with BEGIN IMMEDIATE. A deferred transaction that
has read and then tries to write fails at once ("database is locked") when another writer
committed in between, and the busy timeout does not help. So every request that may write
(any non-GET) and every write service run from the CLI or a test marks itself with
`write_transaction()`, and its first BEGIN takes the write lock up front. Reads stay
deferred, so pages never queue behind each other."""

from contextlib import contextmanager

from flask import g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def configure_engine_options(app):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def mark_write_requests():
    if request.method in _WRITE_METHODS:
        g.write_transaction = True


@contextmanager
def write_transaction():
    """For code outside a request (CLI, tests, threads): start the next transaction as a writer."""
    previous = g.get("write_transaction", False)
    g.write_transaction = True
    try:
        yield
    finally:
        g.write_transaction = previous


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):
    if not _is_sqlite(dbapi_connection):
        return
    # Hand transaction control to SQLAlchemy so our "begin" hook decides how to BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    connection_record.info["sqlite"] = True


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if not conn.connection.dbapi_connection or not _is_sqlite(conn.connection.dbapi_connection):
        return
    immediate = has_app_context() and g.get("write_transaction", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
