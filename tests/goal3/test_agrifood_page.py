"""The agri-food page in its two states: without the live-only ERS files (the report's figures with the
report badge, no FATUS or availability charts) and with FATUS, both yearbooks (loaded with
`usmca import usda_ers FILE`) and FAS GATS exports (a tidy CSV) in the store (computed charts and
computed availability shares beside the report's). The deflator is named in the page's language.

The loaded files are fixtures BUILT FROM THE PUBLISHER'S DOCUMENTATION / PUBLIC CLIENT CODE, NOT RECORDED
DOWNLOADS; their numbers are synthetic fixture values (tests/fixtures/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.publish import labels
from usmca_monitor.publish.context import SiteContext
from usmca_monitor.publish.sections import agrifood

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "usda"
LANGS = ["en", "es", "fr"]
LABELS = {"en": "deflator: CPI-U annual average (BLS CUUR0000SA0), 2024 = 100",
          "es": "deflactor: IPC-U, promedio anual (BLS CUUR0000SA0), 2024 = 100",
          "fr": "déflateur: IPC-U, moyenne annuelle (BLS CUUR0000SA0), 2024 = 100"}


def _pages(home: Path, out: Path) -> dict[str, str]:
    """The agri-food page of each language, built from the store in ``home`` (this section only)."""
    with api.open_session(home) as session:
        site = SiteContext(out=out, langs=LANGS, built="2026-11-29", session=session, vintage=None,
                           sections=[agrifood])
        for lang in LANGS:
            labels.vintage_labels(site, lang)  # as a build does first: vintages in words on every page
            agrifood.write(site, lang)
    return {lang: (out / lang / agrifood.PATH).read_text(encoding="utf-8") for lang in LANGS}


def _gats_csv(path: Path) -> Path:
    """Synthetic fixture values: FAS GATS exports of HS 07 of $100 million a month to each partner in
    2023 (twelve months: $1.2 billion a year) and one month of 2024 (an incomplete year, not charted)."""
    lines = ["series,geo,partner,product,flow,measure,period,freq,value,unit"]
    for partner in ("MEX", "CAN", "CHN", "JPN", "KOR"):
        lines += [f"fas.gats.exports,USA,{partner},HS:07,export,value,2023-{m:02d},M,100000000,USD"
                  for m in range(1, 13)]
        lines.append(f"fas.gats.exports,USA,{partner},HS:07,export,value,2024-01,M,100000000,USD")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _pages(tmp_path_factory.mktemp("home-empty"), tmp_path_factory.mktemp("site-empty"))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home-loaded")
    runner = CliRunner()
    env = {"USMCA_HOME": str(home)}
    for name in ("fatus_sample.csv", "fruit_yearbook_sample.csv", "vegetables_pulses_tables.csv"):
        result = runner.invoke(app, ["import", "usda_ers", str(FIXTURES / name)], env=env)
        assert result.exit_code == 0, result.output
    gats = _gats_csv(tmp_path_factory.mktemp("gats") / "gats.csv")
    result = runner.invoke(app, ["import", "fas_gats", str(gats)], env=env)
    assert result.exit_code == 0, result.output
    return _pages(home, tmp_path_factory.mktemp("site-loaded"))


def _availability_rows(html: str) -> list[tuple[str, ...]]:
    table = html[html.index('id="availability"'):html.index("</table>", html.index('id="availability"'))]
    return re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d{4})</td>(.*?)</tr>', table)


def test_without_the_live_files_the_page_quotes_the_report(empty: dict[str, str]) -> None:
    """The report's availability figures (ERS-USDA, Goal 3): avocados 91.9 % in 2023, raspberries 17.3 %
    (1994) and 91.4 % (2023), shown with the report badge only."""
    html = empty["en"]
    assert 'id="ag-exports-pending"' in html
    for chart in ("agrifood-ag-exports", "agrifood-ag-imports", "agrifood-availability", "agrifood-gats-exports"):
        assert f'id="{chart}"' not in html, chart
    rows = _availability_rows(html)
    assert ("Avocados", "2023") in [r[:2] for r in rows]
    assert all("badge report" in r[2] and "badge computed" not in r[2] for r in rows)
    assert re.search(r"Avocados</th><td>2023</td><td class=\"num\">91\.9", html)


def test_with_the_live_files_the_charts_are_computed(loaded: dict[str, str]) -> None:
    """Synthetic fixture values: avocados 2023 import share 95.4 % (2,900 / (150 − 10 + 2,900)), set against
    the report's 91.9 % (ERS-USDA, Goal 3) as a divergence; raspberries 1994 has no computed value."""
    html = loaded["en"]
    assert 'id="ag-exports-pending"' not in html
    for chart in ("agrifood-ag-exports", "agrifood-ag-imports", "agrifood-availability",
                  "agrifood-availability-fruit", "agrifood-availability-vegetables", "agrifood-gats-exports"):
        assert f'id="{chart}"' in html, chart
    rows = {r[:2]: r[2] for r in _availability_rows(html)}
    assert re.search(r"95\.4 <span class=\"badge computed\">", rows[("Avocados", "2023")])
    assert "verdict diverges" in rows[("Avocados", "2023")] and "badge report" in rows[("Avocados", "2023")]
    assert "badge computed" not in rows[("Raspberries", "1994")]
    exports = html[html.index('id="exp-h"'):html.index('id="imp-h"')]
    assert exports.count('class="badge computed"') == 2  # the FATUS chart and the FAS GATS chart
    # the vintages in words beside the charts, their ids in the page's Technical details
    assert "fas_gats@import-" not in exports and "USDA Foreign Agricultural Service" in exports
    technical = html[html.index("page-tech"):]
    assert "fas_gats@import-" in technical and "usda_ers@import-" in technical


def test_fatus_chart_shows_the_reports_partners_in_constant_dollars(loaded: dict[str, str]) -> None:
    """Synthetic fixture values: Mexico's exports in 2024 = $30,000 million, in constant 2024 dollars
    the same $30.0 billion (the rebased series equals the nominal one in the base year)."""
    html = loaded["en"]
    spec = html[html.index('id="agrifood-ag-exports-spec"'):]
    spec = spec[:spec.index("</script>")]
    for name in ("Mexico", "Canada", "China", "Japan", "South Korea"):
        assert f'"partner": "{name}"' in spec, name
    assert re.search(r'"year": "2024", "partner": "Mexico", "code": "MEX", "order": 0, "value": 30\.0\b', spec)


@pytest.mark.parametrize("lang", LANGS)
def test_the_deflator_is_named_in_the_pages_language(empty: dict[str, str], loaded: dict[str, str],
                                                     lang: str) -> None:
    assert empty[lang].count(LABELS[lang]) == 3  # fresh fruit, fresh vegetables, beer
    assert loaded[lang].count(LABELS[lang]) == 5  # and the FATUS exports and imports
    if lang != "en":
        assert "CPI-U annual average" not in loaded[lang]
