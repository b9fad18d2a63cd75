"""Data versions: counters that every committed write moves on, so that caches can key on them
and never need to be told what to forget.

Two scopes:

  "data"      any committed INSERT, UPDATE or DELETE, of any table (the page cache keys on it);
  "calendar"  writes to what a calendar feed shows: tasks, their times and organisations, but
              not seat counts (a sign-up changes how many places are free, which no feed shows).
              Code that changes only seats says so with `.execution_options(seats_only=True)`.

The counters live in Redis when the cache is Redis (CACHE_REDIS_URL), so every worker and every
machine sees a write at once; otherwise in this process (one process: `make run`, tests).

Readers take the version before they read the database; a writer moves it on after its commit.
A page built from data read before a commit is therefore filed under the old version, which
nobody asks for once the counter has moved on. If Redis cannot be reached, `current()` answers
None and callers must not cache (a stale page is worse than a slow one)."""

import itertools
import logging
import secrets
import threading

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

log = logging.getLogger(__name__)

SCOPES = ("data", "calendar")
# Tables whose rows a calendar feed shows. Kept as names so this module needs no models.
CALENDAR_TABLES = frozenset({"tasks", "slots", "organisations"})
_WRITE_WORDS = ("INSERT", "UPDATE", "DELETE")


class _Memory:
    """One process's counters. The nonce keeps a restarted process from reusing old keys."""

    def __init__(self):
        self._nonce = secrets.token_hex(4)
        self._counters = {scope: itertools.count(1) for scope in SCOPES}
        self._values = dict.fromkeys(SCOPES, 0)
        self._lock = threading.Lock()

    def get(self, scope: str) -> str:
        return f"{self._nonce}.{self._values[scope]}"

    def bump(self, scopes) -> None:
        with self._lock:
            for scope in scopes:
                self._values[scope] = next(self._counters[scope])


class _Redis:
    def __init__(self, url: str, prefix: str):
        import redis

        # A Redis that hangs must not hang every page: give up quickly and serve uncached.
        self._client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self._keys = {scope: f"{prefix}dataversion:{scope}" for scope in SCOPES}

    def get(self, scope: str) -> str | None:
        try:
            value = self._client.get(self._keys[scope])
        except Exception as error:  # noqa: BLE001 - any Redis failure means "do not cache"
            log.warning("Redis unreachable, serving without the cache: %s", error)
            return None
        return (value or b"0").decode()

    def bump(self, scopes) -> None:
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for scope in scopes:
                    pipe.incr(self._keys[scope])
                pipe.execute()
        except Exception as error:  # noqa: BLE001
            # The write is committed; cached pages may now be stale until their timeout runs out.
            log.error("Redis unreachable, cached pages may be stale for up to CACHE_DEFAULT_TIMEOUT: %s", error)


def init_app(app) -> None:
    url = app.config.get("CACHE_REDIS_URL")
    if url:
        app.extensions["dataversion"] = _Redis(url, app.config.get("CACHE_KEY_PREFIX") or "")
    else:
        app.extensions["dataversion"] = _Memory()


def _store():
    return current_app.extensions["dataversion"]


def current(scope: str = "data") -> str | None:
    """The version to key a cached thing on, or None when nothing may be cached now."""
    return _store().get(scope)


def bump(*scopes: str) -> None:
    """Move versions on by hand (for writes made outside the ORM session, e.g. a restore)."""
    _store().bump(scopes or SCOPES)


# --- noticing writes ----------------------------------------------------------------------------

def _pending(session) -> set:
    return session.info.setdefault("dataversion_pending", set())


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context):
    touched = [*session.new, *session.deleted, *(o for o in session.dirty if session.is_modified(o))]
    if not touched:
        return
    pending = _pending(session)
    pending.add("data")
    if any(getattr(o, "__tablename__", None) in CALENDAR_TABLES for o in touched):
        pending.add("calendar")


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state):
    statement = state.statement
    if isinstance(statement, TextClause):
        words = statement.text.lstrip().split(None, 1)
        if not words or words[0].upper() not in _WRITE_WORDS:
            return
        tables = CALENDAR_TABLES  # unknown tables: assume the calendar changed
    elif state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        tables = {getattr(table, "name", None)}
    else:
        return
    pending = _pending(state.session)
    pending.add("data")
    if tables & CALENDAR_TABLES and not state.execution_options.get("seats_only"):
        pending.add("calendar")


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    pending = session.info.pop("dataversion_pending", None)
    if pending and has_app_context() and "dataversion" in current_app.extensions:
        bump(*sorted(pending))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop("dataversion_pending", None)
