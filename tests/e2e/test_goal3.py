"""Goal 3 pages (agri-food, advanced technology) in headless Chromium: every chart is drawn in each
language, the badges are on the page, and no request leaves localhost."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import _page
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser
PAGES = {"indicators/agrifood.html": 4, "indicators/tech.html": 2}


@pytest.mark.parametrize("lang", LANGS)
def test_goal3_pages_draw_their_charts(browser: object, base_url: str, lang: str) -> None:
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
