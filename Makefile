# The commands a person types. `make run` and `make test` are the two the README names.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test test-fast test-slow check lint install messages bench-matching clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## Serve the platform on http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops all).
run: install
	$(PY) scripts/serve.py

## The whole test suite: the fast tests in parallel, then the browser and fault tests.
test: install
	$(PY) -m pytest -n 2 -m "not slow" $(PYTEST_ARGS)
	$(PY) -m pytest -m slow $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -n 2 -m "not slow" $(PYTEST_ARGS)

test-slow: install
	$(PY) -m pytest -m slow $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## What CI runs, minus the services: lint, Django's checks, migrations, tests.
check: install lint
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

clean:
	rm -rf $(VENV) var/static var/celery-broker
