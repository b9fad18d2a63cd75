"""`make bench` (design.md section 7; the goals of issue 9): serves the portal with a multi-process
gunicorn on 127.0.0.1 and measures, at Dragør or national scale:

on a fresh database made by bench/data.py (a race needs its own slot, a feed its busy volunteer)
  signup_race       POST /slots/<id>/signup when CLIENTS logged-in browsers race for CAPACITY places at
                    once (and checks that exactly CAPACITY got in);
  personal_feed     GET /me/calendar/<token>.ics of one volunteer with 1,000 times;

on the database tools.datagen makes, at the issue's scales (10,000 / 500,000 times; bench/pages.py)
  tasks_first_page, calendar_month, calendar_week, calendar_ics, calendar_ics_304, task_page,
  front_page, organisation_page
                    one request at a time: p50/p95 and the bytes of the answer;
  tasks_throughput  anonymous /tasks under load (wrk, bench/load.py) against a Flask hello world
                    (bench/hello.py) under the same gunicorn settings, one after the other: the ratio;
  memory_rss, growth_<page>
                    worker memory after 10,000 mixed requests, and what one request of each page
                    kind adds to a fresh worker (bench/memory.py);

and at service level on the same generated database (bench/matching.py)
  recommendations, search_distance, search_within, find_volunteers.

Usage: python -m bench.run [--scale dragor|denmark] [--only web|race|pages|matching] [--regenerate].
BENCH_DATABASE_URL picks the database (default: a SQLite file under build/bench/); a PostgreSQL
database must have "bench" in its name, because it is dropped and created again. The generated
database sits beside it (<name>_matching_<scale>, or bench-matching-<scale>.db), made once and
re-used while the generator and the models are unchanged and its times are still ahead
(--regenerate makes it anew). Results: a table on stdout and build/bench/results.json, keyed
"<scenario>@<scale>@<sqlite|postgresql>" (results of other keys already there are kept). With
build/bench/before.json (a results.json from a run on older code) a closing note compares the two.

A goal missed is reported (SLOW, OVER, killed), never a failure. A wrong race result (overbooking,
a 5xx) is a failure: exit status 1."""

import argparse
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bench.server import OUT, ROOT, THREADS, WORKERS, Server
from bench.stats import summary

POSTING_THREADS = 100
LOGIN_THREADS = 16
KB = 1000

# Per scale: timed requests per page scenario and the seconds each may take; seconds of load for
# the throughput pair; seconds the 10,000 mixed requests may take.
REPEATS = {"dragor": 30, "denmark": 10}
PAGE_BUDGET_S = {"dragor": 15, "denmark": 60}
LOAD_S = 10
LOAD_CONNECTIONS = WORKERS * THREADS * 2
MIX_BUDGET_S = {"dragor": 180, "denmark": 300}
# Generated data older than this is made anew: its times are eight weeks ahead of when it was made.
STALE_AFTER = timedelta(days=2)

# The goals (issue 9 unless said otherwise), the same at both scales: the page sizes must not grow
# with the data, and what is fast enough nationally is fast enough in Dragør. (label, check) where
# check(result) is True (met), False (missed) or None (nothing to judge); a missed time is SLOW,
# a missed size or memory OVER.
GOALS = {
    "signup_race": [("p95 < 2 s (project)", lambda r: _lt(r.get("p95_ms"), 2000), "SLOW")],
    "personal_feed": [("p95 < 50 ms", lambda r: _lt(r.get("p95_ms"), 50), "SLOW")],
    "tasks_first_page": [("< 80 KB", lambda r: _lt(r.get("bytes"), 80 * KB), "OVER")],
    "calendar_month": [("p95 < 200 ms", lambda r: _lt(r.get("p95_ms"), 200), "SLOW"),
                       ("< 300 KB", lambda r: _lt(r.get("bytes"), 300 * KB), "OVER")],
    "calendar_week": [("p95 < 200 ms", lambda r: _lt(r.get("p95_ms"), 200), "SLOW"),
                      ("< 300 KB", lambda r: _lt(r.get("bytes"), 300 * KB), "OVER")],
    "calendar_month_uncached": [("p95 < 200 ms", lambda r: _lt(r.get("p95_ms"), 200), "SLOW")],
    "calendar_week_uncached": [("p95 < 200 ms", lambda r: _lt(r.get("p95_ms"), 200), "SLOW")],
    "calendar_ics": [("p95 < 1 s (project)", lambda r: _lt(r.get("p95_ms"), 1000), "SLOW")],
    # Every worker must name the feed alike for the 304 (a per-process data version does not:
    # without CACHE_REDIS_URL the feed's ETag differs from worker to worker).
    "calendar_ics_304": [("p95 < 10 ms", lambda r: _lt(r.get("p95_ms"), 10), "SLOW"),
                         ("all 304", lambda r: None if "statuses" not in r else set(r["statuses"]) == {"304"}, "NOT-304")],
    "tasks_throughput": [(">= 0.25 x hello", lambda r: None if r.get("ratio") is None else r["ratio"] >= 0.25,
                          "SLOW")],
    "memory_rss": [("< 150 MB/worker", lambda r: _lt(r.get("max_rss_mb"), 150), "OVER"),
                   ("flat", lambda r: r.get("flat"), "OVER")],
    "growth": [("< 50 MB", lambda r: _lt(r.get("growth_mb"), 50), "OVER")],
}

# Issue 9's own "before" (4 sync workers, PostgreSQL, a busy machine): a reference, not a result.
ISSUE_9 = {
    "tasks_first_page": {"dragor": "57 ms, 32 KB", "denmark": "0.9 s, 685 KB"},
    "calendar_month": {"dragor": "1.3 s, 1.1 MB", "denmark": "62 s, 57 MB"},
    "calendar_week": {"dragor": "0.37 s, 238 KB", "denmark": "20 s, 11.6 MB"},
    "calendar_ics": {"dragor": "6.1 s, 5.9 MB", "denmark": "killed at 121 s, 3.2 GB"},
    "calendar_ics_304": {"dragor": "8 s"},
    "task_page": {"dragor": "16 ms", "denmark": "17 ms"},
    "tasks_throughput": {"dragor": "ratio 0.02-0.04", "denmark": "ratio 0.02-0.04"},
}


def _lt(value, limit):
    return None if value is None else value < limit


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
                  not_redirects=sum(1 for status, _ in answers if status != 302), status="ok")
    return result


def race_and_personal_feed(url, scale_name, kind) -> dict:
    """The scenarios on a fresh bench/data.py database."""
    from bench.data import SCALES, generate, recreate_database
    from bench.pages import timed_gets
    from portal import create_app
    from portal.extensions import db

    scale = SCALES[scale_name]
    started = time.perf_counter()
    recreate_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "MAIL_URL": "memory://",
                      "SECRET_KEY": "bench-secret"})
    with app.app_context():
        fixture = generate(scale)
        db.session.remove()
        db.engine.dispose()
    print(f"race database, {scale_name} on {kind}: {scale.users} users, {scale.clients} racers, one volunteer with "
          f"{fixture.feed_signups} times; made in {time.perf_counter() - started:.1f} s")
    results = {}
    with Server(url) as server:
        results["signup_race"] = race(app, server.port, fixture, scale)
        results["personal_feed"] = timed_gets(server, f"/me/calendar/{fixture.feed_token}.ics",
                                              repeats=REPEATS[scale_name], budget_s=PAGE_BUDGET_S[scale_name])
        results["personal_feed"]["signups"] = fixture.feed_signups
        print(f"  personal_feed: {_brief(results['personal_feed'])}")
    results["_fixture"] = fixture
    return results


def generated_database(url, scale_name, kind, regenerate):
    from bench import matching
    from portal.models import utcnow

    murl = matching.matching_url(url, scale_name)
    print(f"generated database (tools.datagen), {scale_name} scale on {kind} ({make_safe(murl)})")
    prepared = matching.prepare(murl, scale_name, regenerate=regenerate)
    if prepared.reused and utcnow() - prepared.now > STALE_AFTER:
        print(f"  made at {prepared.now:%Y-%m-%d %H:%M}, so its times are no longer eight weeks ahead: making it anew")
        prepared = matching.prepare(murl, scale_name, regenerate=True)
    if not prepared.reused:
        print(f"  generated {prepared.counts} in {prepared.seconds} s")
    return prepared


def pages(prepared, scale_name, kind) -> dict:
    from bench import memory
    from bench.load import throughput
    from bench.pages import choose, compressed_bytes, scenarios, timed_gets
    from portal import create_app
    from portal.models import utcnow
    from tools.datagen import PASSWORD

    app = create_app({"SQLALCHEMY_DATABASE_URI": prepared.url, "RATELIMIT_ENABLED": False, "MAIL_URL": "memory://",
                      "SECRET_KEY": "bench-secret"})
    with app.app_context():
        from portal.extensions import db
        targets = choose(utcnow())
        db.engine.dispose()
    print(f"  month {targets.month} ({targets.month_times} times), week {targets.week} ({targets.week_times} times), "
          f"task {targets.task_id} ({targets.task_times} times), organisation {targets.organisation} "
          f"({targets.organisation_tasks} tasks)")
    repeats, budget = REPEATS[scale_name], PAGE_BUDGET_S[scale_name]
    results = {}
    with Server(prepared.url) as server:
        for name, path in scenarios(targets).items():
            started = time.perf_counter()
            results[name] = result = timed_gets(server, path, repeats=repeats, budget_s=budget)
            result["path"] = path
            if result["status"] == "ok":
                result["gzip_bytes"] = compressed_bytes(server.port, path)
            print(f"  {name}: {_brief(result)} ({time.perf_counter() - started:.0f} s)")
            if name == "calendar_ics":
                if result.get("etag"):
                    results["calendar_ics_304"] = timed_gets(server, path, repeats=repeats, budget_s=budget,
                                                             headers={"If-None-Match": result["etag"]},
                                                             expect=(304, 200))
                else:
                    results["calendar_ics_304"] = {"n": 0, "p50_ms": None, "p95_ms": None, "status": "skipped",
                                                   "detail": "no ETag: the feed itself did not answer"}
                results["calendar_ics_304"]["path"] = path + " (If-None-Match)"
                print(f"  calendar_ics_304: {_brief(results['calendar_ics_304'])}")

        print(f"  load: {LOAD_CONNECTIONS} connections for {LOAD_S} s on /tasks, then on a hello world")
        portal = throughput(server.port, "/tasks", seconds=LOAD_S, connections=LOAD_CONNECTIONS)
    with Server(None, app="bench.hello:app", name="gunicorn-hello") as hello_server:
        hello = throughput(hello_server.port, "/", seconds=LOAD_S, connections=LOAD_CONNECTIONS)
    ratio = (round(portal["req_per_s"] / hello["req_per_s"], 3)
             if portal.get("req_per_s") and hello.get("req_per_s") else None)
    results["tasks_throughput"] = {
        "n": portal.get("n"), "p50_ms": portal.get("p50_ms"), "p95_ms": portal.get("p95_ms"),
        "req_per_s": portal.get("req_per_s"), "hello_req_per_s": hello.get("req_per_s"), "ratio": ratio,
        "errors": portal.get("errors"), "hello_errors": hello.get("errors"), "tool": portal.get("tool"),
        "status": "ok" if ratio is not None else "error",
        "detail": portal.get("note") or portal.get("detail") or hello.get("detail")}
    print(f"  /tasks {portal.get('req_per_s')} req/s, hello world {hello.get('req_per_s')} req/s: ratio {ratio}")

    # What could not be repeated in the page scenarios (killed, or slower than 10 s) stays out of the mix.
    too_slow = {r["path"] for name, r in results.items() if name != "calendar_ics_304"
                and r.get("path") and (r["status"] != "ok" or (r.get("p50_ms") or 0) > 10_000)}
    print(f"  memory: {memory.TOTAL} mixed requests (at most {MIX_BUDGET_S[scale_name]} s)"
          + (f", leaving out {sorted(too_slow)}" if too_slow else ""))
    with Server(prepared.url, name="gunicorn-memory") as server:
        results["memory_rss"] = memory.mixed(server, targets, password=PASSWORD, feed_token=None, too_slow=too_slow,
                                             budget_s=MIX_BUDGET_S[scale_name])
    kinds = {name: path for name, path in scenarios(targets).items()}
    kinds["me_logged_in"] = "/me"
    results.update(memory.growth(prepared.url, kinds, login=(targets.emails[0], PASSWORD) if targets.emails else None))
    return results


def _brief(r: dict) -> str:
    if r["status"] != "ok":
        return f"{r['status']}: {r.get('detail')}"
    size = f", {r['bytes'] / KB:.1f} KB" if r.get("bytes") is not None else ""
    return f"n={r['n']} p50 {r['p50_ms']} ms p95 {r['p95_ms']} ms{size}"


def verdict(scenario: str, r: dict) -> tuple[str, str]:
    """(the goal, ok / SLOW / OVER / killed / error / -)."""
    goals = GOALS.get("growth" if scenario.startswith("growth_") else scenario)
    if goals is None and "target_p95_ms" in r:  # the matching scenarios carry their own
        goals = [(f"p95 < {r['target_p95_ms']} ms", lambda x: x.get("within_target"), "SLOW")]
    label = "; ".join(g[0] for g in goals) if goals else "-"
    if r.get("status") in ("killed", "error", "missing", "skipped", "partial"):
        return label, r["status"]
    if not goals:
        return label, "-"
    misses = [word for _, check, word in goals if check(r) is False]
    if not misses and all(check(r) is None for _, check, _ in goals):
        return label, "-"
    return label, "/".join(dict.fromkeys(misses)) or "ok"


def _measured(r: dict) -> str:
    """What a row measures besides time and size: the throughput ratio, the memory."""
    if r.get("ratio") is not None:
        return f"ratio {r['ratio']:.3f}"
    if r.get("growth_mb") is not None:
        return f"+{r['growth_mb']:.1f} MB"
    if r.get("max_rss_mb") is not None:
        return f"max {r['max_rss_mb']:.0f} MB"
    return ""


def _figure(r: dict | None) -> str:
    """A short cell: the p95 (or req/s, or MB) and the size."""
    if r is None:
        return ""
    if r.get("status") in ("killed", "error", "skipped", "missing"):
        return r["status"]
    if r.get("status") == "partial":
        return f"{r.get('max_rss_mb') or 0:.0f} MB after {r['n']}"
    parts = []
    if r.get("ratio") is not None:
        parts.append(f"ratio {r['ratio']:.3f}")
    elif r.get("growth_mb") is not None:
        parts.append(f"+{r['growth_mb']:.0f} MB")
    elif r.get("max_rss_mb") is not None:
        parts.append(f"{r['max_rss_mb']:.0f} MB")
    elif r.get("p95_ms") is not None:
        parts.append(f"{r['p95_ms']:.0f} ms")
    if r.get("bytes") is not None:
        parts.append(f"{r['bytes'] / KB:.0f} KB")
    return ", ".join(parts)


def print_table(rows: dict, scale: str, before: dict) -> None:
    header = (f"{'scenario':26} {'n':>6} {'p50 ms':>9} {'p95 ms':>9} {'KB':>8} {'measured':>18}  {'goal':28} {'':9}"
              f" {'issue 9 (busy machine)':24} {'before':>14}")
    print(header)
    print("-" * len(header))
    for key, r in rows.items():
        scenario = key.split("@")[0]
        goal, word = verdict(scenario, r)
        cells = [r.get(k) if r.get(k) is not None else "-" for k in ("n", "p50_ms", "p95_ms")]
        size = f"{r['bytes'] / KB:.1f}" if r.get("bytes") is not None else "-"
        reference = ISSUE_9.get(scenario, {}).get(scale, "")
        print(f"{scenario:26} {cells[0]:>6} {cells[1]:>9} {cells[2]:>9} {size:>8} {_measured(r):>18}  {goal:28} {word:9}"
              f" {reference:24} {_figure(before.get(key)):>14}")
    if any(key.split("@")[0] in ISSUE_9 for key in rows):
        print("issue 9's column: the issue's own figures (PostgreSQL, gunicorn 4 sync workers, a busy machine), "
              "for reference; KB = 1,000 bytes, uncompressed")


def print_notes(rows: dict) -> None:
    for key, r in rows.items():
        scenario = key.split("@")[0]
        if scenario == "tasks_throughput":
            print(f"  {scenario}: /tasks {r.get('req_per_s')} req/s, hello world {r.get('hello_req_per_s')} req/s "
                  f"({r.get('tool')}, {LOAD_CONNECTIONS} connections, {LOAD_S} s each, {WORKERS} workers x "
                  f"{THREADS} threads); errors {r.get('errors')}/{r.get('hello_errors')}"
                  + (f"; {r['detail']}" if r.get("detail") else ""))
        elif scenario == "memory_rss":
            readings = "; ".join(f"after {v['requests']} requests ({v['seconds']} s): {v['rss_mb']}"
                                 for v in r.get("readings", {}).values())
            grew = (f"; grew {r['growth_after_2000_mb']} MB after the first 2,000"
                    if r.get("growth_after_2000_mb") is not None else "")
            print(f"  {scenario}: RSS per worker in MB {readings}{grew}" + (f"; {r['detail']}" if r.get("detail") else "")
                  + (f"; errors {r['errors']}" if r.get("errors") else ""))
        elif r.get("status") in ("killed", "error", "skipped", "missing") and r.get("detail"):
            print(f"  {scenario}: {r['status']}: {r['detail']}")
        elif r.get("statuses"):
            print(f"  {scenario}: answered {r['statuses']}, p95 by status {r.get('p95_ms_by_status')} ms"
                  + ("" if os.environ.get("BENCH_SHARED_CACHE") else " (no Redis: each worker keeps its own"
                     " data version, so its own ETags)"))
        elif r.get("gzip_bytes"):
            print(f"  {scenario}: {r['bytes'] / KB:.1f} KB, {r['gzip_bytes'] / KB:.1f} KB gzipped")


def closing_note(rows: dict, before: dict) -> None:
    pairs = [(k, before[k], r) for k, r in rows.items() if k in before]
    if not pairs:
        return
    print("\nbefore -> now (build/bench/before.json; same machine, other load: compare ratios, not milliseconds)")
    for key, old, new in pairs:
        print(f"  {key.split('@')[0]:26} {_figure(old):>22} -> {_figure(new)}")


def main(argv=None) -> int:
    from bench.data import SCALES, database_kind, default_url, environment_url

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="dragor")
    parser.add_argument("--only", choices=("web", "race", "pages", "matching", "dashboard"), default=None,
                        help="web = race and pages (everything served by gunicorn); or one part alone")
    parser.add_argument("--regenerate", action="store_true", help="generate the generated database anew")
    parser.add_argument("--show", action="store_true",
                        help="print the table of the stored results for this scale and database; measure nothing")
    args = parser.parse_args(argv)
    parts = {None: {"race", "pages", "matching", "dashboard"}, "web": {"race", "pages"}}.get(args.only, {args.only})
    url = environment_url() or default_url(ROOT, args.scale)
    kind = database_kind(url)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.show:
        return show(args.scale, kind)

    started = time.perf_counter()
    results, timings = {}, {}
    if "race" in parts:
        t = time.perf_counter()
        found = race_and_personal_feed(url, args.scale, kind)
        found.pop("_fixture")
        results.update(found)
        timings["race"] = time.perf_counter() - t
    prepared = None
    if parts & {"pages", "matching", "dashboard"}:
        t = time.perf_counter()
        prepared = generated_database(url, args.scale, kind, args.regenerate)
        timings["generated data"] = time.perf_counter() - t
    if "pages" in parts:
        t = time.perf_counter()
        results.update(pages(prepared, args.scale, kind))
        timings["pages"] = time.perf_counter() - t
    if "matching" in parts:
        from bench import matching
        t = time.perf_counter()
        print(f"matching scenarios, {args.scale} scale on {kind}")
        for scenario, result in matching.run(prepared, args.scale).items():
            result["datagen_seconds"], result["datagen_reused"] = prepared.seconds, prepared.reused
            results[scenario] = result
        timings["matching"] = time.perf_counter() - t
    if "dashboard" in parts:
        from bench import dashboard
        t = time.perf_counter()
        print(f"dashboard scenarios, {args.scale} scale on {kind}")
        results.update(dashboard.run(prepared, args.scale))
        timings["dashboard"] = time.perf_counter() - t

    load = round(os.getloadavg()[0], 1)
    keyed = {}
    for scenario, result in results.items():
        result.setdefault("load_1min", load)
        keyed[f"{scenario}@{args.scale}@{kind}"] = result

    path = OUT / "results.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    before_path = OUT / "before.json"
    before = json.loads(before_path.read_text()) if before_path.exists() else {}
    from bench.matching import annotate
    annotate(keyed, stored)
    print(f"\n{args.scale} scale on {kind}; load average {load} on {os.cpu_count()} cores"
          f" (others' work skews absolute times; ratios within one run hold)")
    print_table(keyed, args.scale, before)
    print_notes(keyed)
    closing_note(keyed, before)
    stored.update(keyed)
    path.write_text(json.dumps(stored, indent=2, sort_keys=True, default=str) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s in all ("
          + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ")")

    race_result = results.get("signup_race")
    if race_result and ((race_result["confirmed"], race_result["taken"]) != (race_result["capacity"],) * 2
                        or race_result["server_errors"] or race_result["not_redirects"]):
        print(f"FAILED: the sign-up race went wrong: {race_result}", file=sys.stderr)
        return 1
    return 0


# The order of the rows when the table is printed from build/bench/results.json.
ORDER = ["signup_race", "personal_feed", "tasks_first_page", "tasks_first_page_uncached", "calendar_month",
         "calendar_month_uncached", "calendar_week", "calendar_week_uncached", "calendar_ics",
         "calendar_ics_304", "task_page", "front_page", "organisation_page", "tasks_throughput", "memory_rss",
         "growth_", "recommendations", "search_distance", "search_within", "find_volunteers", "dashboard"]


def _place(key: str) -> tuple[int, str]:
    scenario = key.split("@")[0]
    return next((i for i, name in enumerate(ORDER) if scenario.startswith(name)), len(ORDER)), key


def show(scale: str, kind: str) -> int:
    stored = json.loads((OUT / "results.json").read_text()) if (OUT / "results.json").exists() else {}
    before = json.loads((OUT / "before.json").read_text()) if (OUT / "before.json").exists() else {}
    rows = {k: stored[k] for k in sorted(stored, key=_place) if k.endswith(f"@{scale}@{kind}")}
    print(f"{scale} scale on {kind} (stored in build/bench/results.json)")
    print_table(rows, scale, before)
    print_notes(rows)
    closing_note(rows, before)
    return 0


def make_safe(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
