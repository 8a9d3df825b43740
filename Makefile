# Two commands do everything on a fresh machine: `make signoff` (the main job) and `make test`.
# Both set up what they need first (virtual environment, packages, a Chromium) and are idempotent.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.harness-setup
REPORTS ?= reports
PYTEST_ARGS ?=

.PHONY: setup test signoff demo lint clean mutation counterexamples bench

setup: $(STAMP)
	@$(BIN)/python -m harness.reference.browser >/dev/null

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check .

# Cucumber JSON and the living document are written from the evidence, so they are complete under
# pytest-xdist too (`make test PYTEST_ARGS="-n 2"`).
test: setup lint
	rm -rf $(REPORTS)/test
	$(BIN)/pytest $(PYTEST_ARGS) --junitxml=$(REPORTS)/test/junit.xml --evidence=$(REPORTS)/test/evidence.json
	$(BIN)/harness counterexamples --output $(REPORTS)/test/counterexamples.json
	$(BIN)/harness docs signoff --reports $(REPORTS)/test
	$(BIN)/harness docs coverage --results $(REPORTS)/test/cucumber.json

signoff: setup
	$(BIN)/harness signoff --reports $(REPORTS) $(PYTEST_ARGS)

demo: setup
	$(BIN)/harness serve

mutation: setup
	$(BIN)/harness mutate --output $(REPORTS)/mutation.json

# Every kept counter-example (counterexamples/) must be caught by its statement's scenarios; part of `make test`.
counterexamples: setup
	$(BIN)/harness counterexamples --output $(REPORTS)/counterexamples.json

# Speed figures beside their targets (several minutes; not part of `make test`).
bench: setup
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(REPORTS) $(VENV)
