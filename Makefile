# Werkwijs: two commands for a newcomer, `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Tests and benchmarks run against the machine's real PostgreSQL and Redis,
# connecting as a role that is neither superuser nor BYPASSRLS.
PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
TEST_DATABASE_URL ?= postgresql://werkwijs:werkwijs@127.0.0.1:5432/werkwijs
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# pytest-xdist workers for the main run: each gets its own test database (`_gw<N>`)
# and Redis database (TEST_REDIS_URL's, counting down: see tests/conftest.py).
# `worksteal` hands out contiguous runs of tests, so module-scoped fixtures (the
# isolation walk's two organisations) are built about once per worker.
TEST_WORKERS ?= 2

.PHONY: run test bench setup lint format messages db-role browser axe clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

messages: setup
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
	  command -v msgfmt >/dev/null || { \
	    echo "Installing Debian's gettext to compile the translations"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }; \
	  $(BIN)/python manage.py compilemessages --ignore=.venv >/dev/null; \
	else echo "No translation catalogues under locale/ yet: nothing to compile"; fi

# Everything local lives under var/: the SQLite database, the embedded Celery
# broker's folders, e-mail as files (var/mail/). PORT picks another port.
run: setup messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runall

db-role:
	@command -v psql >/dev/null || { echo "psql is missing: install postgresql-client"; exit 1; }
	psql "$(PG_ADMIN_URL)" -v ON_ERROR_STOP=1 -q -f platform/postgres/test-role.sql

browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# axe-core checks every page the browser tests visit for accessibility (WCAG 2.2 AA).
# It comes from the npm registry into var/node/ (git-ignored), never into the repository.
AXE := var/node/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's npm to fetch axe-core for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix var/node axe-core@4

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup messages db-role browser axe lint
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(BIN)/pytest -q -n $(TEST_WORKERS) --dist worksteal
	# The search tests again on SQLite (make run's database, FTS5): same queries, same units.
	DATABASE_URL=sqlite:///$(CURDIR)/var/test-search.sqlite3 REDIS_URL=$(TEST_REDIS_URL) \
	  TEST_DATABASE_NAME= $(BIN)/pytest -q tests/microlearning/test_search*.py

bench: setup messages db-role
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
