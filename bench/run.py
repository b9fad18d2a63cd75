"""`make bench` (design.md section 7): builds a fresh database at Dragør or national scale, serves it
with a multi-process gunicorn on 127.0.0.1, and measures

  signup_race     the POST /slots/<id>/signup latency when CLIENTS logged-in browsers race for
                  CAPACITY places at once (and checks that exactly CAPACITY got in);
  calendar_month  GET /tasks?view=month for the busy month (every upcoming slot is in it);
  calendar_ics    GET /calendar.ics, the public feed of every upcoming slot;
  personal_feed   GET /me/calendar/<token>.ics for one volunteer with 1,000 signups (far more than
                  any real volunteer has in the feed's window: an upper bound).

and then, at service level on a realistic database made by tools.datagen (bench/matching.py):

  recommendations, search_distance, search_within, find_volunteers
                  suggestions for one volunteer, a filtered search sorted by distance, and the
                  volunteers for one task; targets: p95 under 100 ms at national scale on
                  PostgreSQL, and under 3x the Dragør figure.

Usage: python -m bench.run [--scale dragor|denmark] [--only web|matching] [--regenerate].
BENCH_DATABASE_URL picks the database (default: a SQLite file under build/bench/); a PostgreSQL
database must have "bench" in its name, because it is dropped and created again. The matching
scenarios use a database of their own beside it (<name>_matching_<scale>, or
bench-matching-<scale>.db), generated once and re-used while the generator and the models are
unchanged (--regenerate makes it anew). Results: a table on stdout and build/bench/results.json,
keyed "<scenario>@<scale>@<sqlite|postgresql>" (results of other keys already there are kept).

The speed targets below are the only ones in the project; a miss is reported, never a failure.
A wrong race result (overbooking, a 5xx) is a failure: exit status 1."""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.stats import summary

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench"
WORKERS, THREADS = 4, 2
POSTING_THREADS = 100
LOGIN_THREADS = 16

# p95 targets in milliseconds, at Dragør scale on a small 2-core server.
# A volunteer in a rush of 200 waits at most 2 s for the answer; pages and feeds answer within 1 s.
TARGETS_MS = {"signup_race": 2_000, "calendar_month": 1_000, "calendar_ics": 1_000, "personal_feed": 1_000}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with WORKERS processes of THREADS threads, serving bench.wsgi on 127.0.0.1."""

    def __init__(self, url: str):
        self.url, self.port = url, free_port()
        self.log_path = OUT / "gunicorn.log"

    def __enter__(self):
        from bench.client import Browser
        env = dict(os.environ, DATABASE_URL=self.url, SECRET_KEY="bench-secret", BENCH_CHEAP_HASH="1",
                   PYTHONPATH=str(ROOT))
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--threads", str(THREADS),
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--graceful-timeout", "5", "bench.wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                if Browser(self.port).get("/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()
        return False


def race(app, port, fixture, scale) -> dict:
    from bench.client import Browser
    from bench.data import PASSWORD, race_result

    browsers = [Browser(port) for _ in fixture.race_emails]
    started = time.perf_counter()
    with ThreadPoolExecutor(LOGIN_THREADS) as pool:
        list(pool.map(lambda pair: pair[0].log_in(pair[1], PASSWORD, f"/tasks/{fixture.race_task_id}"),
                      zip(browsers, fixture.race_emails, strict=True)))
    print(f"  {len(browsers)} browsers logged in and opened the task in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    go = threading.Event()

    def sign_up(browser):
        go.wait(60)
        status, _, _, elapsed = browser.request("POST", f"/slots/{fixture.race_slot_id}/signup",
                                                {"csrf_token": browser.csrf, "action": "signup"})
        return status, elapsed

    with ThreadPoolExecutor(POSTING_THREADS) as pool:
        futures = [pool.submit(sign_up, b) for b in browsers]
        time.sleep(0.2)
        go.set()
        answers = [f.result(300) for f in futures]
    with app.app_context():
        confirmed, taken = race_result(fixture.race_slot_id)
    print(f"  the race took {time.perf_counter() - started:.1f} s: {confirmed} confirmed for {scale.capacity} places")
    result = summary([elapsed for _, elapsed in answers])
    result.update(clients=len(browsers), capacity=scale.capacity, confirmed=confirmed, taken=taken,
                  server_errors=sum(1 for status, _ in answers if status >= 500),
                  not_redirects=sum(1 for status, _ in answers if status != 302))
    return result


def timed_gets(port, path, repeats) -> dict:
    """One browser, one request at a time: the time to render, not to queue."""
    from bench.client import Browser
    browser = Browser(port)
    for _ in range(WORKERS * 2):  # every worker renders it once before the clock runs
        browser.get(path)
    seconds, size, statuses = [], 0, set()
    for _ in range(repeats):
        status, _, body, elapsed = browser.get(path)
        statuses.add(status)
        seconds.append(elapsed)
        size = len(body.encode())
    if statuses != {200}:
        raise SystemExit(f"GET {path} answered {sorted(statuses)}")
    return {**summary(seconds), "bytes": size}


def print_table(rows: dict) -> None:
    header = f"{'scenario':44} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}  {'target p95':>10}  details"
    print(header)
    print("-" * len(header))
    for key, r in rows.items():
        details = ", ".join(f"{k}={r[k]}" for k in ("status", "clients", "capacity", "confirmed", "server_errors",
                                                     "events", "signups", "bytes", "queries_per_call",
                                                     "mean_results", "growth_p95") if k in r)
        target = f"{r['target_p95_ms']:>7} {'ok' if r['within_target'] else 'SLOW'}" if "target_p95_ms" in r else ""
        cells = [r.get(k) if r.get(k) is not None else "-" for k in ("n", "p50_ms", "p95_ms", "max_ms")]
        print(f"{key:44} {cells[0]:>5} {cells[1]:>9} {cells[2]:>9} {cells[3]:>9}  {target:>10}  {details}")


def main(argv=None) -> int:
    from bench.data import SCALES, database_kind, default_url, environment_url, generate, recreate_database

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="dragor")
    parser.add_argument("--only", choices=("web", "matching"), default=None,
                        help="run only the web scenarios (race, calendars) or only the matching ones")
    parser.add_argument("--regenerate", action="store_true", help="generate the matching database anew")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    url = environment_url() or default_url(ROOT, args.scale)
    kind = database_kind(url)
    OUT.mkdir(parents=True, exist_ok=True)

    from portal import create_app
    from portal.extensions import db

    started = time.perf_counter()
    results = {}
    if args.only in (None, "web"):
        recreate_database(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "MAIL_URL": "memory://",
                          "SECRET_KEY": "bench-secret"})
        with app.app_context():
            fixture = generate(scale)
            db.session.remove()
        print(f"{args.scale} on {kind}: {scale.users} users, {scale.organisations} organisations, {scale.tasks} tasks, "
              f"{fixture.calendar_slots} upcoming slots; generated in {time.perf_counter() - started:.1f} s")

        with Server(url) as server:
            results["signup_race"] = race(app, server.port, fixture, scale)
            print("  timing the calendar pages and feeds")
            results["calendar_month"] = timed_gets(server.port, f"/tasks?view=month&month={fixture.month}",
                                                   scale.repeats)
            results["calendar_month"]["events"] = fixture.calendar_slots - 1  # the raced slot is next week
            results["calendar_ics"] = timed_gets(server.port, "/calendar.ics", scale.repeats)
            results["calendar_ics"]["events"] = fixture.calendar_slots
            results["personal_feed"] = timed_gets(server.port, f"/me/calendar/{fixture.feed_token}.ics",
                                                  scale.repeats)
            results["personal_feed"]["signups"] = fixture.feed_signups

    if args.only in (None, "matching"):
        from bench import matching
        murl = matching.matching_url(url, args.scale)
        print(f"matching scenarios, {args.scale} scale on {kind} ({make_safe(murl)})")
        prepared = matching.prepare(murl, args.scale, regenerate=args.regenerate)
        if not prepared.reused:
            print(f"  generated {prepared.counts} in {prepared.seconds} s")
        for scenario, result in matching.run(prepared, args.scale).items():
            result["datagen_seconds"], result["datagen_reused"] = prepared.seconds, prepared.reused
            results[scenario] = result

    keyed = {}
    for scenario, result in results.items():
        if args.scale == "dragor" and scenario in TARGETS_MS:
            result["target_p95_ms"] = TARGETS_MS[scenario]
            result["within_target"] = result["p95_ms"] <= TARGETS_MS[scenario]
        keyed[f"{scenario}@{args.scale}@{kind}"] = result

    path = OUT / "results.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    from bench.matching import annotate
    annotate(keyed, stored)
    print()
    print_table(keyed)
    stored.update(keyed)
    path.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s in all")

    race_result = results.get("signup_race")
    if race_result and ((race_result["confirmed"], race_result["taken"]) != (scale.capacity, scale.capacity)
                        or race_result["server_errors"] or race_result["not_redirects"]):
        print(f"FAILED: the sign-up race went wrong: {race_result}", file=sys.stderr)
        return 1
    return 0


def make_safe(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)

if __name__ == "__main__":
    sys.exit(main())
