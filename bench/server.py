"""gunicorn on 127.0.0.1 for the benchmark, and the memory of its workers.

A request that makes a worker take gigabytes (issue 9: one national feed took 3.2 GB) must not
take the machine down with it, nor hang the bench: a watchdog thread kills any worker whose
resident memory passes KILL_RSS_MB, and gunicorn's own --timeout kills one that is silent for
TIMEOUT_S. The bench then reports the request as "killed"."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench"
WORKERS, THREADS = 4, 2
TIMEOUT_S = 120
# Far above both goals (150 MB per worker, 50 MB per request): past this a figure says nothing
# more, and the machine is shared with others.
KILL_RSS_MB = 1_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    """VmRSS (now) or VmHWM (the most it ever held) of one process, in MB; None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def children(pid: int) -> list[int]:
    """The processes whose parent is pid (gunicorn's workers), read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in brackets may hold spaces; the parent id is the second field after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def redis_answers(url: str) -> bool:
    import redis
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


class Server:
    """gunicorn with `workers` processes of THREADS threads serving `app` (a module:attribute)."""

    def __init__(self, url: str | None, app: str = "bench.wsgi:app", workers: int = WORKERS, name: str = "gunicorn"):
        self.url, self.app, self.workers, self.port = url, app, workers, free_port()
        self.log_path = OUT / f"{name}.log"
        self.killed: list[str] = []     # what the watchdog did, read (and cleared) by the scenarios
        self._stop = threading.Event()

    def __enter__(self):
        from bench.client import Browser
        env = dict(os.environ, SECRET_KEY="bench-secret", BENCH_CHEAP_HASH="1", PYTHONPATH=str(ROOT))
        if self.url:
            env["DATABASE_URL"] = self.url
        # As in production (README, "Operating"): several workers share the data versions, the page
        # and feed cache and the limits in Redis. Without it each worker keeps its own, and a
        # feed's ETag depends on which worker answers. BENCH_REDIS_URL=none measures without.
        redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
        if redis_url != "none" and redis_answers(redis_url):
            env.setdefault("CACHE_REDIS_URL", redis_url)
            env.setdefault("RATELIMIT_KEY_PREFIX", f"bench-{os.getpid()}-{self.port}")
            os.environ["BENCH_SHARED_CACHE"] = "1"  # for the table's notes
        else:
            print("  (no Redis: each worker caches for itself, as with one process)")
        OUT.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", str(THREADS),
             "--bind", f"127.0.0.1:{self.port}", "--timeout", str(TIMEOUT_S), "--graceful-timeout", "5", self.app],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        path = "/healthz" if self.app == "bench.wsgi:app" else "/"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                if Browser(self.port).get(path)[0] == 200 and len(self.worker_pids()) == self.workers:
                    threading.Thread(target=self._watch, daemon=True).start()
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer {path} within 60 s")

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def worker_rss(self) -> dict[int, float]:
        return {pid: mb for pid in self.worker_pids() if (mb := rss_mb(pid)) is not None}

    def _watch(self):
        while not self._stop.wait(0.25):
            for pid, mb in self.worker_rss().items():
                if mb > KILL_RSS_MB:
                    try:
                        os.kill(pid, signal.SIGKILL)
                        self.killed.append(f"a worker passed {KILL_RSS_MB} MB ({mb:.0f} MB) and was killed")
                    except ProcessLookupError:
                        pass

    def __exit__(self, *exc):
        self._stop.set()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()
        return False
