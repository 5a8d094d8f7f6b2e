"""Browser-test fixtures: Debian's Chromium driven by Playwright, and the shared default site."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium (skipped with a reason on a clone without it; required in CI)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("USMCA_REQUIRE_SHARED") == "1":
            pytest.fail("chromium is missing; .ci/run installs it from Debian")
        pytest.skip("Debian chromium is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def base_url(default_site_url: str) -> str:
    """The shared default build (tests/conftest.py), served on localhost."""
    return default_site_url
