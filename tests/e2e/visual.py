"""Checks of a page as a reader sees it, shared by tests/e2e/test_visual.py: one representative page per
template, charts drawn with marks, nothing wider than the screen, no chart text cut with "…", and
axe-core (vendored in tests/vendor, never served on the site) run on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}

# One page per template of the site (the template named first), relative to /<lang>/.
PAGES = {
    "index.html": "index.html",
    "goals.html": "goals/index.html",
    "goal.html": "goals/trade.html",
    "stakeholders.html": "goals/stakeholders.html",
    "tdr.html": "topics/tdr.html",
    "tdr_partners.html": "topics/tdr-partners.html",
    "imports_by_chapter.html": "topics/imports-by-chapter.html",
    "agrifood.html": "topics/agrifood.html",
    "autos.html": "topics/autos.html",
    "tech.html": "topics/tech.html",
    "trucks.html": "topics/trucks.html",
    "rules_of_origin.html": "reference/rules-of-origin.html",
    "spi.html": "goal1/spi.html",
    "spi_rankings.html": "goal1/spi-rankings.html",
    "spi_compare.html": "goal1/spi-compare.html?states=MX-AGU,MX-BCN",
    "spi_profile.html": "goal1/spi/MX-AGU.html",
    "country.html": "countries/MEX.html",
    "indicators.html": "indicators/index.html",
    "indicator.html (lines)": "indicators/employment_rate.html",
    "indicator.html (map)": "indicators/spi.access_to_basic_knowledge.html",
    "indicator.html (bars)": "indicators/ag_food_imports.html",
    "indicator_empty.html": "indicators/ag_trade.html",
    "embed.html": "embed/employment_rate.html",
    "facts.html": "facts/index.html",
    "whatsnew.html": "whats-new.html",
    "methods.html": "methods.html",
    "sources.html": "sources.html",
    "api.html": "api.html",
    "search.html": "search.html",
}

# Every chart container of the site: charts.js ([data-chart]), indicator.js (#ind-main, #ind-series) and
# spi.js (#spi-map, #spi-compare-chart).
CHARTS = "[data-chart], #ind-main, #ind-series, #spi-map, #spi-compare-chart"

CHECKS = Path(__file__).with_name("page_checks.js").read_text(encoding="utf-8").replace("__CHARTS__", CHARTS)
READY_JS, PROBLEMS_JS = ("\n".join(line for line in part.strip().splitlines() if not line.startswith("//"))
                         for part in CHECKS.split("// ---- problems ----"))

AXE_JS = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(
    (v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}"""


def wait_for_charts(page: Any, timeout: float = 30_000) -> None:
    """Wait until every visible chart of ``page`` is drawn (or failed) for the current width."""
    page.wait_for_function(READY_JS, arg=page.viewport_size["width"], timeout=timeout, polling=100)


def problems(page: Any) -> list[str]:
    """What is wrong with ``page`` as drawn now (empty when nothing is)."""
    found: list[str] = page.evaluate(PROBLEMS_JS)
    return found


def axe_violations(page: Any) -> list[str]:
    """The serious and critical axe-core violations of ``page``."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the site's CSP refuses inline scripts
    found: list[str] = page.evaluate(AXE_JS)
    return found
