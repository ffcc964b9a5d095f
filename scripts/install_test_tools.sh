#!/usr/bin/env bash
# Installs the Debian packages the test suite drives: Chromium for the browser
# tests (Playwright drives it through `executable_path`; a browser Playwright
# downloads itself cannot be fetched behind a closed network, so the project
# never asks for one) and libfaketime, which moves the wall clock to prove a
# build does not depend on it.
set -euo pipefail

CHROMIUM="${SCORECARD_CHROMIUM:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "Missing Debian packages for the tests: ${missing[*]}, and this user cannot install them." >&2
    echo "Install them with: apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "Installing Debian packages for the tests: ${missing[*]}..."
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q "${missing[@]}" >/dev/null; then
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
fi
