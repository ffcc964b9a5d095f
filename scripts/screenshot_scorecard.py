"""Take a PNG screenshot of a rendered scorecard page (for the README image).

Opens the page in Debian's Chromium through Playwright with every non-file request
aborted, waits until all charts are drawn, and writes the screenshot.

Usage::

    .venv/bin/python scripts/render_scorecard.py
    .venv/bin/python scripts/screenshot_scorecard.py            # -> docs/images/scorecard.png
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

CHROMIUM = os.environ.get("SCORECARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def block_network(route: Route) -> None:
    if route.request.url.startswith("file://"):
        route.continue_()
    else:
        route.abort()


def screenshot(page_path: Path, out: Path, width: int, height: int, full_page: bool) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", block_network)
        page.goto(page_path.resolve().as_uri())
        page.wait_for_selector("body[data-charts-ready]", timeout=60_000)
        page.screenshot(path=str(out), full_page=full_page)
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", type=Path, default=Path("target/scorecard/index.html"))
    parser.add_argument("--out", type=Path, default=Path("docs/images/scorecard.png"))
    parser.add_argument("--width", type=int, default=1800)
    parser.add_argument("--height", type=int, default=1150)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not one screen")
    args = parser.parse_args(argv)
    if not args.page.exists():
        raise SystemExit(f"No page at {args.page}: run scripts/render_scorecard.py first.")
    screenshot(args.page, args.out, args.width, args.height, args.full_page)
    print(f"Screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
