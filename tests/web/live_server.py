"""A real multi-process gunicorn for tests that need several workers (races, shared limits).

The app is built by a tiny module written to a temporary folder, from the environment the
test passes; the server is stopped at the end and must have logged no errors."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.client import Browser

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(folder: Path, module_source: str, env: dict, *, workers=4, threads=2, processes: list | None = None):
    """Serves `module_source`'s `app` with gunicorn on 127.0.0.1; yields the port.

    Pass a list as `processes` to get the master's Popen appended: the server then runs in a
    process group of its own, so a test can kill the whole node (master and workers) at once
    with os.killpg, as when a machine dies."""
    (folder / "live_wsgi.py").write_text(module_source)
    port = free_port()
    env = dict(os.environ, **env, PYTHONPATH=f"{folder}{os.pathsep}{ROOT}")
    log = open(folder / "gunicorn.log", "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5", "live_wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=processes is not None)
    if processes is not None:
        processes.append(process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"gunicorn exited:\n{log.read()[-3000:]}")
            try:
                if Browser(port).get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.seek(0)
        errors = [line for line in log.read().splitlines() if "Traceback" in line or "[ERROR]" in line]
        log.close()
        assert errors == [], "gunicorn logged errors"
