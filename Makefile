# tunewise: `make run` and `make test` each work from a fresh clone.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
# Installed only into a venv without torch, from wherever pip is configured to look (PyPI:
# the CUDA build on Linux x86_64); README, "Which torch you get". Another build:
# `make clean && make install TORCH_SPEC='torch==2.14.1'`.
TORCH_SPEC ?= torch==2.13.0
DATA_DIR ?= .tunewise
# `make run PORT=8123 HOST=127.0.0.1`; unset, serve's own defaults (and TUNEWISE_HOST/PORT) apply.
HOST ?=
PORT ?=

.PHONY: install run test lint typecheck unit bench clean system-deps test-optuna-bounds

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The stamp re-installs when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q "$(TORCH_SPEC)"
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/tunewise serve --data-dir $(DATA_DIR)$(if $(HOST), --host $(HOST))$(if $(PORT), --port $(PORT))

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# PostgreSQL and Chromium for the integration and browser tests; installed only when missing.
system-deps:
	@bash scripts/system-deps.sh

unit: install system-deps
	$(BIN)/python -m pytest

test: lint typecheck unit

# The tests at the lowest and the highest Optuna pyproject.toml allows, in venvs of their own
# (.optuna-bounds/lo, .optuna-bounds/hi). Not part of `make test`: it doubles the time.
test-optuna-bounds: system-deps
	PYTHON=$(PYTHON) TORCH_SPEC='$(TORCH_SPEC)' bash scripts/optuna-bounds.sh

# Each script rewrites its own section of docs/benchmarks.md and bench/results/<name>.json.
# The advisor's evidence first (seconds), then coordination, then the training-heavy runs
# (advisor_search and warm_start take about 25 minutes each on 2 cores).
bench: install system-deps
	$(BIN)/python bench/advice.py
	$(BIN)/python bench/advisor_corpus.py
	$(BIN)/python bench/harness.py
	$(BIN)/python bench/service.py
	$(BIN)/python bench/study_size.py
	$(BIN)/python bench/coordination.py
	$(BIN)/python bench/workers.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/batched.py
	$(BIN)/python bench/advisor_search.py
	$(BIN)/python bench/warm_start.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
