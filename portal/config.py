"""Configuration in layers: safe defaults here, then instance/config.py, then the
environment, then the dict a test passes. Nothing here is read at import time by
other modules; create_app() calls load_config()."""

import os
from pathlib import Path


class Defaults:
    SECRET_KEY = "dev-only-change-me"
    BASE_URL = "http://127.0.0.1:5000"
    SQLALCHEMY_DATABASE_URI = None  # filled from DATABASE_URL or the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    MAIL_URL = "console://"
    MAIL_FROM = "Dragør Frivillig <frivillig@dragoer.dk>"
    GEOCODER = "gazetteer"               # or "nominatim" (OpenStreetMap; network, rate-limited)
    NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"
    NOMINATIM_USER_AGENT = "dragoer-frivillig (frivillig@dragoer.dk)"
    MAP_TILE_URL = None                  # e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; no map when unset
    MAP_ATTRIBUTION = None
    RATELIMIT_STORAGE_URI = "memory://"
    # The page and feed cache and the data versions (portal/dataversion.py). Unset: in this
    # process (SimpleCache), fine for one process. Several workers or machines need Redis; when
    # RATELIMIT_STORAGE_URI is Redis and this is unset, the same Redis is used.
    CACHE_REDIS_URL = None
    CACHE_KEY_PREFIX = None             # default: RATELIMIT_KEY_PREFIX + ":"
    CACHE_DEFAULT_TIMEOUT = 300         # seconds; bounds how stale anything can be if Redis fails
    PAGE_CACHE = True                   # anonymous pages from the cache (portal/pagecache.py)
    PAGE_CACHE_TIMEOUT = 120            # seconds; also how long a page may lag behind the clock
    # Responses compressed here (portal/compression.py, Flask-Compress). Turn off when the server
    # in front compresses instead.
    COMPRESS_ENABLED = True
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_KEY_PREFIX = "frivillig"  # tests give each run its own, so parallel runs never share counts
    TRUSTED_PROXIES = 0  # reverse proxies in front (nginx: 1); their X-Forwarded-For names the client
    # Limits per network (client address), counted in RATELIMIT_STORAGE_URI (portal/ratelimits.py).
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    # A school class of 30 registering from one network within the hour must get through.
    REGISTER_RATE_LIMIT = "40 per hour;100 per day"
    FORGOT_PASSWORD_RATE_LIMIT = "20 per hour"
    # Limits on what can fill someone else's inbox.
    ACCOUNT_MAIL_RATE_LIMIT = "3 per hour;10 per day"    # per address: reset links, "you already have a profile"
    INVITATION_RATE_LIMIT = "30 per hour;100 per day"    # per organisation (colleagues and volunteers invited)
    INVITATION_RECIPIENT_RATE_LIMIT = "3 per day"        # per invited address, across organisations
    SIGNUP_RATE_LIMIT = "30 per hour;100 per day"        # per user: sign-up and waitlist POSTs
    # The citizens' voice (issue 11): ideas sent without an account and reports count per network.
    IDEA_SEND_RATE_LIMIT = "5 per hour;20 per day"
    IDEA_SEND_RECIPIENT_RATE_LIMIT = "3 per day"         # per e-mail address
    IDEA_REPORT_RATE_LIMIT = "20 per hour;60 per day"
    IDEA_WRITE_RATE_LIMIT = "10 per day"                 # per user
    IDEA_COMMENT_RATE_LIMIT = "30 per hour;100 per day"  # per user
    IDEA_SUPPORT_RATE_LIMIT = "60 per hour;200 per day"  # per user: support, help offers, withdrawing either
    HELP_REQUEST_RATE_LIMIT = "10 per hour;30 per day"   # per network: requests for help without an account
    HELP_RECEIPT_RATE_LIMIT = "3 per day"                # per address: receipts of requests for help
    # Nothing legitimate is bigger than one 5 MB picture and its form: a larger body is refused (413)
    # before Werkzeug spools it to a temporary file, so uploads cannot fill the disk.
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Celebration (issue 12).
    NOMINATION_RATE_LIMIT = "10 per hour;30 per day"     # per user, or per network without an account
    NOMINATION_RECIPIENT_RATE_LIMIT = "3 per day"        # per address: confirmation and consent mails
    HEART_RATE_LIMIT = "60 per hour;200 per day"         # per user
    CERTIFICATE_RATE_LIMIT = "10 per hour;30 per day"    # per user: new certificates of volunteering
    STORY_WRITE_RATE_LIMIT = "20 per day"                # per user
    # Who signs certificates: the municipality's volunteer coordinator, by name and title.
    CERTIFICATE_SIGNER_NAME = "Anne Møller"
    CERTIFICATE_SIGNER_TITLE = "Frivillighedskoordinator, Dragør Kommune"
    # scrypt with N=2^17 (OWASP's recommended floor); Werkzeug's default is only 2^15.
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    PASSWORD_MIN_LENGTH = 10
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    LANGUAGES = ("da", "en")
    SESSION_COOKIE_NAME = "frivillig_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    EMAIL_TOKEN_MAX_AGE = 60 * 60 * 48
    RESET_TOKEN_MAX_AGE = 60 * 60 * 2
    INVITATION_MAX_AGE_DAYS = 14
    MINIMUM_AGE = 13  # Danish age of digital consent (databeskyttelsesloven § 6)
    DEV_MAIL_PAGE = False
    CONTACT_EMAIL = "frivillig@dragoer.dk"
    CONTACT_PHONE = "32 89 01 00"
    OUTBOX_KEEP_DAYS = 30             # sent mail is deleted after this many days
    # The coordinator's workbench (issue 13).
    AUDIT_KEEP_DAYS = 3 * 365         # the audit log of staff actions on people's data; tick deletes older
    MESSAGE_RATE_LIMIT = "10 per hour;30 per day"        # per organiser: messages to a time's volunteers
    NEWSLETTER_RATE_LIMIT = "5 per day"                  # per coordinator
    ASSISTED_PROFILE_RATE_LIMIT = "30 per day"           # per staff member
    EVALUATION_MAX_AGE_DAYS = 60      # an agreement's evaluation link works this long
    TAKEOVER_MAX_AGE_DAYS = 14        # the link that hands an assisted profile to its owner


ENV_KEYS = ("SECRET_KEY", "BASE_URL", "MAIL_URL", "GEOCODER", "RATELIMIT_STORAGE_URI", "RATELIMIT_KEY_PREFIX",
            "NOMINATIM_DOMAIN", "MAP_TILE_URL", "MAP_ATTRIBUTION", "CACHE_REDIS_URL")


def load_config(app, test_config=None):
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key in ENV_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    if os.environ.get("TRUSTED_PROXIES"):
        app.config["TRUSTED_PROXIES"] = int(os.environ["TRUSTED_PROXIES"])
    for switch in ("PAGE_CACHE", "COMPRESS_ENABLED"):
        if os.environ.get(switch) in ("0", "1"):
            app.config[switch] = os.environ[switch] == "1"
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("FLASK_DEBUG") == "1" or os.environ.get("DEV_MAIL_PAGE") == "1":
        app.config["DEV_MAIL_PAGE"] = True
    if test_config:
        app.config.update(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'portal.db'}"
    configure_cache(app.config)
    if app.config["CACHE_TYPE"] == "SimpleCache" and not (app.debug or app.testing):
        app.logger.warning(
            "CACHE_REDIS_URL is unset: pages and feeds are cached per process. With several workers "
            "or machines a change can be missed by the others for up to CACHE_DEFAULT_TIMEOUT seconds. "
            "Set CACHE_REDIS_URL (or RATELIMIT_STORAGE_URI) to redis://127.0.0.1:6379 in production.")
    app.config["SESSION_COOKIE_SECURE"] = app.config["BASE_URL"].startswith("https://")
    if app.config["SECRET_KEY"] == Defaults.SECRET_KEY and not (app.debug or app.testing):
        app.logger.warning("SECRET_KEY is the development default; set SECRET_KEY in production.")
    if (app.config["RATELIMIT_ENABLED"] and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://")
            and not (app.debug or app.testing)):
        # Loud on purpose: with memory:// each worker process counts for itself, so 4 gunicorn
        # workers let 4 times as many logins, registrations and reset mails through.
        app.logger.warning(
            "RATELIMIT_STORAGE_URI is memory://: rate limits are counted per process. That is fine "
            "for one process (make run), but with several workers or machines every limit is "
            "multiplied. Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 in production.")


def configure_cache(config) -> None:
    """Flask-Caching's settings from ours: Redis when there is one, this process's memory otherwise."""
    if not config.get("CACHE_REDIS_URL") and config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        config["CACHE_REDIS_URL"] = config["RATELIMIT_STORAGE_URI"]
    if not config.get("CACHE_KEY_PREFIX"):
        config["CACHE_KEY_PREFIX"] = f"{config['RATELIMIT_KEY_PREFIX']}:"
    if config.get("CACHE_REDIS_URL"):
        config["CACHE_TYPE"] = "RedisCache"
        # A Redis that hangs must not hang pages: fail fast, and the page is built uncached.
        config.setdefault("CACHE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5})
    else:
        config["CACHE_TYPE"] = "SimpleCache"
        # Bounds the memory a process spends on it: a few hundred pages of 20–80 KB.
        config.setdefault("CACHE_THRESHOLD", 500)
