# Two commands do everything: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Two stamps: `make run` needs only what the app runs on; the tests, linters and type
# checker (the `dev` extras and the browser tests' npm packages) come with `make test`.
RUNTIME_INSTALLED := $(VENV)/.installed-runtime
DEV_INSTALLED := $(VENV)/.installed-dev
BROWSER_TEST_DIR := tests/browser

# `make test` runs against PostgreSQL and Redis; these are this machine's defaults.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
TEST_ENV = DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)}
# The SQLite lane: what `make run` uses with no DATABASE_URL and no REDIS_URL (SQLite, the
# on-disk broker), tested by the end-to-end walk of tests/test_embedded_default.py (migrate,
# seed_demo, the main flows through the real views) and the parts of the suite that run the
# SQLite bodies of PostgreSQL statements (core/by_vendor.py). pytest-django keeps SQLite
# test databases in memory, so no file is written. Tests marked `postgresql` skip here.
# The API rows are in it for their hand-written column subqueries (api/representations.py),
# the review queue for its lines' rules (an array on PostgreSQL, pairs on SQLite), Manage
# Orders for its hand-written search (orders/seller_order_page.py), the order's door and the
# seller's facts for their hand-written statements (orders/access.py, messaging/facts.py),
# search for its FTS5 tables and triggers (search/selectors.py, the migration).
SQLITE_TEST_ENV = DATABASE_URL=sqlite:///$(CURDIR)/var/test-sqlite.sqlite3 REDIS_URL=
SQLITE_LANE := tests/test_embedded_default.py tests/test_unread_counts.py \
	tests/clock/test_performance_rollup.py tests/clock/test_reply_clock.py \
	tests/clock/test_reminders.py tests/test_send_path.py tests/test_proactive_counts.py \
	tests/test_healthz.py tests/core/test_by_vendor.py tests/api/test_representations.py \
	tests/test_order_counts.py tests/core/test_joined_row.py tests/core/test_rows_of_each.py \
	tests/test_review_page_reads.py tests/test_manage_orders.py tests/test_order_access.py \
	tests/test_seller_facts.py tests/test_window_without_clock.py tests/search \
	tests/live/test_fragments.py tests/live/test_publish.py tests/notes/test_note_pages.py
# pytest-xdist, one worker per core ("auto"). Each worker has its own test database
# (pytest-django) and its own Redis keys (tests/conftest.py). worksteal: an idle worker takes
# half of a busy one's remaining tests, so slow stretches (browser, schema) even out. Not
# loadfile or loadscope: they track tests by node id, and the schemathesis cases share one
# node id under pytest 9, so all but one of them would silently not run.
# PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist worksteal

.PHONY: install install-runtime run test test-fast test-sqlite lint typecheck bench clean messages \
	compile-messages

$(RUNTIME_INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV_INSTALLED): pyproject.toml $(BROWSER_TEST_DIR)/package.json $(BROWSER_TEST_DIR)/package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@command -v npm >/dev/null || { echo "npm is needed to install axe-core for the browser tests (apt-get install npm)." >&2; exit 1; }
	cd $(BROWSER_TEST_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@ $(RUNTIME_INSTALLED)

install-runtime: $(RUNTIME_INSTALLED) compile-messages

install: $(DEV_INSTALLED) compile-messages

# The translations (locale/<language>/LC_MESSAGES/*.po) compiled for gettext. Built each
# time (under a second), so a pulled catalogue is never served stale. msgfmt is GNU gettext.
compile-messages:
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt) with apt..." >&2; \
		$$(command -v sudo) apt-get install -y -qq gettext >/dev/null; }
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules -v 0

# After marking or changing a string: extract every marked string into the catalogues
# (Python and templates into django.po, static/js into djangojs.po), then translate the
# new and changed entries (left empty or marked fuzzy) in de, fr, es and it.
I18N_IGNORE := --ignore=$(VENV) --ignore=tests --ignore=bench --ignore=node_modules \
	--ignore=staticfiles --ignore=var
messages: install-runtime
	$(PY) manage.py makemessages -l de -l fr -l es -l it $(I18N_IGNORE) --add-location=file --no-obsolete -v 0
	$(PY) manage.py makemessages -d djangojs -l de -l fr -l es -l it $(I18N_IGNORE) --add-location=file --no-obsolete -v 0

run: install-runtime
	./scripts/run-dev.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy .

test: install
	./scripts/ensure-test-services.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-sqlite

# The SQLite lane alone (about a minute). PYTEST_ARGS narrow it too; when they leave it no
# test (pytest's exit 5), that is not a failure.
test-sqlite: install
	$(SQLITE_TEST_ENV) $(PY) -m pytest $(PYTEST_PARALLEL) $(SQLITE_LANE) $(PYTEST_ARGS) \
		|| [ $$? -eq 5 ]

# The inner loop: no lint or type check, and no Chromium, real Celery worker or fault test.
test-fast: install
	./scripts/ensure-test-services.sh
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_PARALLEL) -m "not browser and not worker and not faults" $(PYTEST_ARGS)

bench: install
	$(PY) bench/compliance.py

clean:
	rm -rf var staticfiles .pytest_cache .mypy_cache .ruff_cache $(BROWSER_TEST_DIR)/node_modules
