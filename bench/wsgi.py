"""The portal as the benchmark serves it with gunicorn, configured from the environment:
DATABASE_URL and SECRET_KEY (read by portal.config), BENCH_CHEAP_HASH=1 for a cheap password
hash. Rate limits are off: 200 logins from 127.0.0.1 in a few seconds are the point."""

import os

from portal import create_app

overrides = {"RATELIMIT_ENABLED": False, "MAIL_URL": "memory://"}
if os.environ.get("BENCH_CHEAP_HASH") == "1":
    overrides["PASSWORD_HASH_METHOD"] = "scrypt:1024:8:1"
app = create_app(overrides)
