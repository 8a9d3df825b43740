# Two commands do everything on a fresh machine: `make signoff` (the main job) and `make test`.
# Both set up what they need first (virtual environment, packages, a Chromium) and are idempotent.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.harness-setup
# The report readers the tests run (Cucumber's HTML formatter, a Cucumber JSON reader): package.json.
NODE_STAMP := node_modules/.harness-setup
REPORTS ?= reports
PYTEST_ARGS ?=

.PHONY: setup system-packages test signoff demo lint clean mutation counterexamples bench

setup: system-packages $(STAMP) $(NODE_STAMP)
	@tests/salesforce/clients/install.sh $(VENV)/salesforce-clients
	@$(BIN)/python -m harness.reference.browser >/dev/null

# Chromium, Node.js and npm from Debian when missing: one apt-get update, only when something is missing.
system-packages:
	@scripts/system_packages

$(NODE_STAMP): package.json package-lock.json | system-packages
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Style (ruff), types over the whole package (mypy, config in pyproject.toml) and declared dependencies
# (deptry: nothing imported that pyproject.toml does not name directly).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/deptry .

# Cucumber JSON and the living document are written from the evidence, so they are complete under
# pytest-xdist too (`make test PYTEST_ARGS="-n 2"`).
test: setup lint
	rm -rf $(REPORTS)/test
	$(BIN)/pytest $(PYTEST_ARGS) --junitxml=$(REPORTS)/test/junit.xml --evidence=$(REPORTS)/test/evidence.json \
		--alluredir=$(REPORTS)/test/allure-results
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
