# coopsip: `make run` for the app with demo data, `make test` for every test.
# Needs only Python 3.11-3.13 and make: the rest is installed from uv.lock.

# The first Python between 3.11 and 3.13 found on the PATH (override: make run PYTHON=/path/to/python).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null \
	&& echo $$p && break; done)
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run stack test setup setup-test messages check-messages lint typecheck worker demo-code clean

$(UV):
	@test -n "$(PYTHON)" || { echo "coopsip needs Python 3.11, 3.12 or 3.13 (python3.1x on the PATH)."; exit 1; }
	@$(PYTHON) -m venv $(TOOLS) || { echo "Could not create a virtual environment: on Debian/Ubuntu, install python3-venv."; exit 1; }
	$(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

setup: $(UV)
	$(UV) sync --frozen --no-dev --inexact --python $(PYTHON)
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --no-input

## run: set up, load the demo data and serve http://127.0.0.1:8000, with the background worker beside it
# Background tasks (a formation run, emails) go to the database queue and the worker runs them, as in
# production: a request never waits for them, and the run page shows the run's progress. Ctrl+C stops both.
run: setup
	$(PY) manage.py load_demo
	@echo "Starting the background worker and the server (Ctrl+C stops both)."
	TASKS_BACKEND=database $(PY) manage.py db_worker --queue-name "*" & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	TASKS_BACKEND=database $(PY) manage.py runserver 127.0.0.1:8000

## stack: the production stack on this machine (Caddy, gunicorn x3, two task workers, the scheduler;
# PostgreSQL and Redis must run): http://127.0.0.1:8100, DEBUG off. See docs/operations.md.
stack: $(UV)
	$(UV) sync --frozen --no-dev --inexact --python $(PYTHON)
	$(PY) manage.py compile_translations
	scripts/stack.sh

setup-test: $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	$(PY) manage.py compile_translations
	$(PY) scripts/ensure_chromium.py

## test: set up and run every test (browser tests included)
test: setup-test
	$(PY) -m pytest

## demo-code: the current two-factor code of the demo staff and board accounts
demo-code:
	$(PY) manage.py demo_totp_code

## worker: run background tasks (when TASKS_BACKEND=database)
worker:
	$(PY) manage.py db_worker --queue-name "*"

## messages: extract texts to translate into the nl/fr/en catalogues
messages:
	$(PY) manage.py makemessages --locale nl --locale fr --locale en --ignore ".venv/*" --ignore ".tools/*" --no-obsolete
	$(PY) manage.py fill_english_catalogue
	$(PY) manage.py compile_translations

check-messages:
	$(PY) manage.py check_translations

lint:
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck:
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(TOOLS) var
