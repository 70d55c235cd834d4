# Commons — the two commands: `make run` and `make test`.
# Without DATABASE_URL / REDIS_URL both start an embedded PostgreSQL and Redis under .local/.

PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: setup run test lint format bench messages services-down clean help

help:
	@echo "make run    - set up and serve web, worker and beat with a demo organisation"
	@echo "make test   - set up and run the test suite"
	@echo "make lint   - ruff check and format check"

$(PY):
	$(PYTHON_SYSTEM) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[embedded,dev]"
	@touch $(STAMP)

setup: $(STAMP)
	@$(PY) scripts/compilemessages.py

run: setup
	PORT=$(PORT) $(PY) scripts/commons.py run

test: setup
	$(PY) scripts/commons.py test $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Extract translatable strings into locale/fr (needs GNU gettext's xgettext), then translate
# the new entries in locale/fr/LC_MESSAGES/django.po; `make setup` compiles them.
messages: setup
	$(PY) manage.py makemessages -l fr --ignore=".venv/*" --ignore=".local/*" --ignore="node_modules/*" --no-obsolete
	$(PY) scripts/compilemessages.py

# The scale benchmark (issue 9; not part of CI): seeds scale S and L (reused when already
# seeded), serves them with gunicorn under production settings, drives load with wrk (or a Python
# generator) and writes docs/benchmarks.md. About 30 minutes the first time; for less:
# BENCH_ARGS="--sizes S --duration 5 --skip-orgs --skip-background".
BENCH_ARGS ?=
bench: setup
	$(PY) scripts/commons.py exec -- $(PY) scripts/bench/run.py $(BENCH_ARGS)

services-down:
	$(PY) scripts/devservices.py down

clean: services-down
	rm -rf .local $(VENV) staticfiles
