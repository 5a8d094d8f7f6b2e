"""The goal pages in headless Chromium (Debian's /usr/bin/chromium via Playwright), in all three
languages, with a stakeholder file published: goal cards and statuses, the "why" components opening
on click, sparklines drawn, the stakeholders page in each language, and no request outside localhost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import _page, served
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser
ORG_TITLES = {"en": "Cross-border jobs and exports", "es": "Empleos y exportaciones transfronterizos",
              "fr": "Emplois et exportations transfrontaliers"}
STATUS_WORDS = {"en": "progress", "es": "Avance", "fr": "Progrès"}


@pytest.fixture(scope="module")
def base_url(stakeholder_site: Path) -> Iterator[str]:
    """The shared build with the goal files of tests/goals/fixtures/valid (tests/conftest.py), served."""
    with served(stakeholder_site) as url:
        yield url






@pytest.mark.parametrize("lang", LANGS)
def test_overview_and_goal_pages(browser: object, base_url: str, lang: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, outside, errors)
    page.goto(f"{base_url}/{lang}/goals/index.html")  # type: ignore[attr-defined]
    cards = page.locator("a.goal-card")  # type: ignore[attr-defined]
    assert cards.count() == 4
    assert page.get_attribute("html", "lang") == lang  # type: ignore[attr-defined]
    cards.nth(3).click()
    page.wait_for_url(f"**/{lang}/goals/investment.html")  # type: ignore[attr-defined]
    targets = page.locator("article.target")  # type: ignore[attr-defined]
    assert targets.count() == len(load_catalog().goal(4).targets)
    assert page.locator("svg.spark polyline").count() > 0  # type: ignore[attr-defined]
    table = page.locator("table.components").first  # type: ignore[attr-defined]
    assert not table.is_visible()
    table.locator("xpath=ancestor::details[1]/summary").click()  # the table's own folded block
    assert table.is_visible() and table.locator("tr").count() >= 5
    pill = page.locator(".goal-status .status").first  # type: ignore[attr-defined]
    assert pill.inner_text().strip()
    assert not errors and not outside, (errors, outside)


@pytest.mark.parametrize("lang", LANGS)
def test_stakeholders_page_and_home_cards(browser: object, base_url: str, lang: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, outside, errors)
    page.goto(f"{base_url}/{lang}/goals/stakeholders.html")  # type: ignore[attr-defined]
    section = page.locator("section.organisation")  # type: ignore[attr-defined]
    assert section.count() == 1 and ORG_TITLES[lang] in section.inner_text()
    section.locator("p.feeds a").last.click()
    page.wait_for_url(f"**/{lang}/goals/trade.html")  # type: ignore[attr-defined]
    page.goto(f"{base_url}/{lang}/index.html")  # type: ignore[attr-defined]
    lines = page.locator("article.goal p.goal-status-line")  # type: ignore[attr-defined]
    assert lines.count() == 4
    assert any(STATUS_WORDS[lang].lower() in lines.nth(i).inner_text().lower() for i in range(4))
    assert not errors and not outside, (errors, outside)
