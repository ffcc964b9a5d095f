#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests. Playwright drives it through
# `executable_path`; a browser downloaded by Playwright itself cannot be fetched
# behind a closed network, so the project never asks for one.
set -euo pipefail

CHROMIUM="${SCORECARD_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "Chromium is missing at $CHROMIUM and this user cannot install Debian packages." >&2
    echo "Install it with: apt-get install chromium (or set SCORECARD_CHROMIUM to a Chromium binary)." >&2
    exit 1
fi

echo "Installing Debian's chromium for the browser tests..."
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q chromium >/dev/null; then
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q chromium >/dev/null
fi
"$CHROMIUM" --version
