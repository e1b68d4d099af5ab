# The commands a person types. `make run` and `make test` are the two the README names.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# Every dependency, direct and transitive, build tools included, pinned with its hashes.
LOCK := requirements.lock

.PHONY: run test test-fast test-slow prove check lint security install lock messages backup restore bench-matching bench-pages bench-reminders load clean

# Only what the lock names, and only with the hashes it names; then the project itself, built
# with the locked setuptools (no build environment fetched from the index).
$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r $(LOCK)
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

## Refresh requirements.lock after changing the dependencies in pyproject.toml (needs the index).
## Hashes come from the public index alone (no local mirror), so every machine can check them.
lock: install
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(VENV)/bin/pip-compile --quiet --generate-hashes \
		--allow-unsafe --extra dev --all-build-deps --strip-extras --output-file $(LOCK) pyproject.toml

## Serve the platform on http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops all).
run: install
	$(PY) scripts/serve.py

## The whole test suite: the fast tests in parallel, then the browser and fault tests.
## (The resilience suite is `make prove`.)
test: install
	$(PY) -m pytest -n 2 -m "not slow and not resilience" $(PYTEST_ARGS)
	$(PY) -m pytest -m "slow and not resilience" $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -n 2 -m "not slow and not resilience" $(PYTEST_ARGS)

test-slow: install
	$(PY) -m pytest -m "slow and not resilience" $(PYTEST_ARGS)

## Prove it holds: reminders under real faults, canaries, hostile input, concurrency, restore.
## Runs on a PostgreSQL cluster, Redis and mail server of its own; prints each scenario's figures.
prove: install
	$(PY) -m pytest -p no:xdist -m resilience tests/resilience $(PYTEST_ARGS)

## Back up the database of DATABASE_URL and the uploaded files into a new folder under BACKUP_DIR
## (default var/backups); prints the folder. PostgreSQL (pg_dump) and the embedded SQLite file.
backup: install
	$(PY) manage.py backup

## Restore a backup into an EMPTY database and MEDIA_ROOT: make restore BACKUP=var/backups/restart-...
## Refuses when the database has tables or MEDIA_ROOT has files, unless FORCE=1.
BACKUP ?=
FORCE ?=
restore: install
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/restart-..."; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" $(if $(FORCE),--force)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Static security check: fails on any finding of high severity (accepted ones: .bandit.yml).
security: install
	$(VENV)/bin/bandit --quiet --configfile .bandit.yml --severity-level high --recursive .

## What CI runs, minus the services: lint, Django's checks, migrations, tests.
check: install lint security
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) test

## Refresh the Dutch catalogue after adding strings; then translate the new entries.
messages: install
	DEBUG=1 $(PY) manage.py makemessages --locale nl --ignore ".venv/*" --ignore "var/*" --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --locale nl --ignore ".venv/*"

## Time suggestions and assignment proposals on 5,000 invented young people, in a database of its own.
bench-matching: install
	DEBUG=1 $(PY) -m tests.perf bench_matching

## Time every main page at ten times the demo's size, next to the admin and a bare ListView.
bench-pages: install
	DEBUG=1 $(PY) -m tests.perf bench_pages

## Deliver 10,000 reminders due at once through two Celery workers to a local SMTP sink.
bench-reminders: install
	DEBUG=1 $(PY) -m tests.perf bench_reminders

## 50 people at once for 3 minutes (locust) against `make run`'s stack on the page benchmark's world.
## Options: make load LOAD_ARGS="--users 20 --duration 60 --size 0.1 --keep" (see --help).
LOAD_ARGS ?=
load: install
	DEBUG=1 $(PY) -m tests.perf load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var/static var/celery-broker
