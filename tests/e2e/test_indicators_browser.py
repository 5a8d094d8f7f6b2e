"""Indicator pages in headless Chromium (nothing requested outside localhost): every page draws its
chart marks; a URL with view parameters opens that view; an embed draws inside an iframe of a page
served from another port; the offline search finds states, indicators and their names in each
language; every download link answers 200; the map and topic charts keep their choices in the URL."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.e2e.helpers import MARKS, _page, plain_host
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser


def _with_data(site: Path) -> list[str]:
    return sorted(p.stem for p in (site / "en" / "embed").glob("*.html"))


def _drawn(page: object, selector: str = "#ind-main") -> object:
    chart = page.locator(selector)  # type: ignore[attr-defined]
    chart.and_(page.locator("[data-rendered=true]")).wait_for(timeout=30_000)  # type: ignore[attr-defined]
    return chart


@pytest.mark.parametrize("lang", LANGS)
def test_every_indicator_page_draws_its_chart(browser: object, base_url: str, default_site: Path, lang: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, outside, errors)
    indicators = _with_data(default_site)
    assert len(indicators) >= 60
    for indicator in indicators:
        page.goto(f"{base_url}/{lang}/indicators/{indicator}.html")  # type: ignore[attr-defined]
        chart = _drawn(page)
        assert chart.locator(MARKS + ", svg .mark-shape path").count() > 0, (lang, indicator)  # type: ignore[attr-defined]
        assert page.locator("#ind-table tbody tr").count() > 0, (lang, indicator)  # type: ignore[attr-defined]
    assert not errors and not outside, (errors[:3], outside[:3])


def test_a_url_with_view_parameters_opens_that_view(browser: object, base_url: str, default_site: Path) -> None:
    page = _page(browser, [])
    page.goto(f"{base_url}/en/indicators/tdr.html?partner=CAN&freq=Q&from=2020-Q1&at=2023-Q4")  # type: ignore[attr-defined]
    chart = _drawn(page)
    assert page.locator("#ind-partner").input_value() == "CAN"  # type: ignore[attr-defined]
    assert page.locator("#ind-freq").input_value() == "Q"  # type: ignore[attr-defined]
    assert page.locator("#ind-at").input_value() == "2023-Q4"  # type: ignore[attr-defined]
    assert '"partner":"CAN"' in (chart.get_attribute("data-view") or "")  # type: ignore[attr-defined]
    periods = page.locator("#ind-table tbody th").evaluate_all(  # type: ignore[attr-defined]
        "els => els.map(e => e.getAttribute('data-period'))")
    assert periods[0] == "2024-Q4" and periods[-1] == "2020-Q1"
    rows = (default_site / "data" / "tdr.csv").read_text(encoding="utf-8").splitlines()
    expected = next(r for r in rows if r.startswith("tdr,USA,CAN,,2024-Q4,Q,")).split(",")[6]
    shown = page.locator("#ind-table tbody td").first.get_attribute("data-value")  # type: ignore[attr-defined]
    assert float(shown) == pytest.approx(float(expected), rel=1e-12)
    page.select_option("#ind-partner", "CHN")  # type: ignore[attr-defined]
    page.wait_for_function("location.search.includes('partner=CHN')")  # type: ignore[attr-defined]
    assert "freq=Q" in page.url  # type: ignore[attr-defined]


def test_an_embed_draws_inside_an_iframe_served_from_another_port(browser: object, base_url: str,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        f'<!doctype html><html><body><h1>Host</h1><iframe id="f" src="{base_url}/es/embed/tdr.html?partner=CHN" '
        'width="800" height="480"></iframe></body></html>', encoding="utf-8")
    outside: list[str] = []
    with plain_host(tmp_path) as host:
        assert host.rsplit(":", 1)[1] != base_url.rsplit(":", 1)[1]
        page = _page(browser, outside)
        page.goto(f"{host}/index.html")  # type: ignore[attr-defined]
        frame = page.frame_locator("#f")  # type: ignore[attr-defined]
        frame.locator("#ind-main[data-rendered=true]").wait_for(timeout=30_000)
        assert frame.locator("#ind-main " + MARKS.split(",")[1].strip()).count() > 0
        assert "Razón de déficit comercial" in frame.locator(".embed-title").inner_text()
        assert "partner=CHN" in (frame.locator("#embed-back").get_attribute("href") or "")
    assert not outside


def test_a_page_other_than_an_embed_cannot_be_framed_by_another_site(browser: object, base_url: str,
                                                                    tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        f'<!doctype html><html><body><iframe id="f" src="{base_url}/es/indicators/tdr.html"></iframe></body></html>',
        encoding="utf-8")
    with plain_host(tmp_path) as host:
        page = _page(browser, [])
        page.goto(f"{host}/index.html")  # type: ignore[attr-defined]
        page.wait_for_timeout(1500)  # type: ignore[attr-defined]
        frame = page.frame_locator("#f")  # type: ignore[attr-defined]
        assert frame.locator("#ind-main").count() == 0  # refused by frame-ancestors 'self'


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("es", "Nuevo León", "/es/goal1/spi/MX-NLE.html"), ("en", "Nuevo León", "/en/goal1/spi/MX-NLE.html"),
    ("en", "TDR", "/en/indicators/tdr.html"), ("es", "razón de déficit", "/es/indicators/tdr.html"),
    ("fr", "ratio de déficit commercial", "/fr/indicators/tdr.html"), ("en", "Vietnam", "partner=VNM"),
    ("fr", "Mexique", "/fr/countries/MEX.html")])
def test_search_finds_in_its_language(browser: object, base_url: str, lang: str, query: str, expected: str) -> None:
    outside: list[str] = []
    page = _page(browser, outside)
    page.goto(f"{base_url}/{lang}/search.html?q={quote(query)}")  # type: ignore[attr-defined]
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    links = page.locator(".pagefind-ui__result-link").evaluate_all(  # type: ignore[attr-defined]
        "els => els.map(e => e.getAttribute('href'))")
    assert any(expected in link for link in links), links[:8]
    assert all(f"/{lang}/" in link for link in links), links[:8]
    assert not outside


def test_every_download_link_answers_200(default_site: Path, base_url: str) -> None:
    links: set[str] = set()
    for page in (default_site / "en" / "indicators").glob("*.html"):
        links |= set(re.findall(r'href="\.\./\.\./(data/[^"?#]+)"', page.read_text(encoding="utf-8")))
    assert len(links) > 300
    for link in sorted(links):
        with urllib.request.urlopen(f"{base_url}/{link}", timeout=30) as answer:
            assert answer.status == 200, link


def test_the_map_and_topic_charts_keep_their_choices_in_the_url(browser: object, base_url: str) -> None:
    page = _page(browser, [])
    page.goto(f"{base_url}/en/goal1/spi.html?measure=opportunity&scale=fixed")  # type: ignore[attr-defined]
    page.locator("#spi-map[data-rendered=true]").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    assert page.locator("#spi-map").get_attribute("data-measure") == "opportunity"  # type: ignore[attr-defined]
    assert page.locator("#spi-map").get_attribute("data-scale") == "fixed"  # type: ignore[attr-defined]
    page.select_option("#spi-scale", "quantile")  # type: ignore[attr-defined]
    page.wait_for_function("!location.search.includes('scale=')")  # type: ignore[attr-defined]
    page.goto(f"{base_url}/en/topics/tdr.html?kind=H1")  # type: ignore[attr-defined]
    page.locator("#tdr-lines[data-rendered=true]").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    assert page.locator("#tdr-lines input[type=radio][value=H1]").is_checked()  # type: ignore[attr-defined]
