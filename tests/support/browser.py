"""Debian's Chromium for the browser tests: where it is, and how it is started."""
from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    """Debian's chromium; under CI its absence fails the run, elsewhere the browser tests are skipped with the reason."""
    path = shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("Debian's chromium is not installed, and the browser tests need it under CI "
                    "(.ci/run installs it: apt-get install chromium).", pytrace=False)
    pytest.skip("Debian's chromium is not installed (apt-get install chromium); the browser tests need it")


def finds_one(page, box: str, rows, query: str, shown: str) -> None:
    """Typing `query` into the find box `box` (a selector) leaves one of `rows`, and it shows `shown`."""
    from playwright.sync_api import expect

    page.fill(box, query)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(shown)
