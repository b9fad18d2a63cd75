#!/usr/bin/env bash
# The non-browser tiers (core, services, web) again with the clock at awkward moments, so a
# test that only passes on ordinary days fails here first (design.md section 5, "Time is
# right"). libfaketime (Debian's `faketime`) moves the wall clock of pytest and anything it
# starts; the monotonic clock stays real, so timeouts and waits keep their length.
#
# MOMENTS="label=2027-03-28T00:30:00 ..." (UTC) picks other moments; with TEST_DATABASE_URL
# set, the moments in PG_MOMENTS ("all" for every one) run on PostgreSQL too (its own now()
# does not move, but the code never asks the database for the time).
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
if [ -z "$lib" ]; then
  echo "== test-dates: SKIPPED, libfaketime is not installed (apt-get install faketime); the suite was not run at awkward moments =="
  exit 0
fi

# UTC, as the wall clock is set in UTC (TZ=UTC below); the comments give Copenhagen time.
DEFAULT_MOMENTS=(
  "last-day-of-november=2026-11-30T22:30:00"   # Mon 30 Nov 23:30 CET: "in 2 days" is next month
  "new-years-eve=2026-12-31T21:30:00"          # Thu 31 Dec 22:30 CET: next week is next year
  "end-of-february=2027-02-28T22:30:00"        # Sun 28 Feb 23:30 CET: late on a Sunday, a short month ends
  "before-summer-time=2027-03-27T21:30:00"     # Sat 27 Mar 22:30 CET: tonight has 23 hours
  "before-winter-time=2026-10-24T20:30:00"     # Sat 24 Oct 22:30 CEST: tonight has 25 hours
)
# shellcheck disable=SC2206
moments=(${MOMENTS:-${DEFAULT_MOMENTS[@]}})

# Debian's libfaketime 0.9.10 breaks time.sleep() when the monotonic clock is left real;
# scripts/faketime/sitecustomize.py mends it in every Python process that inherits PYTHONPATH.
export PYTHONPATH="$PWD/scripts/faketime${PYTHONPATH:+:$PYTHONPATH}"
# Left out: the tests against a multi-process gunicorn. They test concurrency, not dates, and
# start it with a PYTHONPATH of their own, so its workers' time.sleep() fails here.
# The fuzz walk (test_fuzz.py) runs on both databases in `make test`; it checks input, not
# dates, and would double this target's time.
exclude=(
  --ignore=tests/web/test_http_race.py
  --ignore=tests/web/test_limits_across_workers.py
  --ignore=tests/web/test_fuzz.py
  # Two gunicorn nodes (concurrency, as above) and schemathesis's input walk over the API
  # (input, like the fuzz walk; about 4 minutes per moment).
  --ignore=tests/web/test_two_nodes.py
  --ignore=tests/web/test_api_openapi.py
  # The 50-thread SQLite race: libfaketime's cost on every clock call makes it three times
  # slower (65 s instead of 21 s here); on a loaded machine its 10 s busy timeout ran out.
  --deselect=tests/services/test_race.py::test_fifty_concurrent_signups_for_five_places_confirm_exactly_five_and_the_counter_matches
)

# On PostgreSQL (with TEST_DATABASE_URL) the moments named here, to keep CI short: the
# dates are computed in Python on both databases, so SQLite at every moment finds most.
PG_MOMENTS=${PG_MOMENTS:-"new-years-eve before-summer-time"}

failed=()
for moment in "${moments[@]}"; do
  label=${moment%%=*}
  when=${moment#*=}
  when=${when/T/ }
  databases=(sqlite)
  if [ -n "${TEST_DATABASE_URL:-}" ] && [[ " $PG_MOMENTS " == *" $label "* || "$PG_MOMENTS" == all ]]; then
    databases+=(postgresql)
  fi
  for database in "${databases[@]}"; do
    echo "== the clock at $when UTC ($label), $database =="
    if ! env TZ=UTC LD_PRELOAD="$lib" FAKETIME="@$when" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        TEST_DB="$([ "$database" = postgresql ] && echo postgresql)" \
        "$PYTHON" -m pytest -q tests/core tests/services tests/web "${exclude[@]}"; then
      failed+=("$label ($database)")
    fi
  done
done

if [ ${#failed[@]} -gt 0 ]; then
  printf '== test-dates: FAILED at %s ==\n' "${failed[@]}"
  exit 1
fi
echo "== test-dates: green at ${#moments[@]} moments =="
