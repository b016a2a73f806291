# Two commands do everything on a fresh clone: `make test` and `make demo`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test demo lint typecheck unit user-suite bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: lint typecheck unit user-suite

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests examples/user_suite

unit: $(STAMP)
	$(BIN)/pytest

# The example of a user's own test suite (docs/testing.md), run on its own as a user runs it.
user-suite: $(STAMP)
	cd examples/user_suite && ../../$(BIN)/pytest

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .coverage build dist
