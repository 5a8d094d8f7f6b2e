"""Goal 4 pages in headless Chromium: charts drawn, the TDR period selector switches the lines, the
ranking sorts by a column, and no request leaves localhost."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import _page, assert_charts_drawn
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser
PAGES = {"topics/tdr.html": 3, "topics/tdr-partners.html": 1, "topics/imports-by-chapter.html": 1,
         "topics/autos.html": 1, "topics/trucks.html": 2, "reference/rules-of-origin.html": 0}


@pytest.mark.parametrize("lang", LANGS)
def test_goal4_pages_draw_their_charts(browser: object, base_url: str, lang: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, outside, errors)
    for path, count in PAGES.items():
        assert_charts_drawn(page, f"{base_url}/{lang}/{path}", count)
    assert not errors and not outside, (errors, outside)


def test_period_selector_switches_the_tdr_lines(browser: object, base_url: str) -> None:
    page = _page(browser, [])
    page.goto(f"{base_url}/en/topics/tdr.html")  # type: ignore[attr-defined]
    chart = page.locator("#tdr-lines")  # type: ignore[attr-defined]
    chart.locator("svg").first.wait_for(timeout=20_000)
    radios = chart.locator("input[type=radio]")
    assert radios.count() == 3
    before = chart.locator("svg .mark-line path").first.get_attribute("d")
    radios.nth(1).check()  # first halves
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    after = chart.locator("svg .mark-line path").first.get_attribute("d")
    assert before and after and before != after


def test_ranking_sorts_by_tdr(browser: object, base_url: str) -> None:
    page = _page(browser, [])
    page.goto(f"{base_url}/en/topics/tdr-partners.html")  # type: ignore[attr-defined]
    table = page.locator("#rank-2024")  # type: ignore[attr-defined]
    assert table.locator("tbody tr").count() > 200
    table.locator('thead th[data-col="tdr"] button').click()
    values = [float(v) for v in table.locator('tbody td[data-col="tdr"]').evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-v')).filter(v => v !== '')")]
    assert values == sorted(values)
    assert table.locator('thead th[data-col="tdr"]').get_attribute("aria-sort") == "ascending"
