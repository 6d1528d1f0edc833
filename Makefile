# Two commands do everything: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

# `make test` runs against PostgreSQL and Redis; these are this machine's defaults.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
TEST_ENV = DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)}
# pytest-xdist, one worker per core ("auto"). Each worker has its own test database
# (pytest-django) and its own Redis keys (tests/conftest.py). worksteal: an idle worker takes
# half of a busy one's remaining tests, so slow stretches (browser, schema) even out. Not
# loadfile or loadscope: they track tests by node id, and the schemathesis cases share one
# node id under pytest 9, so all but one of them would silently not run.
# PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist worksteal

.PHONY: install run test test-fast lint typecheck bench clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

run: install
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

# The inner loop: no lint or type check, and no Chromium or real Celery worker.
test-fast: install
	./scripts/ensure-test-services.sh
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_PARALLEL) -m "not browser and not worker" $(PYTEST_ARGS)

bench: install
	$(PY) bench/compliance.py

clean:
	rm -rf var staticfiles .pytest_cache .mypy_cache .ruff_cache
