"""Adding an indicator takes its YAML spec (and its formula, here one the catalog has) and nothing
else: a temporary catalog folder adds a shipped WDI series that is not yet an indicator, and the build
gives it a page, downloads, an embed and a search entry in en, es and fr. The same build pins an older
SPI edition with --vintage and sets --base-url: every page that shows the SPI source shows that
edition's values, and embed code, og:image and canonical addresses are absolute."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.e2e.helpers import _page, served
from usmca_monitor import api
from usmca_monitor.catalog import source_specs
from usmca_monitor.codelists import EXTRA_CATALOG_ENV
from usmca_monitor.facts.check import fact_specs
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.publish.i18n import LANGS

pytestmark = pytest.mark.browser
PIN = "mcv_spi@ed2024"
BASE = "https://example.org/usmca/"
SPEC = """\
id: inflation_cpi
title:
  en: "Inflation, consumer prices"
  es: "Inflación, precios al consumidor"
  fr: "Inflation, prix à la consommation"
unit: percent
goal: 2
direction: none
inputs:
  base: {series: wdi.FP.CPI.TOTL.ZG, measure: value}
formula: development.published
freqs: [A]
method:
  en: "Annual change of consumer prices (World Bank WDI FP.CPI.TOTL.ZG)."
  es: "Variación anual de los precios al consumidor (WDI del Banco Mundial, FP.CPI.TOTL.ZG)."
  fr: "Variation annuelle des prix à la consommation (IDM de la Banque mondiale, FP.CPI.TOTL.ZG)."
headline: {geo: MEX, partner: null, product: null, freq: A}
"""


def _clear() -> None:
    for cached in (indicator_specs, source_specs, fact_specs):
        cached.cache_clear()


@pytest.fixture(scope="module")
def extra_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A build with an extra catalog folder (one new indicator), --vintage mcv_spi@ed2024 and --base-url."""
    from usmca_monitor.publish.build import build_site

    catalog = tmp_path_factory.mktemp("extra-catalog")
    (catalog / "indicators").mkdir()
    (catalog / "indicators" / "inflation_cpi.yaml").write_text(SPEC, encoding="utf-8")
    out = tmp_path_factory.mktemp("extra-site") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(EXTRA_CATALOG_ENV, str(catalog))
        _clear()
        try:
            specs = len(indicator_specs())  # the shipped catalog's specs plus the one added here
            assert "inflation_cpi" in indicator_specs()
            report = build_site(out, list(LANGS), vintage=PIN, home=tmp_path_factory.mktemp("extra-home"),
                                base_url=BASE)
        finally:
            _clear()
    assert "inflation_cpi" not in report.without_data and report.indicator_pages["fr"] == specs
    yield out
    _clear()


def test_the_new_indicator_has_its_page_downloads_and_embed(extra_site: Path) -> None:
    for lang in LANGS:
        page = (extra_site / lang / "indicators" / "inflation_cpi.html").read_text(encoding="utf-8")
        assert {"en": "Inflation, consumer prices", "es": "Inflación, precios al consumidor",
                "fr": "Inflation, prix à la consommation"}[lang] in page
        assert (extra_site / lang / "embed" / "inflation_cpi.html").is_file()
        assert f'src="{BASE}{lang}/embed/inflation_cpi.html"' in page.replace("&lt;iframe ", "")
        assert f'content="{BASE}charts/indicator-inflation_cpi.png"' in page
        assert f'href="{BASE}{lang}/indicators/inflation_cpi.html"' in page  # canonical
    for ext in ("csv", "xlsx", "json", "meta.json"):
        assert (extra_site / "data" / f"inflation_cpi.{ext}").stat().st_size > 100
    rows = (extra_site / "data" / "inflation_cpi.csv").read_text(encoding="utf-8").splitlines()
    assert any(r.startswith("inflation_cpi,MEX,,,2023,A,") for r in rows)
    index = json.loads((extra_site / "data" / "v1" / "index.json").read_text(encoding="utf-8"))
    assert "inflation_cpi" in {e["id"] for e in index["indicators"]}


@pytest.mark.parametrize(("lang", "query"), [("en", "Inflation consumer prices"), ("es", "Inflación precios"),
                                             ("fr", "Inflation prix consommation")])
def test_the_new_indicator_is_found_by_search(browser: object, extra_site: Path, lang: str, query: str) -> None:
    with served(extra_site) as url:
        page = _page(browser, [])
        page.goto(f"{url}/{lang}/search.html?q={quote(query)}")  # type: ignore[attr-defined]
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
        links = page.locator(".pagefind-ui__result-link").evaluate_all(  # type: ignore[attr-defined]
            "els => els.map(e => e.getAttribute('href'))")
    assert any(f"/{lang}/indicators/inflation_cpi.html" in link for link in links), links[:5]


def test_every_page_showing_the_spi_source_shows_the_pinned_edition(extra_site: Path) -> None:
    """With --vintage mcv_spi@ed2024 the 2023 score of Nuevo León is the 2024 edition's (México, ¿cómo
    vamos?, IPS 2024), and no SPI indicator page or download shows the 2025 edition."""
    with api.open_session(vintage=PIN) as session:
        [pinned] = api.query("spi", geo="MX-NLE", period="2023", session=session)
    with api.open_session() as session:
        [latest] = api.query("spi", geo="MX-NLE", period="2023", session=session)
    assert pinned.vintage.startswith(PIN) and pinned.value != latest.value
    shown = 0
    for page in extra_site.glob("*/**/*.html"):
        text = page.read_text(encoding="utf-8")
        vintages = set(re.findall(r"mcv_spi@[\w-]+", text))
        if not vintages:
            continue
        shown += 1
        assert pinned.vintage in vintages, page
        if "/indicators/" in str(page) or "/embed/" in str(page) or "/countries/" in str(page):
            assert vintages == {pinned.vintage}, (page, vintages)
    assert shown > 100  # SPI map, rankings, comparison, 64 state profiles and 17 indicator pages per language
    csv_rows = (extra_site / "data" / "spi.csv").read_text(encoding="utf-8").splitlines()
    [row] = [r for r in csv_rows if r.startswith("spi,MX-NLE,,,2023,A,")]
    assert float(row.split(",")[6]) == pytest.approx(pinned.value, rel=1e-12) and pinned.vintage in row
    profile = (extra_site / "en" / "goal1" / "spi" / "MX-NLE.html").read_text(encoding="utf-8")
    assert pinned.vintage in profile
