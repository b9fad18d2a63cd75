"""Loaded by every Python process that `make test-dates` starts (it puts this folder on
PYTHONPATH). Debian's libfaketime 0.9.10, with the monotonic clock left real, makes
time.sleep() fail with EINVAL (it sleeps with clock_nanosleep on an absolute monotonic
time); subprocess waits, polling loops and gunicorn rely on it. select() waits the same
length and libfaketime leaves it alone."""

import os

if os.environ.get("FAKETIME") and "faketime" in os.environ.get("LD_PRELOAD", ""):
    import select
    import time

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        select.select([], [], [], seconds)

    time.sleep = _sleep
