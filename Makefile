# Two commands do everything on a fresh clone: `make test` and `make demo`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test demo lint typecheck unit user-suite docs bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: lint typecheck unit user-suite docs

# The layers (docs/architecture.md): import-linter's contracts in pyproject.toml, then no
# import cycle and no private name across areas (tools/check_imports.py).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples tools
	$(BIN)/ruff format --check src tests benchmarks examples tools
	$(BIN)/lint-imports
	$(BIN)/python tools/check_imports.py

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests examples tools

unit: $(STAMP)
	$(BIN)/pytest -n auto

# The example of a user's own test suite (docs/testing.md), run on its own as a user runs it.
user-suite: $(STAMP)
	cd examples/user_suite && ../../$(BIN)/pytest

# The docs site (mkdocs.yml) into site/; strict: any warning fails the build (not with
# --quiet, which hides warnings from the strict count).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The demo needs only the store extra (SQLAlchemy, rich): its own environment, .venv-demo.
DEMO_VENV := .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed

$(DEMO_STAMP): pyproject.toml
	test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet -e '.[store]'
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(DEMO_VENV)/bin/dunlib demo

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) $(DEMO_VENV) site .mypy_cache .pytest_cache .ruff_cache .coverage build dist
