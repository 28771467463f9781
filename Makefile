# `make test` and `make bench` build .venv from pyproject.toml on a fresh machine, then run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test bench lint examples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check jnet tests examples benchmarks
	$(BIN)/python -m pytest -n auto --maxprocesses 4 tests

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/distribution.py
	$(BIN)/python benchmarks/ops.py
	$(BIN)/python benchmarks/progbar.py
	$(BIN)/python benchmarks/soak.py

examples: $(STAMP)
	for f in examples/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check jnet tests examples benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
