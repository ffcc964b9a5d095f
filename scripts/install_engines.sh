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

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "Missing Debian packages for the cross-engine tests: ${missing[*]}, and this user cannot install them." >&2
    echo "Install them with: apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "Installing Debian packages for PostgreSQL and Spark: ${missing[*]}..."
export DEBIAN_FRONTEND=noninteractive
# Debian's postgresql package would start a cluster of its own on 5432 where
# systemd runs; the project's server is scripts/start_postgres.sh.
if ! $SUDO apt-get install -y -q "${missing[@]}" >/dev/null; then
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
fi
