"""Anonymous pages served from a cache (Flask-Caching: Redis when configured, this process's
memory otherwise).

A feature opts a view in from its own routes:

    @bp.get("/tasks")
    @pagecache.cacheable(args=("view", "page", ...))
    def index(): ...

A page is filed under its endpoint, its path and the query parameters the view declared (sorted),
the visitor's language and the data version (portal/dataversion.py). Every committed write moves
the version on, so a change is visible on the very next request without anyone naming the pages
it touched; entries for old versions are never asked for again and expire on their own.

What is never served from or stored in the cache:
  - a visitor who is logged in, or whose session holds anything but a language choice and a
    CSRF token (flashed messages above all: they belong to one visitor and one request);
  - anything but GET/HEAD, and addresses with parameters the view did not declare or longer
    than MAX_QUERY (junk parameters must not fill the cache with copies of the same page);
  - a response other than 200, one that sets a cookie, changes the session, or carries a CSRF
    token;
  - anything while the data version is unknown (Redis down): pages are then built every time.

The security headers (portal/security.py) and compression are added after this module's
after_request hook has run, so a hit gets them exactly as a freshly built page does. The
`X-Cache` header (hit, miss, bypass) says what happened, for tests and the bench."""

import logging
import zlib
from urllib.parse import quote, urlencode

from flask import current_app, g, request, session
from werkzeug.wrappers import Response

from portal import dataversion
from portal.extensions import cache
from portal.i18n import select_locale
from portal.links import base_url

log = logging.getLogger(__name__)

# Session keys an anonymous visitor may carry and still share cached pages: the language is part
# of the key, and a CSRF token left by an earlier form does not show on the cached pages.
_ANONYMOUS_SESSION_KEYS = frozenset({"lang", "csrf_token"})
# A longer query string is not cached (it is still served): real filter links are far shorter.
MAX_QUERY = 400
# Headers that belong to one response, not to the page: recomputed or added afresh on a hit.
_NOT_REPLAYED = frozenset({"set-cookie", "content-length", "date", "x-cache", "cache-control"})
# Parameters every page understands: `?lang=` (portal/i18n.py; only the configured languages).
_GLOBAL_ARGS = frozenset({"lang"})


def cacheable(args=(), unless_given=()):
    """Marks a view whose anonymous GET may be served from the page cache. `args` names the query
    parameters the page reads; a request with any other parameter is built and not stored.
    `unless_given` names free-text parameters (a search): the page is cached only while they are
    empty, as a submitted filter form leaves them, since their values have no end."""
    def mark(view):
        view.pagecache_args = (frozenset(args) | _GLOBAL_ARGS, frozenset(unless_given))
        return view
    return mark


def _declared_args():
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "pagecache_args", None)


def _args_allowed(declared) -> bool:
    names, free_text = declared
    for name, value in request.args.items(multi=True):
        if name in free_text:
            if value:
                return False
        elif name not in names:
            return False
    return request.args.get("lang") in (None, *current_app.config["LANGUAGES"])


def _anonymous() -> bool:
    """From the session cookie alone, without loading anyone: Flask-Login keeps `_user_id` in the
    session, and any other key (flashes, a registration in progress) makes the visitor's page
    their own."""
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False
    return set(session.keys()) <= _ANONYMOUS_SESSION_KEYS


def _key(version: str) -> str | None:
    if len(request.query_string) > MAX_QUERY:
        return None
    # Encoded again, so that a value holding "&" or "=" cannot pass for two parameters and file a
    # page under the key of another address.
    query = urlencode(sorted(request.args.items(multi=True)))
    # base_url(): pages hold absolute links (JSON-LD); in development they follow the Host header.
    return f"page:{version}:{select_locale()}:{base_url()}:{request.endpoint}:{quote(request.path)}?{query}"


def _serve_from_cache():
    if not current_app.config["PAGE_CACHE"] or request.method not in ("GET", "HEAD"):
        return None
    declared = _declared_args()
    if declared is None:
        return None
    g.pagecache = "bypass"
    if not _anonymous() or not _args_allowed(declared):
        return None
    version = dataversion.current("data")
    if version is None:
        return None
    key = _key(version)
    if key is None:
        return None
    try:
        entry = cache.get(key)
    except Exception as error:  # noqa: BLE001 - a cache that fails means "build the page"
        log.warning("page cache unreachable: %s", error)
        return None
    if entry is None:
        # Taken before the page reads the database: a write that commits meanwhile moves the
        # version on, and this (possibly older) page is filed under a version nobody asks for.
        g.pagecache, g.pagecache_key = "miss", key
        return None
    g.pagecache = "hit"
    headers, body = entry
    return Response(zlib.decompress(body), status=200, headers=headers)


def _store(response):
    state = g.get("pagecache")
    if state is None:
        return response
    response.headers["X-Cache"] = state
    key = g.pop("pagecache_key", None)
    if (key is None or response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Set-Cookie" in response.headers or session.modified or "_flashes" in session):
        return response
    body = response.get_data()
    if b'name="csrf_token"' in body:
        return response
    headers = [(name, value) for name, value in response.headers.items()
               if name.lower() not in _NOT_REPLAYED]
    try:
        # Compressed in the cache: a task list is 30-80 KB of HTML and about a tenth of it packed.
        cache.set(key, (headers, zlib.compress(body, 1)), timeout=current_app.config["PAGE_CACHE_TIMEOUT"])
    except Exception as error:  # noqa: BLE001
        log.warning("page cache unreachable, page not stored: %s", error)
    return response


def init_app(app) -> None:
    # Registered after the language hook (portal/i18n.py): a `?lang=` switch counts for this request.
    app.before_request(_serve_from_cache)
    # Registered after security and compression, so it runs before them (Flask runs after_request
    # hooks last-registered first): the cache holds the page as the view made it, and every hit
    # gets fresh security headers and its own compression.
    app.after_request(_store)
