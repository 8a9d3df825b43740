# Two commands do everything on a fresh machine: `make signoff` (the main job) and `make test`.
# Both set up what they need first (virtual environment, packages, a Chromium) and are idempotent.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.harness-setup
REPORTS ?= reports
PYTEST_ARGS ?=

.PHONY: setup test signoff demo lint clean

setup: $(STAMP)
	@$(BIN)/python -m harness.browser >/dev/null

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check .

test: setup lint
	rm -rf $(REPORTS)/test
	$(BIN)/pytest $(PYTEST_ARGS) --cucumberjson=$(REPORTS)/test/cucumber.json \
		--junitxml=$(REPORTS)/test/junit.xml --evidence=$(REPORTS)/test/evidence.json
	$(BIN)/harness docs coverage --results $(REPORTS)/test/cucumber.json

signoff: setup
	$(BIN)/harness signoff --reports $(REPORTS) $(PYTEST_ARGS)

demo: setup
	$(BIN)/harness serve

clean:
	rm -rf $(REPORTS) $(VENV)
