# Dragør Frivillig. `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
PORT ?= 5000
# Links in mail and the calendar address follow the port `make run` serves on, unless BASE_URL is set.
RUN_BASE_URL = $(or $(BASE_URL),http://127.0.0.1:$(PORT))
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard portal/translations/*/LC_MESSAGES/messages.po))
SCALE ?= dragor

.PHONY: run test test-dates bench vendor translations extract-messages update-messages clean help

help:
	@echo "make run    - start the portal with Dragør demo data on http://127.0.0.1:$(PORT)"
	@echo "make test   - run the whole test suite (also on PostgreSQL when TEST_DATABASE_URL is set), then make test-dates"
	@echo "make test-dates - the non-browser tests again with the clock at awkward moments (needs faketime)"
	@echo "make bench  - benchmarks at Dragør scale (SCALE=denmark for national; BENCH_DATABASE_URL picks the database)"
	@echo "make vendor - refresh the vendored DKFDS and Leaflet files from the pinned npm packages"

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

%.mo: %.po $(VENV)/.runtime
	$(BIN)/pybabel compile -i $< -o $@ >/dev/null

translations: $(CATALOGUES)

extract-messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o portal/translations/messages.pot --no-location --sort-output --project "Dragør Frivillig" .

update-messages: extract-messages
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-wrap --no-fuzzy-matching

run: $(VENV)/.runtime translations
	$(FLASK) db upgrade
	$(FLASK) demo-data
	@echo "Serving Dragør Frivillig on http://127.0.0.1:$(PORT)  (mail is printed here and listed at /dev/mail)"
	@DEV_MAIL_PAGE=1 BASE_URL="$(RUN_BASE_URL)" $(FLASK) tick --every 5 & tick=$$!; trap "kill $$tick 2>/dev/null" EXIT INT TERM; \
	  DEV_MAIL_PAGE=1 BASE_URL="$(RUN_BASE_URL)" $(FLASK) run --host 127.0.0.1 --port $(PORT)

node_modules/.package-lock.json: package.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; else echo "npm not found: browser accessibility checks will be skipped"; fi

test: $(VENV)/.dev translations node_modules/.package-lock.json
	$(BIN)/python -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
	  TEST_DB=postgresql $(BIN)/python -m pytest -q; \
	fi
	@$(MAKE) --no-print-directory test-dates

# The non-browser tiers again with the clock (libfaketime) at awkward moments: the last day
# of a month, New Year's Eve, the Saturdays before daylight saving changes. Skipped, saying
# so, without Debian's `faketime`. MOMENTS="label=2027-03-28T00:30:00 ..." (UTC) for others.
test-dates: $(VENV)/.dev translations
	PYTHON=$(BIN)/python bash scripts/test-dates.sh

# Benchmarks (design.md section 7): SCALE=dragor|denmark; BENCH_DATABASE_URL picks the database
# (default: a SQLite file under build/bench/). Results: a table here and build/bench/results.json.
# BENCH_ARGS="--only matching" (or web, race, pages) runs a part; "--regenerate" remakes the generated
# data. Throughput is measured with wrk when installed (apt-get install wrk), otherwise in Python.
bench: $(VENV)/.dev translations
	$(BIN)/python -m bench.run --scale $(SCALE) $(BENCH_ARGS)

vendor: node_modules/.package-lock.json
	bash scripts/vendor-dkfds.sh
	bash scripts/vendor-leaflet.sh

clean:
	rm -rf $(VENV) node_modules build .pytest_cache
