# Triangle: the everyday commands. `make run` starts the demo, `make test` runs every test.
# Everything lives in .venv (created with python3.11 on first use); pip runs only when
# pyproject.toml changed (stamp files in .venv).

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SCALE ?= 1
PAGES ?=

# Demo mode for `make run` unless the caller says otherwise.
DEBUG ?= 1
REQUIRE_MFA ?= 0

.PHONY: help run test lint format messages bench install install-dev npm clean-data

help:
	@echo "make run       start web server, Celery worker and beat on PORT (default 8000)"
	@echo "make test      run the whole test suite (PostgreSQL if DATABASE_URL is set)"
	@echo "make lint      ruff check and format check"
	@echo "make messages  update and compile the German message catalogue"
	@echo "make bench     seed --scale SCALE into a bench database and time the pages"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# axe-core for the browser tests (bootstrap and htmx are already copied to static/vendor).
npm:
	@if command -v npm >/dev/null 2>&1; then \
		if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
			npm ci --no-audit --no-fund --loglevel=error; \
		fi; \
	else \
		echo "npm not found: browser tests will be skipped (outside CI)."; \
	fi

run: $(VENV)/.installed
	DEBUG=$(DEBUG) REQUIRE_MFA=$(REQUIRE_MFA) PORT=$(PORT) bin/run

test: $(VENV)/.installed-dev npm
	$(VENV)/bin/pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l de --ignore=.venv --ignore=node_modules \
		--ignore=static --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

bench: $(VENV)/.installed
	$(PY) bench/run.py --scale $(SCALE) $(if $(PAGES),--pages $(PAGES))
