# RecTrack everyday commands. `make demo` and `make test` work on a fresh clone:
# each installs what it needs into .venv first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
BENCH_N ?= 260000
UV ?= $(shell command -v uv || echo $(abspath $(BIN))/uv)

.PHONY: demo test lint format bench bench-import bench-weight bench-suggestions install install-dev lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed

# Development tools from npm (axe-core for the accessibility tests), pinned by package-lock.json.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-dev: $(VENV)/.dev-installed node_modules/.installed

## Set up the demonstration instance (SQLite) and serve it on http://127.0.0.1:$(PORT)
demo: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	WHITENOISE_USE_FINDERS=false $(BIN)/python manage.py collectstatic --noinput --clear -v0
	@$(BIN)/python manage.py create_demo_users
	@$(BIN)/python manage.py send_reminders --schedule
	@echo "RecTrack demo: http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@# The task worker (imports, daily e-mail digests) runs beside the web server and stops with it.
	$(BIN)/python manage.py db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	RECTRACK_COUNTRY=$${RECTRACK_COUNTRY:-Slovenia} WHITENOISE_USE_FINDERS=false $(BIN)/gunicorn rectrack.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --timeout 300 \
		--access-logfile - --log-level warning

## Run every test: lint, then the suite on SQLite and on PostgreSQL
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	scripts/run-tests

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Generate $(BENCH_N) recommendations and time the main pages on SQLite and PostgreSQL
bench: install-dev
	$(BIN)/python bench/run.py --count $(BENCH_N)

## Import a generated $(BENCH_N)-annotation UHRI JSON export twice, on SQLite and PostgreSQL
bench-import: install-dev
	$(BIN)/python bench/import_bench.py --count $(BENCH_N)

## Train, classify and index $(BENCH_N) recommendations; time one suggestion, similar ones, search by meaning
bench-suggestions: install-dev
	$(BIN)/python bench/suggestions_bench.py --count $(BENCH_N)

## What a browser downloads for each main page (demo data, Chromium); writes bench/results/page-weight-*.json
bench-weight: install-dev
	$(BIN)/python bench/page_weight.py

## Re-pin the dependencies (needs network access to PyPI and `uv`)
lock:
	cd requirements && $(UV) pip compile --python-version 3.11 --generate-hashes base.in -o base.txt
	cd requirements && $(UV) pip compile --python-version 3.11 --generate-hashes dev.in -o dev.txt

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
