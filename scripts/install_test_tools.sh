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

source "$(dirname "$0")/apt_install_missing.sh"
apt_install_missing "the tests" "${missing[@]}"
