#!/usr/bin/env bash
# Installs the Debian packages for running the project on PostgreSQL and
# Apache Spark next to DuckDB (tests/python/test_cross_engine.py): the
# PostgreSQL server and Java 17 for Spark. Idempotent: does nothing when both
# are there. The Python side (dbt-postgres, dbt-spark, pyspark) is
# requirements-engines.txt, installed by `make engines`.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

# Debian's postgresql package would start a cluster of its own on 5432 where
# systemd runs; the project's server is scripts/start_postgres.sh.
source "$(dirname "$0")/apt_install_missing.sh"
apt_install_missing "PostgreSQL and Spark" "${missing[@]}"
