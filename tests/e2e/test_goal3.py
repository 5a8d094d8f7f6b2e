"""Goal 3 pages (agri-food, advanced technology) in headless Chromium: every chart is drawn in each
language, the badges are on the page, and no request leaves localhost."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.e2e.test_browser import _page, browser  # noqa: F401  (fixture)
from usmca_monitor.publish.build import build_site
from usmca_monitor.publish.i18n import LANGS
from usmca_monitor.publish.server import make_server

pytestmark = pytest.mark.browser
PAGES = {"indicators/agrifood.html": 4, "indicators/tech.html": 2}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("e2e-g3") / "_site"
    build_site(site, list(LANGS), home=tmp_path_factory.mktemp("e2e-g3-home"))
    server = make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("lang", LANGS)
def test_goal3_pages_draw_their_charts(browser: object, base_url: str, lang: str) -> None:  # noqa: F811
    outside: list[str] = []
    page = _page(browser, outside)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))  # type: ignore[attr-defined]
    for path, count in PAGES.items():
        page.goto(f"{base_url}/{lang}/{path}")  # type: ignore[attr-defined]
        charts = page.locator("[data-chart]")  # type: ignore[attr-defined]
        assert charts.count() == count, path
        for i in range(count):
            chart = charts.nth(i)
            chart.locator("svg").first.wait_for(timeout=20_000)
            assert chart.get_attribute("data-rendered") == "true", (path, chart.get_attribute("data-error"))
            assert chart.locator("svg .mark-symbol path, svg .mark-rect path, svg .mark-line path").count() > 0
        assert page.locator(".badge.report").count() > 0  # type: ignore[attr-defined]
    assert not errors and not outside, (errors, outside)
