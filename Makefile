# Children Matter: `make demo` to see it, `make test` to check it. `make help` lists the rest.
#
# Everything a fresh machine needs (Debian with Python 3.11 as python3, Node.js 20 and npm)
# is installed here: a virtualenv in .venv, GOV.UK Frontend in node_modules, Chromium for
# the browser tests. Stamp files remember what is done, so a second run starts at once.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DATASET ?= var/demo/dataset
PRESET ?= middlesbrough-2018
# The PostgreSQL pass: pytest-django makes (and drops) its own test database beside this one.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# pytest-xdist workers; this project's machines have 2 cores.
WORKERS ?= 2
PYTEST_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CSS := build/static/web/application.css
# Data to Insight's validators, each in a virtualenv of its own: they pin old pandas and
# numpy, which must never reach the app's .venv. The versions are the ones the external
# tests were checked against (tests/returns/test_external_validators.py).
VALIDATORS := .venv-validators
D2I_903_PIN ?= csc-validator-be-903==0.1.17
D2I_CIN_PIN ?= csc-validator-be-cin==0.1.13
export CHILDRENMATTER_D2I_903 ?= $(abspath $(VALIDATORS))/903/bin/python
export CHILDRENMATTER_D2I_CIN ?= $(abspath $(VALIDATORS))/cin/bin/python

.PHONY: help demo serve test test-sqlite test-postgres lint frontend chromium venv validators clean clean-var

help: ## List the targets and what each does
	@echo "Children Matter. Quick start: 'make demo' (see it), 'make test' (check it)."
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

demo: $(VENV)/.installed $(CSS) ## Set up, make the synthetic authority, load it into the store, serve it at http://127.0.0.1:8000
	@$(BIN)/childrenmatter manage migrate --no-input -v 0
	if [ -d "$(DATASET)" ]; then
	  echo "Using the dataset already in $(DATASET) (delete the folder to make a new one)"
	else
	  echo "Simulating $(PRESET) into $(DATASET) ..."
	  $(BIN)/childrenmatter simulate --preset $(PRESET) --out $(DATASET)
	fi
	# The store: the dataset's people and contacts (skipped when loaded from the same files
	# already), then fresh contacts dated today so the front door queue has live clocks.
	$(BIN)/childrenmatter load --dataset $(DATASET) --replace --skip-unchanged
	$(BIN)/childrenmatter demo-front-door --authority 806 --url http://127.0.0.1:$(PORT)/
	# A synthetic improvement plan (eight weeks of updates, a board date) and members' questions.
	$(BIN)/childrenmatter manage demo_improvement --authority 806
	# The dashboards' figures (the pages read this snapshot, not the dataset on each view).
	$(BIN)/childrenmatter refresh --dataset $(DATASET)
	$(BIN)/childrenmatter demo-user --username demo --authority 806 --url http://127.0.0.1:$(PORT)/
	export CHILDRENMATTER_DEBUG=$${CHILDRENMATTER_DEBUG:-1} CHILDRENMATTER_DATASET=$(DATASET)
	exec $(BIN)/childrenmatter serve --host 127.0.0.1 --port $(PORT)

serve: $(VENV)/.installed $(CSS) ## Serve what is already set up (no migration, no new dataset or password)
	@CHILDRENMATTER_DATASET=$(DATASET) exec $(BIN)/childrenmatter serve --host 127.0.0.1 --port $(PORT)

test: ## Run every test on SQLite, then the database tests on PostgreSQL (required when CI=true)
	@started=$$SECONDS
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	echo "make test: all passes done in $$((SECONDS - started)) s"

test-sqlite: $(VENV)/.installed-test $(CSS) chromium validators ## Run every test on SQLite (the default database)
	@echo "== Every test, on SQLite"
	rc=0
	env -u DATABASE_URL $(BIN)/pytest -n $(WORKERS) --durations=10 $(PYTEST_ARGS) || rc=$$?
	if [ $$rc = 5 ]; then echo "make test: pytest collected no tests, and the main pass must run some" >&2; fi
	exit $$rc

test-postgres: $(VENV)/.installed-test $(CSS) chromium ## Run the tests that use the database again, on PostgreSQL
	@echo "== The tests that use the database, on PostgreSQL ($(POSTGRES_URL))"
	if ! $(BIN)/python -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=5).close()' \
	     "$(POSTGRES_URL)" 2>/dev/null; then
	  if [ -n "$${CI:-}" ] && [ "$${CI}" != false ] && [ "$${CI}" != 0 ]; then
	    echo "make test: PostgreSQL is required when CI is set, and $(POSTGRES_URL) does not answer" >&2
	    exit 1
	  fi
	  echo "WARNING: PostgreSQL does not answer at $(POSTGRES_URL): skipping the PostgreSQL pass." >&2
	  echo "WARNING: set POSTGRES_URL=postgres://USER@HOST:PORT/DB to point at one." >&2
	  exit 0
	fi
	rc=0
	DATABASE_URL="$(POSTGRES_URL)" $(BIN)/pytest -n $(WORKERS) -m database $(PYTEST_ARGS) || rc=$$?
	if [ $$rc = 5 ]; then
	  echo "make test: no test uses the database yet, so the PostgreSQL pass had nothing to run"
	  rc=0
	fi
	exit $$rc

lint: $(VENV)/.installed-test ## Check the code with ruff
	$(BIN)/ruff check src tests

venv: $(VENV)/.installed ## Make the virtualenv (.venv) and install the project into it

validators: $(VALIDATORS)/903/.installed $(VALIDATORS)/cin/.installed ## Install Data to Insight's 903 and CIN validators, each in its own venv under .venv-validators

$(VALIDATORS)/903/.installed:
	@echo "Installing Data to Insight's SSDA903 validator into $(VALIDATORS)/903 ..."
	rm -rf $(VALIDATORS)/903
	$(PYTHON) -m venv $(VALIDATORS)/903
	$(VALIDATORS)/903/bin/python -m pip install --quiet --disable-pip-version-check "$(D2I_903_PIN)" pytest
	touch $@

# Their CIN validator's pandas breaks on numpy 2, which its own pins let in.
$(VALIDATORS)/cin/.installed:
	@echo "Installing Data to Insight's CIN census validator into $(VALIDATORS)/cin ..."
	rm -rf $(VALIDATORS)/cin
	$(PYTHON) -m venv $(VALIDATORS)/cin
	$(VALIDATORS)/cin/bin/python -m pip install --quiet --disable-pip-version-check "$(D2I_CIN_PIN)" "numpy<2" pytest
	touch $@

frontend: $(CSS) ## Install GOV.UK Frontend with npm and build the styles

chromium: ## Install Debian's Chromium for the browser tests, if /usr/bin/chromium is missing
	@if [ ! -x /usr/bin/chromium ]; then
	  echo "Installing Debian's chromium for the browser tests ..."
	  $(SUDO) apt-get update -q
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
	fi

clean: ## Remove what the setup made (.venv, .venv-validators, node_modules, build); keeps var/ (database, dataset)
	rm -rf $(VENV) $(VALIDATORS) node_modules build

clean-var: ## Remove var/: the SQLite database, the secret key and the demo dataset
	rm -rf var

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Children Matter needs Python 3.11 or newer as $(PYTHON)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@ $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Children Matter needs Node.js 20 and npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): src/childrenmatter/web/styles/application.scss node_modules/.installed
	@mkdir -p $(@D)
	node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps --pkg-importer=node $< $@
