# Holdspace: `make run` and `make test` are all anyone needs.
# Everything else here is for developers.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1
PIP := $(BIN)/python -m pip --quiet
PYTEST_ARGS ?=
# Holdspace itself, editable; setuptools' chatter goes to a log unless it fails.
EDITABLE = $(PIP) install --no-deps --no-build-isolation --editable . >$(VENV)/editable.log 2>&1 || { cat $(VENV)/editable.log; exit 1; }

.DEFAULT_GOAL := help
.PHONY: help run test pytest test-postgres lint fmt messages check lock clean system-packages

help:
	@echo "make run       set everything up and serve Holdspace on http://127.0.0.1:$${PORT:-8000}"
	@echo "make test      run the whole suite: lint, types, migrations, messages, tests"
	@echo "make lint      ruff, mypy --strict, makemigrations --check, message drift"
	@echo "make fmt       format the code"
	@echo "make messages  update and compile the translation catalogues"
	@echo "make check     the production deploy checks for the current settings"
	@echo "make lock      re-resolve the locked dependencies (needs the network)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Holdspace needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

# Runtime dependencies only (make run).
$(VENV)/.main: $(BIN)/python requirements/main.txt pyproject.toml
	$(PIP) install --require-hashes --no-deps -r requirements/main.txt
	@$(EDITABLE)
	@touch $@

# Runtime and development dependencies (make test).
$(VENV)/.dev: $(BIN)/python requirements/dev.txt pyproject.toml
	$(PIP) install --require-hashes --no-deps -r requirements/dev.txt
	@$(EDITABLE)
	@touch $@ $(VENV)/.main

run: $(VENV)/.main
	$(BIN)/holdspace prepare
	$(BIN)/holdspace serve

system-packages:
	@./scripts/system-packages

test: $(VENV)/.dev system-packages lint pytest

pytest: $(VENV)/.dev
	$(BIN)/pytest -n 2 --durations=15 $(PYTEST_ARGS)

# The suite again on PostgreSQL (CI does this after `make test`).
test-postgres: $(VENV)/.dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	HOLDSPACE_ENV=test HOLDSPACE_DATA_DIR=$$(mktemp -d) $(BIN)/mypy holdspace
	HOLDSPACE_ENV=test HOLDSPACE_DATA_DIR=$$(mktemp -d) $(BIN)/holdspace makemigrations --check --dry-run
	$(BIN)/python -m holdspace.lib.catalogues check

fmt: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.dev
	$(BIN)/python -m holdspace.lib.catalogues update

check: $(VENV)/.main
	$(BIN)/holdspace check

lock: $(VENV)/.dev
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --index-url https://pypi.org/simple -o requirements/main.txt pyproject.toml requirements/build.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --index-url https://pypi.org/simple --extra dev -c requirements/main.txt -o requirements/dev.txt pyproject.toml requirements/build.in

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
