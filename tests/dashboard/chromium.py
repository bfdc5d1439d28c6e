"""Headless Chromium for the browser tests: one browser for the whole run (launching one costs
seconds on a loaded machine) and a fresh signed-in context per test, so no cookie, cache or
page state passes from one test to the next."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tunewise.testing.browser import CHROMIUM, CHROMIUM_ARGS


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Fails (never skips) when Chromium is missing: the browser tests are part of the suite."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make system-deps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def signed_in_tab(browser: Any, url: str, token: str) -> Iterator[Any]:
    """A page at 1280×800 in its own context, signed in through the login form; the test
    fails afterwards if the page logged a console error or raised."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        tab = context.new_page()
        problems: list[str] = []
        tab.on(
            "console",
            lambda m: (
                problems.append(f"{m.type}: {m.text} ({m.location.get('url')})")
                if m.type == "error"
                else None
            ),
        )
        tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        tab.goto(f"{url}/ui/login")
        tab.fill("input[name=token]", token)
        tab.click("button[type=submit]")
        tab.wait_for_url("**/ui/jobs")
        yield tab
    finally:
        context.close()
    assert problems == []
