# `make test` and `make bench` build .venv from pyproject.toml on a fresh machine, then run.
# The versions are those of constraints.txt (the ones CI passed with).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SMOKE_VENV := .venv-smoke

.PHONY: test bench lint examples smoke docs clean

DOCS_STAMP := $(VENV)/.installed-docs

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check jnet tests examples benchmarks scripts
	$(BIN)/python -m pytest -n auto --maxprocesses 4 tests

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/distribution.py
	$(BIN)/python benchmarks/ops.py
	$(BIN)/python benchmarks/subclassing.py
	$(BIN)/python benchmarks/progbar.py
	$(BIN)/python benchmarks/soak.py
	$(BIN)/python benchmarks/mixed_precision.py
	$(BIN)/python benchmarks/time_to_result.py

examples: $(STAMP)
	for f in examples/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check jnet tests examples benchmarks scripts

$(DOCS_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,docs]'
	touch $(DOCS_STAMP)

# The documentation site in site/: the API pages (one per namespace, from the docstrings) are
# rewritten, then mkdocs builds with --strict (a warning fails). Open site/index.html.
docs: $(DOCS_STAMP)
	$(BIN)/python scripts/api_docs.py
	$(BIN)/mkdocs build --strict

# The library as users install it (no extra, no test tools, about 700 MB), in a fresh venv of
# its own, then scripts/smoke.py: fit, callbacks, save/load, export, and the missing-extra hints.
smoke:
	rm -rf $(SMOKE_VENV)
	$(PYTHON) -m venv $(SMOKE_VENV)
	$(SMOKE_VENV)/bin/pip install --quiet -c constraints.txt .
	cd /tmp && $(abspath $(SMOKE_VENV))/bin/python $(CURDIR)/scripts/smoke.py

clean:
	rm -rf $(VENV) $(SMOKE_VENV) .pytest_cache .ruff_cache site
