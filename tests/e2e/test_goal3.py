"""Goal 3 pages (agri-food, advanced technology) in headless Chromium: every chart is drawn in each
language, the badges are on the page, and no request leaves localhost."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import _page, assert_charts_drawn
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser
PAGES = {"topics/agrifood.html": 4, "topics/tech.html": 2}


@pytest.mark.parametrize("lang", LANGS)
def test_goal3_pages_draw_their_charts(browser: object, base_url: str, lang: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, outside, errors)
    for path, count in PAGES.items():
        assert_charts_drawn(page, f"{base_url}/{lang}/{path}", count)
        assert page.locator(".badge.report").count() > 0  # type: ignore[attr-defined]
    assert not errors and not outside, (errors, outside)
