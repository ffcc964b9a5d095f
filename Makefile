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
export SCORECARD_PUBLISH_DIR ?= warehouse/published

DEMO_ARGS ?=
REPORT_ARGS ?=
# e.g. DBT_BUILD_ARGS=--full-refresh after the incremental models' guard stops a build.
DBT_BUILD_ARGS ?=

.PHONY: help setup test-tools demo-data validate freshness build dbt-build publish docs docs-check report report-screenshot lint test clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned requirements

test-tools: ## Install Debian's Chromium (browser tests; never a downloaded browser) and libfaketime
	@bash scripts/install_test_tools.sh

demo-data: $(STAMP) ## Generate demo data into $SCORECARD_RAW_DIR unless raw files are there
	@if ls $(SCORECARD_RAW_DIR)/*.$(SCORECARD_RAW_FORMAT) >/dev/null 2>&1; then \
		echo "Raw files found in $(SCORECARD_RAW_DIR): not generating demo data."; \
	else \
		$(BIN)/python scripts/generate_demo_data.py --out $(SCORECARD_RAW_DIR) --format $(SCORECARD_RAW_FORMAT) $(DEMO_ARGS); \
	fi

validate: $(STAMP) ## Validate the raw files against the raw contract (Great Expectations); report in target/validation
	$(BIN)/python scripts/validate_raw.py

# Not part of build: the demo data ends on a fixed past date, so it is stale (exit 1) on purpose.
freshness: $(STAMP) ## dbt source freshness of the raw files (exits 1 when a source is past error_after)
	$(BIN)/dbt source freshness

dbt-build: $(STAMP) ## Run dbt build (models, seeds, tests) on $SCORECARD_RAW_DIR
	@mkdir -p $(dir $(SCORECARD_DB))
	$(BIN)/dbt build $(DBT_BUILD_ARGS)

# Right after dbt-build: it reads target/run_results.json, which `dbt docs generate` rewrites.
publish: $(STAMP) ## Publish the last successful dbt build's marts for BI tools ($SCORECARD_PUBLISH_DIR)
	$(BIN)/python scripts/publish_marts.py

docs: $(STAMP) ## Generate the dbt docs site (and a single-file static_index.html)
	$(BIN)/dbt docs generate --static

docs-check: docs ## Fail when a model, column, seed, source, macro, test, analysis or exposure has no description
	$(BIN)/python scripts/check_docs_coverage.py $${DBT_TARGET_PATH:-target}

report: $(STAMP) ## Render the static, offline HTML scorecard into target/scorecard/ (REPORT_ARGS for options)
	$(BIN)/python scripts/render_scorecard.py $(REPORT_ARGS)

report-screenshot: $(STAMP) test-tools ## Regenerate docs/images/scorecard.png from target/scorecard/index.html
	$(BIN)/python scripts/screenshot_scorecard.py

build: demo-data validate dbt-build publish docs report ## Set up, generate demo data if needed, validate it, build and publish the scorecard, its docs and report
	@echo
	@echo "Raw data validation: $(abspath target/validation/index.html)"
	@echo "Warehouse: $(abspath $(SCORECARD_DB))"
	@echo "BI tools:  $(abspath $(SCORECARD_PUBLISH_DIR))/scorecard.duckdb (read-only; Parquet in parquet/current/)"
	@echo "Docs site: $(abspath target/static_index.html)   (one file; or: $(BIN)/dbt docs serve)"
	@echo "Scorecard: $(abspath target/scorecard/index.html)   (static pages, open offline)"

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

test: lint test-tools engines ## Every check: lint, pytest (generator, rejections, dbt build with tests on small data)
	$(BIN)/python -m pytest tests/python

BENCH_ARGS ?=

.PHONY: bench
bench: $(STAMP) ## Benchmark dbt build per data size into benchmarks/ (BENCH_ARGS="--sizes 100000,1000000")
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

clean: ## Remove build output (keeps raw data and .venv)
	rm -rf target logs warehouse

# Other engines (see docs/portability.md): PostgreSQL and Apache Spark next to DuckDB.
# Kept out of `make build`: pyspark alone is ~450 MB.
ENGINES_STAMP := $(VENV)/.engines-installed

$(ENGINES_STAMP): requirements-engines.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-engines.txt
	@touch $(ENGINES_STAMP)

.PHONY: engines pg-start pg-stop load-raw
engines: $(ENGINES_STAMP) ## Install PostgreSQL, Java 17 (Debian) and dbt-postgres, dbt-spark, pyspark (.venv)
	@bash scripts/install_engines.sh

pg-start: ## Start (or reuse) the local PostgreSQL server of the postgres target (127.0.0.1:5433)
	@bash scripts/start_postgres.sh

pg-stop: ## Stop the local PostgreSQL server started by pg-start
	@bash scripts/start_postgres.sh stop

load-raw: engines ## Load $SCORECARD_RAW_DIR into schema $SCORECARD_RAW_SCHEMA of $SCORECARD_TARGET (postgres or spark)
	$(BIN)/python scripts/load_raw.py
