# The two commands a newcomer needs:  make run   and   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/salescope

.PHONY: install run demo test test-sqlite test-postgres lint typecheck check clean

$(BIN)/salescope: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/salescope

install: $(BIN)/salescope

## make run: install, migrate, fill the demo department (once), serve with the task worker.
run: install
	$(BIN)/salescope migrate --no-input -v0
	$(BIN)/salescope demo --if-empty --url http://$(HOST):$(PORT)/
	$(BIN)/salescope run --host $(HOST) --port $(PORT)

## make test: lint, types, and the whole suite on SQLite and then on PostgreSQL.
test: install lint typecheck test-sqlite test-postgres

test-sqlite: install
	$(BIN)/python -m pytest -n 2 -q

test-postgres: install
	@status=0; PG_TEST_URL=$(PG_TEST_URL) $(BIN)/python scripts/postgres_for_tests.py || status=$$?; \
	if [ $$status -eq 75 ]; then echo "PostgreSQL is not reachable: its run is skipped (with CI=true it fails)"; \
	elif [ $$status -ne 0 ]; then exit $$status; \
	else DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n 2 -q; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/salescope makemigrations --check --dry-run -v0

typecheck: install
	$(BIN)/mypy salescope

clean:
	rm -rf $(VENV) build *.egg-info
