"""The Goal 4 pages: TDR (period selector, ranking of every partner, blocs), imports by HS chapter,
autos, trucks and the rules of origin, in three languages; the report's 1H 2025 aside goes away by
itself once first-half 2025 data is in the store."""

from __future__ import annotations

import csv
import html as html_lib
import json
import re
from pathlib import Path

import pytest

from usmca_monitor import api
from usmca_monitor.publish.build import build_site
from usmca_monitor.publish.i18n import LANGS

PAGES = ("topics/tdr.html", "topics/tdr-partners.html", "topics/imports-by-chapter.html",
         "topics/autos.html", "topics/trucks.html", "reference/rules-of-origin.html")


@pytest.fixture(scope="module")
def site(default_site: Path) -> Path:
    """The shared default build (tests/conftest.py)."""
    return default_site


def _read(site: Path, lang: str, page: str) -> str:
    return (site / lang / page).read_text(encoding="utf-8")


def test_goal4_pages_in_every_language(site: Path) -> None:
    for lang in LANGS:
        for page in PAGES:
            html = _read(site, lang, page)
            assert f'<html lang="{lang}">' in html and 'src="http' not in html, (lang, page)
        for chart in ("tdr-lines", "tdr-lines-H1", "tdr-lines-YTD", "tdr-blocs", "hs2-shares", "autos-production",
                      "trucks-regions", "trucks-na"):
            assert (site / "charts" / f"{chart}.{lang}.svg").stat().st_size > 1000, (chart, lang)
    assert "Les règles d'origine automobiles de l'ACEUM" in html_lib.unescape(_read(site, "fr", PAGES[5]))
    assert "Las reglas de origen automotrices del T-MEC" in _read(site, "es", PAGES[5])
    assert "Classe 8" in _read(site, "fr", PAGES[4]) and "Clase 2b" in _read(site, "es", PAGES[4])


def test_tdr_chart_has_a_period_selector(site: Path) -> None:
    """The top-five chart carries a Vega-Lite parameter bound to radio buttons: full years, first halves,
    year to date; every row of its data is one of the three kinds."""
    html = _read(site, "en", "topics/tdr.html")
    spec = json.loads(re.search(r'id="tdr-lines-spec">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    [param] = params
    assert param["bind"]["input"] == "radio" and param["bind"]["options"] == ["A", "H1", "YTD"]
    kinds = {row["kind"] for row in spec["layer"][0]["data"]["values"]}
    assert kinds == {"A", "H1", "YTD"}


def test_ranking_lists_every_partner_with_its_census_values(site: Path) -> None:
    """Every ranked country of 2024 is in the sortable table; Mexico's row carries the engine's TDR."""
    html = _read(site, "en", "topics/tdr-partners.html")
    ranked = [r for r in api.query("rank_total_trade", period="2024") if r.value is not None]
    rows = re.findall(r'<tr[^>]*data-partner="([A-Z_]+)"', html.split('id="rank-2024"')[1].split("</table>")[0])
    assert len(rows) == len(ranked) > 200
    [mex] = api.query("tdr", partner="MEX", period="2024")
    assert f'data-col="tdr" data-v="{float(mex.value or 0)!r}"' in html
    assert 'class="data sortable"' in html


def test_blocs_table(site: Path) -> None:
    html = _read(site, "en", "topics/tdr-partners.html")
    bloc = html.split('id="bloc-table"')[1].split("</table>")[0]
    assert [p for p in re.findall(r'data-partner="([A-Z]+)"', bloc)][:4] == ["USMCA", "CHN", "EU", "ASEAN"]


def test_report_aside_shows_while_2025_h1_is_missing(site: Path) -> None:
    assert 'id="report-1h2025"' in _read(site, "en", "topics/tdr.html")


def test_report_aside_goes_away_once_2025_h1_is_stored(tmp_path: Path) -> None:
    """Load 2024 and January-June 2025 for a few partners (a file in the Census partner layout, with
    synthetic values: only the periods matter here); the TDR page then charts the first half of 2025 and
    drops the report's aside."""
    home = tmp_path / "home"
    path = tmp_path / "partner_2025.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["year", "month", "cty_code", "cty_name", "exports_total_usd", "imports_general_usd"])
        for year, month in [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 7)]:
            for code, x, m in (("-", 170e9, 250e9), ("2010", 28e9, 44e9), ("1220", 29e9, 33e9), ("5700", 10e9, 30e9),
                               ("4280", 6e9, 13e9), ("5880", 6e9, 12e9)):
                writer.writerow([year, month, code, "", int(x), int(m)])
    api.import_file("census_trade", path, home=home)
    out = tmp_path / "_site"
    build_site(out, ["en"], home=home)
    html = (out / "en" / "topics" / "tdr.html").read_text(encoding="utf-8")
    assert 'id="report-1h2025"' not in html
    assert 'id="tdr-bars-2025-H1"' in html
