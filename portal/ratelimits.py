"""Abuse limits keyed on what they protect: a network (the client address), an e-mail
recipient, an organisation or a user.

Flask-Limiter's decorators can only answer with a 429 page before the view runs. These
limits are checked inside the view instead, so a route can re-render its form with what was
typed and say how long the wait really is, or, for password-reset mails, quietly send no more
without revealing anything.

The counts live in RATELIMIT_STORAGE_URI (the same setting Flask-Limiter reads). With
`memory://` every process counts for itself, so four gunicorn workers allow four times the
limit; a deployment with more than one process must use Redis (config.py warns at startup).
The moving window makes "try again in N minutes" the true time until one more is allowed."""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from flask import current_app, request
from limits import parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from portal.errors import DomainError

log = logging.getLogger(__name__)


class TooMany(DomainError):
    """A service refused because a limit was reached; routes answer 429 with the message."""


@dataclass(frozen=True)
class Blocked:
    """A limit was reached; one more is allowed after `retry_after` seconds."""
    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _limiters(app):
    """(shared limiter, in-process fallback) for this app, made on first use so that
    create_app() never needs Redis to be up."""
    state = app.extensions.get("ratelimits")
    if state is None:
        uri = app.config["RATELIMIT_STORAGE_URI"]
        options = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        if uri.startswith(("redis", "valkey")):
            # A Redis that hangs must not hang logins: give up quickly and count in-process.
            options.setdefault("socket_connect_timeout", 0.5)
            options.setdefault("socket_timeout", 0.5)
        shared = MovingWindowRateLimiter(storage_from_string(uri, **options))
        state = app.extensions["ratelimits"] = (shared, MovingWindowRateLimiter(MemoryStorage()))
    return state


def client_network() -> str:
    """The client's address as the key for per-network limits. Behind TRUSTED_PROXIES reverse
    proxies (nginx in front of gunicorn) it is read from X-Forwarded-For, as ProxyFix would;
    otherwise every visitor would share the proxy's address and one quota. An IPv6 client
    counts by its /64, which one household or attacker holds as a whole."""
    address = request.remote_addr or ""
    proxies = current_app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def hit(scope: str, limits: str, key: str | int) -> Blocked | None:
    """Counts one event for `key` under `scope` against every limit in `limits`
    ("40 per hour;100 per day"); returns Blocked when one of them is already used up.

    If the shared store does not answer, the event is counted in this process instead
    (and logged): limits hold per process rather than not at all, and nobody gets a 500."""
    app = current_app._get_current_object()
    if not app.config["RATELIMIT_ENABLED"] or not limits:
        return None
    shared, fallback = _limiters(app)
    identifiers = (app.config.get("RATELIMIT_KEY_PREFIX") or "frivillig", scope, str(key))
    for item in parse_many(limits):
        try:
            allowed = shared.hit(item, *identifiers)
            limiter = shared
        except Exception:  # noqa: BLE001 - any storage failure; the limit must not become a 500
            log.exception("Rate-limit store %s did not answer; counting in this process only",
                          app.config["RATELIMIT_STORAGE_URI"])
            allowed = fallback.hit(item, *identifiers)
            limiter = fallback
        if not allowed:
            try:
                reset_at = limiter.get_window_stats(item, *identifiers).reset_time
            except Exception:  # noqa: BLE001
                reset_at = time.time() + item.get_expiry()
            return Blocked(retry_after=max(1, math.ceil(reset_at - time.time())))
    return None


def is_shared(uri: str) -> bool:
    """Whether counts are shared between processes (anything but memory://)."""
    return not uri.startswith("memory://")


def wait_text(blocked: Blocked) -> str:
    """The true wait as words for "Try again …": "in 12 minutes", "in about 3 hours"."""
    from flask_babel import ngettext
    if blocked.minutes <= 90:
        return ngettext("in %(num)d minute", "in %(num)d minutes", blocked.minutes)
    hours = round(blocked.retry_after / 3600)
    return ngettext("in about %(num)d hour", "in about %(num)d hours", hours)
