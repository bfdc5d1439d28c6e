"""Headless Chromium for the dashboard's tests, benchmark and screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Debian's headless Chromium, with the flags a closed network needs (no background traffic).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The figure ids of a job page, in page order.
FIGURES = ("best-so-far", "family-best", "learning-curves", "lr-value", "parallel", "importance")


@contextmanager
def signed_in_page(url: str, token: str) -> Iterator[Any]:
    """Headless Chromium at 1280×800, signed in to the dashboard at ``url``."""
    from playwright.sync_api import sync_playwright  # only here: a test extra, not a dependency

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{url}/ui/login")
        page.fill("input[name=token]", token)
        page.click("button[type=submit]")
        page.wait_for_url("**/ui/jobs")
        yield page
        browser.close()
