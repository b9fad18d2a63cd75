"""Throughput under load: wrk (Debian's `wrk` package) when it is installed, otherwise a small
load generator in Python (said so in the result: it shares the 2 cores with the server and tops
out far lower, so only its ratio means anything)."""

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
# wrk's --latency prints 50/75/90/99%; the bench's tables speak of p95, which only a script can ask for.
_PERCENTILES_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("bench-p50-us %d\\nbench-p95-us %d\\n", latency:percentile(50), latency:percentile(95)))
end
"""


def throughput(port: int, path: str, *, seconds: int, connections: int) -> dict:
    if shutil.which("wrk"):
        return _wrk(port, path, seconds=seconds, connections=connections)
    result = _python(port, path, seconds=seconds, connections=connections)
    result["note"] = "wrk not installed (apt-get install wrk): Python load generator"
    return result


def _wrk(port, path, *, seconds, connections) -> dict:
    # wrk runs on the server's own cores and takes some of their time; the portal and the hello
    # world pay the same price, so the ratio stands while the absolute figures are low.
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "percentiles.lua"
        script.write_text(_PERCENTILES_LUA)
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
                   "-s", str(script), f"http://127.0.0.1:{port}{path}"]
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    result = {"tool": "wrk", "seconds": seconds, "connections": connections}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result["req_per_s"] = round(float(m.group(1)), 1)
    if m := re.search(r"(\d+) requests in", out):
        result["n"] = int(m.group(1))
    for label, key in (("50", "p50_ms"), ("95", "p95_ms")):
        if m := re.search(rf"bench-p{label}-us (\d+)", out):
            result[key] = round(int(m.group(1)) / 1000, 1)
    if m := re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out):
        result["p99_ms"] = round(float(m.group(1)) * _UNITS[m.group(2)], 1)
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    result["errors"] = errors
    if "req_per_s" not in result:
        result["detail"] = out.strip()[-300:] or "wrk printed nothing"
    return result


def _python(port, path, *, seconds, connections) -> dict:
    """`connections` threads, each with one keep-alive connection, for `seconds`."""
    stop = time.monotonic() + seconds
    counts, errors, lock, latencies = [0], [0], threading.Lock(), []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = failed = 0
        mine = []
        while time.monotonic() < stop:
            try:
                started = time.perf_counter()
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - started)
                if response.status >= 400:
                    failed += 1
                done += 1
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except OSError:
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            counts[0] += done
            errors[0] += failed
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    from bench.stats import summary
    timing = summary(latencies) if latencies else {}
    return {"tool": "python", "seconds": seconds, "connections": connections, "n": counts[0],
            "req_per_s": round(counts[0] / elapsed, 1), "errors": errors[0],
            "p50_ms": timing.get("p50_ms"), "p95_ms": timing.get("p95_ms")}
