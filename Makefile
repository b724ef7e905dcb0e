# Eve — every command installs into .venv first when needed (no global state, no accounts, no keys).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run brain test bench clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

## install: create or update .venv with the pinned dependencies
install: $(STAMP)

## run: start the product on its embedded defaults (brain on 127.0.0.1:8080)
run: install
	$(BIN)/python -m brain_service

## brain: start only the brain service
brain: install
	$(BIN)/python -m brain_service

## test: install if needed, make sure PostgreSQL is up, run the whole suite
test: install
	@bash .ci/ensure_postgres.sh
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache
