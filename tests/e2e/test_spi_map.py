"""The Shared Prosperity Map in headless Chromium: the map draws in all three languages with U.S.
states hatched as "no data", a selector change redraws it, hovering a state shows its value and rank,
the comparison and rankings pages work, and nothing is requested outside localhost."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import _page
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser
ROWS_OF = {"en": "of 32", "es": "de 32", "fr": "sur 32"}
NO_DATA = {"en": "no data", "es": "sin datos", "fr": "aucune donnée"}


@pytest.fixture(scope="module")
def spi_url(default_site_url: str) -> str:
    """The shared default build (tests/conftest.py)."""
    return default_site_url


def _wait_drawn(page: object, draws: int) -> None:
    page.wait_for_selector(f"#spi-map[data-rendered='true'][data-draws='{draws}']", timeout=30_000)  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", LANGS)
def test_map_draws_redraws_and_shows_values_on_hover(browser: object, spi_url: str, lang: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, outside, errors)
    page.goto(f"{spi_url}/{lang}/goal1/spi.html")  # type: ignore[attr-defined]
    _wait_drawn(page, 1)
    shapes = page.locator("#spi-map svg .mark-shape path")  # type: ignore[attr-defined]
    assert shapes.count() == 96  # every subdivision drawn once (no data and data layers)
    hatched = page.locator("#spi-map svg .mark-shape path[fill='url(#spi-hatch)']")  # type: ignore[attr-defined]
    assert hatched.count() == 51 + 13  # U.S. states (no file imported) and Canadian provinces
    filled = page.evaluate(  # type: ignore[attr-defined]
        "Array.from(document.querySelectorAll('#spi-map svg .mark-shape path'))"
        ".map(p => p.getAttribute('fill')).filter(f => f && f.indexOf('url(') !== 0)")
    assert len(filled) == 32
    assert NO_DATA[lang] in page.inner_text("#spi-map")  # type: ignore[attr-defined]

    page.select_option("#spi-measure", "opportunity")  # type: ignore[attr-defined]
    _wait_drawn(page, 2)
    assert page.get_attribute("#spi-map", "data-measure") == "opportunity"  # type: ignore[attr-defined]
    refilled = page.evaluate(  # type: ignore[attr-defined]
        "Array.from(document.querySelectorAll('#spi-map svg .mark-shape path'))"
        ".map(p => p.getAttribute('fill')).filter(f => f && f.indexOf('url(') !== 0)")
    assert len(refilled) == 32 and refilled != filled
    page.select_option("#spi-year", "2020")  # type: ignore[attr-defined]
    _wait_drawn(page, 3)
    assert "2020" in page.inner_text("#spi-map-table")  # type: ignore[attr-defined]

    biggest = page.evaluate(  # type: ignore[attr-defined]
        "(() => { const ps = Array.from(document.querySelectorAll('#spi-map svg .mark-shape path'));"
        "let best = -1, size = 0; ps.forEach((p, i) => { const b = p.getBoundingClientRect();"
        "if ((p.getAttribute('fill') || '').indexOf('url(') !== 0 && b.width * b.height > size) {"
        "best = i; size = b.width * b.height; } }); return best; })()")
    shapes.nth(biggest).hover()
    tooltip = page.locator("#vg-tooltip-element")  # type: ignore[attr-defined]
    tooltip.wait_for(state="visible", timeout=10_000)
    text = tooltip.inner_text()
    assert ROWS_OF[lang] in text and "México, ¿cómo vamos?" in text and "2020" in text
    assert page.get_attribute("html", "lang") == lang  # type: ignore[attr-defined]
    assert not errors and not outside, (errors, outside)


def test_compare_and_rankings_pages_work(browser: object, spi_url: str) -> None:
    outside: list[str] = []
    page = _page(browser, outside)
    page.goto(f"{spi_url}/en/goal1/spi-compare.html")  # type: ignore[attr-defined]
    page.wait_for_selector("#spi-compare-chart[data-rendered='true']", timeout=30_000)  # type: ignore[attr-defined]
    table = page.inner_text("#spi-compare-table")  # type: ignore[attr-defined]
    assert "Texas" in table and "no data" in table and "closest Mexican states" in table
    page.goto(f"{spi_url}/en/goal1/spi-rankings.html")  # type: ignore[attr-defined]
    first = page.locator("#spi-rankings tbody tr").first.inner_text()  # type: ignore[attr-defined]
    page.click("#spi-rankings th:nth-child(4)")  # type: ignore[attr-defined]
    page.click("#spi-rankings th:nth-child(4)")  # type: ignore[attr-defined]
    last_first = page.locator("#spi-rankings tbody tr").first.inner_text()  # type: ignore[attr-defined]
    assert first != last_first  # sorted ascending: the lowest score first
    assert not outside
