# Redline: `make run` solves the default model, `make test` runs the tests (both set up .venv).
# Two install stamps: `make run` needs the runtime dependencies only; the test, check, lint, types
# and bench targets add the dev extras (pytest, nashpy's peers, the pygambit wheel, ruff, mypy...).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --progress-bar on

.PHONY: run test check lint types bench docs clean

$(BIN)/python:
	@echo "creating $(VENV) with $(PYTHON)..."
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	@echo "installing runtime dependencies (numpy, scipy, sympy, nashpy, typer, rich, matplotlib)..."
	$(PIP) -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	@echo "installing test dependencies (pytest, hypothesis, pygambit wheel, ruff, mypy, dask, pandas, quantecon)..."
	$(PIP) -e '.[dev]'
	touch $(RUNTIME_STAMP) $@

run: $(RUNTIME_STAMP)
	$(BIN)/redline solve

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

types: $(DEV_STAMP)
	$(BIN)/mypy

check: lint types test

bench: $(DEV_STAMP)
	$(BIN)/python bench/solve.py
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/symbolic.py
	$(BIN)/python bench/tree.py

clean:
	rm -rf $(VENV) build *.egg-info
