"""Memory of the gunicorn workers (issue 9: under 150 MB each after 10,000 mixed requests, and
flat; no single request may make a worker grow by more than 50 MB).

  memory_rss        WORKERS*THREADS browsers send MIXED requests (anonymous pages, feeds, task
                    pages, logged-in pages) round-robin; VmRSS of every worker is read from /proc
                    after 2,000 and after 10,000 requests (or when the time budget ends: the
                    result says how many were sent). Flat: the largest worker grew by at most
                    FLAT_PERCENT between the two readings.
  growth_<page>     for each page kind, a fresh gunicorn with one worker: its VmRSS after
                    /healthz, then one request of that page, then its VmHWM (the most it ever
                    held, so memory taken and given back still counts). This includes what any
                    first request costs (templates compiled, catalogues read): an upper bound."""

import itertools
import threading
import time

from bench.server import THREADS, WORKERS, Server, rss_mb

TOTAL, FIRST_READING = 10_000, 2_000
FLAT_PERCENT = 10


def mixed_paths(targets, feed_token: str | None, too_slow: set[str]) -> tuple[list[str], list[str]]:
    """(anonymous paths, logged-in paths), in the proportions of a day on the site: mostly lists
    and task pages, some organisation pages, a calendar app polling the feeds now and then."""
    tasks = itertools.cycle(targets.task_ids)
    orgs = itertools.cycle(targets.organisations)
    anonymous = []
    for _ in range(10):
        anonymous += ["/", "/tasks", "/tasks?page=2", f"/tasks/{next(tasks)}", f"/tasks/{next(tasks)}",
                      f"/tasks/{next(tasks)}", f"/organisations/{next(orgs)}", "/organisations",
                      f"/tasks?view=week&week={targets.week}"]
    anonymous += [f"/tasks?view=month&month={targets.month}", "/calendar.ics",
                  f"/organisations/{targets.organisation}/calendar.ics", f"/tasks/{targets.task_id}/calendar.ics"]
    if feed_token:
        anonymous.append(f"/me/calendar/{feed_token}.ics")
    anonymous = [p for p in anonymous if p not in too_slow]
    logged_in = [p for p in ("/", "/tasks", "/me", "/me/volunteering", f"/tasks/{targets.task_id}") if p not in too_slow]
    return anonymous, logged_in


def mixed(server: Server, targets, *, password: str, feed_token: str | None, too_slow: set[str],
          budget_s: float, log=print) -> dict:
    from bench.client import Browser

    anonymous, logged_in = mixed_paths(targets, feed_token, too_slow)
    clients = WORKERS * THREADS
    # Half the browsers are logged in (as different volunteers), half anonymous.
    browsers = []
    for i in range(clients):
        browser = Browser(server.port)
        if i % 2 and targets.emails:
            browser.log_in(targets.emails[i % len(targets.emails)], password, "/me")
            browsers.append((browser, logged_in))
        else:
            browsers.append((browser, anonymous))
    sent, errors, lock = [0], {}, threading.Lock()
    readings: dict[str, dict] = {}
    deadline = time.monotonic() + budget_s
    started = time.monotonic()
    reading_lock = threading.Lock()

    def read(label):
        with reading_lock:
            if label not in readings:
                readings[label] = {"requests": sent[0], "seconds": round(time.monotonic() - started, 1),
                                   "rss_mb": sorted(round(mb, 1) for mb in server.worker_rss().values())}

    def drive(browser, paths, offset):
        for path in itertools.islice(itertools.cycle(paths), offset, None):
            with lock:
                if sent[0] >= TOTAL or time.monotonic() > deadline:
                    return
                sent[0] += 1
                count = sent[0]
            try:
                status = browser.get(path)[0]
            except OSError as error:
                status = type(error).__name__
            if status not in (200, 304):
                with lock:
                    errors[str(status)] = errors.get(str(status), 0) + 1
            if count == FIRST_READING:
                read("after_2000")

    threads = [threading.Thread(target=drive, args=(b, paths, i * 7)) for i, (b, paths) in enumerate(browsers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    read("at_end")
    first, last = readings.get("after_2000"), readings["at_end"]
    result = {"n": sent[0], "p50_ms": None, "p95_ms": None, "seconds": round(time.monotonic() - started, 1),
              "readings": readings, "errors": errors, "left_out": sorted(too_slow),
              "max_rss_mb": max(last["rss_mb"]) if last["rss_mb"] else None, "status": "ok"}
    if server.killed:
        result["status"], result["detail"] = "killed", "; ".join(server.killed)
    if first and first["rss_mb"] and last["rss_mb"]:
        grew = max(last["rss_mb"]) - max(first["rss_mb"])
        result["growth_after_2000_mb"] = round(grew, 1)
        result["flat"] = grew <= max(first["rss_mb"]) * FLAT_PERCENT / 100
    if sent[0] < TOTAL:
        # Fewer requests than the goal names: the figure is a lower bound, not a pass.
        if result["status"] == "ok":
            result["status"] = "partial"
        result["detail"] = (result.get("detail", "") + f" stopped by the {budget_s:.0f} s budget after "
                            f"{sent[0]} requests").strip()
    log(f"  {sent[0]} mixed requests in {result['seconds']} s; RSS per worker (MB): "
        + ", ".join(f"{label} {r['requests']}: {r['rss_mb']}" for label, r in readings.items()))
    return result


def growth(url: str, paths: dict[str, str], *, login: tuple[str, str] | None, log=print) -> dict[str, dict]:
    """One fresh single-worker gunicorn per page kind; see the module's docstring."""
    from bench.client import Browser

    results = {}
    for name, path in paths.items():
        with Server(url, workers=1, name="gunicorn-growth") as server:
            (pid,) = server.worker_pids()
            browser = Browser(server.port)
            if name.endswith("_logged_in") and login:
                browser.log_in(*login, "/me")
            before = rss_mb(pid)
            started = time.perf_counter()
            try:
                status = browser.get(path)[0]
            except OSError as error:
                status = f"no answer ({type(error).__name__})"
            elapsed = time.perf_counter() - started
            time.sleep(0.3)
            peak = rss_mb(pid, "VmHWM")
            after = rss_mb(pid)
            result = {"n": 1, "p50_ms": round(elapsed * 1000, 1), "p95_ms": round(elapsed * 1000, 1),
                      "rss_before_mb": round(before, 1)}
            if server.killed or peak is None:
                result.update(status="killed", detail="; ".join(server.killed) or f"the worker died ({status})")
            elif status != 200:
                result.update(status="error", detail=f"GET {path} answered {status}")
            else:
                result.update(status="ok", growth_mb=round(peak - before, 1), rss_after_mb=round(after, 1),
                              peak_mb=round(peak, 1))
            results[f"growth_{name}"] = result
            log(f"  growth {name}: " + (f"{result['growth_mb']} MB in {elapsed:.1f} s" if "growth_mb" in result
                                        else f"{result['status']}: {result.get('detail')}"))
    return results
