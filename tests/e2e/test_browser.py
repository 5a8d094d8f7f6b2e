"""The built site in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): the home
and TDR pages in all three languages, charts drawn, and every request outside localhost blocked."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def base_url(default_site_url: str) -> str:
    """The shared default build (tests/conftest.py)."""
    return default_site_url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("USMCA_REQUIRE_SHARED") == "1":
            pytest.fail("chromium is missing; .ci/run installs it from Debian")
        pytest.skip("Debian chromium is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


def _page(browser: object, outside: list[str]) -> object:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]

    def route(route: object) -> None:
        host = urlsplit(route.request.url).hostname  # type: ignore[attr-defined]
        if host in {"127.0.0.1", "localhost"}:
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(route.request.url)  # type: ignore[attr-defined]
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    return context.new_page()


@pytest.mark.parametrize("lang", LANGS)
def test_tdr_page_draws_its_charts(browser: object, base_url: str, lang: str) -> None:
    outside: list[str] = []
    page = _page(browser, outside)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))  # type: ignore[attr-defined]
    page.goto(f"{base_url}/{lang}/indicators/tdr.html")  # type: ignore[attr-defined]
    charts = page.locator("[data-chart]")  # type: ignore[attr-defined]
    assert charts.count() == 3
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.locator("svg").first.wait_for(timeout=20_000)
        assert chart.get_attribute("data-rendered") == "true", chart.get_attribute("data-error")
        assert chart.locator("svg .mark-symbol path, svg .mark-rect path, svg .mark-line path").count() > 0
    assert page.locator("#tdr-table tbody tr").count() >= 15  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == lang  # type: ignore[attr-defined]
    assert not errors and not outside, (errors, outside)


@pytest.mark.parametrize("lang", LANGS)
def test_home_lists_the_four_goals_and_switches_language(browser: object, base_url: str, lang: str) -> None:
    outside: list[str] = []
    page = _page(browser, outside)
    page.goto(f"{base_url}/{lang}/index.html")  # type: ignore[attr-defined]
    assert page.locator("article.goal").count() == 4  # type: ignore[attr-defined]
    other = next(x for x in LANGS if x != lang)
    page.click(f"nav.langs a[hreflang={other}]")  # type: ignore[attr-defined]
    page.wait_for_url(f"**/{other}/index.html")  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == other  # type: ignore[attr-defined]
    assert not outside
