# Redline: `make run` solves the default model, `make test` runs the tests (both set up .venv).
# Two install stamps: `make run` needs the runtime dependencies only; the test, check, lint, types
# and bench targets add the dev extras (pytest, nashpy's peers, the pygambit wheel, ruff, mypy...).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --progress-bar on

.PHONY: run test check lint types bench docs clean browser screenshots

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

test: $(DEV_STAMP) browser
	$(BIN)/python -m pytest -q

# the browser tests drive Debian's chromium headless: installed when missing and the machine
# allows it (root with apt-get); otherwise those tests skip, naming the package
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests (apt-get install chromium)..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "could not install chromium: the browser tests will skip"; \
	else echo "chromium is not installed and apt-get needs root: the browser tests will skip (apt-get install chromium)"; fi

# the README's screenshots, made by the browser tests' own screenshot step
screenshots: $(DEV_STAMP) browser
	REDLINE_SCREENSHOTS=docs/img $(BIN)/python -m pytest -q -k screenshot

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
