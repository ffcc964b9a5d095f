# Entry point for the common tasks. `make build` and `make test` are the two
# commands of the README; everything else is a step they call.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

export DBT_PROFILES_DIR := $(CURDIR)
export SCORECARD_RAW_DIR ?= data/raw
export SCORECARD_RAW_FORMAT ?= parquet
export SCORECARD_DB ?= warehouse/scorecard.duckdb

DEMO_ARGS ?=

.PHONY: help setup browser demo-data build dbt-build docs lint test clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned requirements

browser: ## Install Debian's Chromium for the browser tests (Playwright drives it, never downloads one)
	@bash scripts/install_browser.sh

demo-data: $(STAMP) ## Generate demo data into $SCORECARD_RAW_DIR unless raw files are there
	@if ls $(SCORECARD_RAW_DIR)/*.$(SCORECARD_RAW_FORMAT) >/dev/null 2>&1; then \
		echo "Raw files found in $(SCORECARD_RAW_DIR): not generating demo data."; \
	else \
		$(BIN)/python scripts/generate_demo_data.py --out $(SCORECARD_RAW_DIR) --format $(SCORECARD_RAW_FORMAT) $(DEMO_ARGS); \
	fi

dbt-build: $(STAMP) ## Run dbt build (models, seeds, tests) on $SCORECARD_RAW_DIR
	@mkdir -p $(dir $(SCORECARD_DB))
	$(BIN)/dbt build

docs: $(STAMP) ## Generate the dbt docs site (and a single-file static_index.html)
	$(BIN)/dbt docs generate --static

build: demo-data dbt-build docs ## Set up, generate demo data if needed, build the scorecard and its docs
	@echo
	@echo "Warehouse: $(abspath $(SCORECARD_DB))"
	@echo "Docs site: $(abspath target/static_index.html)   (one file; or: $(BIN)/dbt docs serve)"

.PHONY: semantic
semantic: $(STAMP) ## Validate the MetricFlow semantic layer (metrics of every KPI) against the built warehouse
	$(BIN)/mf validate-configs
	$(BIN)/mf query --metrics csat,sla_attainment,ticket_volume,backlog_open --group-by metric_time__month

# sqlfluff's dbt templater compiles the project, which reads the raw files'
# headers: lint against the small crafted raw set so no demo data is needed.
LINT_ENV := SCORECARD_RAW_DIR=tests/fixtures/raw_rejections SCORECARD_RAW_FORMAT=csv \
	SCORECARD_DB=$(CURDIR)/target/lint.duckdb

lint: $(STAMP) ## ruff on Python, sqlfluff on every model
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	@mkdir -p target
	$(LINT_ENV) $(BIN)/sqlfluff lint models macros/tests tests/dbt analyses --processes 2

test: lint browser ## Every check: lint, pytest (generator, rejections, dbt build with tests on small data)
	$(BIN)/python -m pytest tests/python

clean: ## Remove build output (keeps raw data and .venv)
	rm -rf target logs warehouse
