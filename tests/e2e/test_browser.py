"""The built site in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): the home
and TDR pages in all three languages, charts drawn, and every request outside localhost blocked."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import _page, assert_charts_drawn
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", LANGS)
def test_tdr_page_draws_its_charts(browser: object, base_url: str, lang: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, outside, errors)
    assert_charts_drawn(page, f"{base_url}/{lang}/topics/tdr.html", 3)
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
