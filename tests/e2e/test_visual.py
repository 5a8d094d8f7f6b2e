"""Every page type as a reader sees it (issue #12, "Must hold"): one page per template, in en, es and fr,
at 1366×900 and then resized to 390×844 (charts redraw for the new width). On each: every chart has drawn
marks (bars, lines, areas or shapes, not only axes), the document is no wider than the screen, no element
lies outside the screen sideways (a wide table scrolling inside its own box is fine), no chart text is cut
with "…" or drawn outside its chart, and axe-core reports no serious or critical violation.

One Chromium and one page for the whole module, on the shared default build."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.visual import AXE, PAGES, WIDTHS, axe_violations, problems, wait_for_charts
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reader(browser: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """One page reused by every check: axe-core injected before the page's scripts, requests off
    localhost aborted and listed, page errors listed."""
    outside: list[str] = []
    errors: list[str] = []
    width, height = WIDTHS["desktop"]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(path=str(AXE))

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, outside, errors
    context.close()


def _check(page: Any, label: str) -> list[str]:
    wait_for_charts(page)
    return [f"{label}: {p}" for p in problems(page) + axe_violations(page)]


@pytest.mark.parametrize("template", list(PAGES))
@pytest.mark.parametrize("lang", LANGS)
def test_page_reads_well_on_desktop_and_phone(reader: tuple[Any, list[str], list[str]], base_url: str,
                                              lang: str, template: str) -> None:
    page, outside, errors = reader
    outside.clear()
    errors.clear()
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS["desktop"], strict=True)))
    page.goto(f"{base_url}/{lang}/{PAGES[template]}")
    found = _check(page, "1366")
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS["phone"], strict=True)))
    found += _check(page, "390")
    assert not found, "\n".join(found)
    assert not errors and not outside, (errors, outside)


def test_checks_see_a_page_wider_than_the_screen(reader: tuple[Any, list[str], list[str]], base_url: str) -> None:
    """The checks can fail: a too-wide element, a chart without marks and an unlabelled button are reported."""
    page, _, _ = reader
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base_url}/en/methods.html")
    page.evaluate("""() => {
      const wide = document.createElement('div'); wide.style.width = '900px'; wide.textContent = 'wide';
      document.querySelector('main').appendChild(wide);
      const chart = document.createElement('div'); chart.setAttribute('data-chart', 'x'); chart.id = 'empty-chart';
      chart.setAttribute('data-rendered', 'true'); chart.setAttribute('data-width', String(chart.offsetWidth));
      chart.innerHTML = '<svg width="100" height="50"><text x="5" y="20">Rest of the world (not broke…</text></svg>';
      document.querySelector('main').appendChild(chart);
      document.querySelector('main').appendChild(document.createElement('button'));
    }""")
    found = problems(page)
    assert any("wide for a 390px screen" in p for p in found), found
    assert any("empty-chart: no marks drawn" in p for p in found), found
    assert any('text cut "Rest of the world (not broke…"' in p for p in found), found
    assert any("button-name" in v for v in axe_violations(page))
