"""The technology page in en/es/fr without product data (the report's figures with the report badge, the
HS 84/85 proxies) and with SYNTHETIC TEST VALUES (tests/goal3/tech_synthetic.py — made up, not statistics)
for the Census product series: the badges switch series by series, the report's figures stay beside the
computed ones with a divergence marker, and the NAICS shares come from NAICS data, else from HS6 through
the concordance, else from the proxies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.goal3 import tech_synthetic as ts
from usmca_monitor import api
from usmca_monitor.publish.build import SECTIONS
from usmca_monitor.publish.context import SiteContext
from usmca_monitor.publish.i18n import LANGS
from usmca_monitor.publish.sections import tech

MODES = {"none": (), "hitech": ("hitech",), "hs6": ("hitech", "hs6"), "naics": ("hitech", "naics", "hs6")}


def _build(root: Path, parts: tuple[str, ...]) -> Path:
    """Only the technology page, in the three languages, over a store with the embedded snapshot plus
    the synthetic ``parts`` imported as one census_trade file."""
    rows = {"hitech": ts.hitech_rows, "naics": ts.naics_rows, "hs6": ts.hs6_rows}
    if parts:
        api.import_file("census_trade", ts.write_tidy(root / "synthetic.csv", *(rows[p]() for p in parts)),
                        home=root)
    with api.open_session(root) as session:
        site = SiteContext(out=root / "site", langs=list(LANGS), built="2026-01-01", session=session, vintage=None,
                           sections=list(SECTIONS))
        for lang in LANGS:
            tech.write(site, lang)
    return root / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    yield {mode: _build(tmp_path_factory.mktemp(f"tech-{mode}"), parts) for mode, parts in MODES.items()}


def _page(site: Path, lang: str = "en") -> str:
    return (site / lang / tech.PATH).read_text(encoding="utf-8")


def _section(html: str, heading: str) -> str:
    start = html.index(f'id="{heading}"')
    return html[start:html.index("</section>", start)]


def test_without_product_data_the_page_quotes_the_report(sites: dict[str, Path]) -> None:
    """The report (Goal 3, citing Census ATP): ATP balance 2024 −$298.9 bn; ICT imports from Taiwan,
    January-June 2025, $54.3 bn — quoted with the report badge; HS 85 and 84 shown as computed proxies."""
    for lang in LANGS:
        html = _page(sites["none"], lang)
        atp, ict, naics = (_section(html, h) for h in ("atp-h", "ict-h", "naics-h"))
        assert 'class="badge report"' in atp and 'class="badge computed"' not in atp, lang
        assert 'class="badge computed"' not in ict and 'id="atp-checks"' not in html
        assert 'id="proxy-85"' in naics and 'id="proxy-84"' in naics and 'class="badge computed"' in naics
        assert 'src="http' not in html and f'<html lang="{lang}">' in html
    html = _page(sites["none"])
    assert "<strong>-298.9</strong>" in html and re.search(r"Taiwan</th><td class=\"num\">54\.3</td>", html)


def test_with_atp_data_the_atp_and_ict_sections_are_computed(sites: dict[str, Path]) -> None:
    """Synthetic ATP data: 2024 balance +120.0 bn (all ten, all countries), January-June 2025 −540.0 bn; the
    report's −298.9 bn (2024) and −213,120.9 million (January-June 2025) beside, marked as differing."""
    for lang in LANGS:
        atp = _section(_page(sites["hitech"], lang), "atp-h")
        assert 'class="badge computed"' in atp and 'class="badge report"' in atp, lang
        assert atp.count('class="verdict diverges"') >= 2
    atp = _section(_page(sites["hitech"]), "atp-h")
    assert "<strong>120.0</strong>" in atp and "<strong>-540.0</strong>" in atp
    checks = atp[atp.index('id="atp-checks"'):]
    assert re.search(r"-540,000\.0 .*?-213,120\.9 .*?verdict diverges", checks, re.S)  # USD million
    body = atp[atp.index('id="atp-categories"'):]
    assert body[:body.index("</table>")].count("<tr><td>") == 10
    fr = _section(_page(sites["hitech"], "fr"), "atp-h")
    assert "janvier–juin 2025" in fr and "-540,0" in fr


def test_ict_table_marks_what_does_not_round_to_the_report(sites: dict[str, Path]) -> None:
    """Synthetic ICT imports from Taiwan, January-June 2025: 54.3 bn (the report's $54.3 bn: matches),
    growth +101.1 % (report +107 %: differs), balance −49.5 bn (report −$49.1 bn: differs); partners without
    data (China, Vietnam, Thailand, India in the synthetic set) keep the report's figures, marked absent."""
    ict = _section(_page(sites["hitech"]), "ict-h")
    taiwan = ict[ict.index("Taiwan</th>"):ict.index("</tr>", ict.index("Taiwan</th>"))]
    cells = re.findall(r'<td class="num">(.*?)</td>', taiwan, re.S)
    assert cells[0].startswith("54.3") and "verdict agrees" in cells[0]
    assert cells[1].startswith("101") and "report: 107" in cells[1] and "verdict diverges" in cells[1]
    assert cells[2].startswith("-49.5") and "verdict diverges" in cells[2]
    assert ict.index("Taiwan</th>") < ict.index("Mexico</th>") < ict.index("China</th>")
    assert ict.count("not in the data") == 12


def test_naics_shares_prefer_naics_then_hs6_then_proxies(sites: dict[str, Path]) -> None:
    """Synthetic 2024 shares of U.S. imports: Mexico 20 % of NAICS 334 from NAICS data (2 of 10 bn a month);
    from HS6 through the concordance also 20 % (12 of 60 bn), with 12.0 bn partly mapped to 334 left out
    (16.7 %) and 6.0 bn in a subheading the concordance does not list, and the synthetic set holds 1 of the
    229 subheadings mapped only to 334 (1 of 131 for 335); without either, the HS proxies."""
    naics = _section(_page(sites["naics"]), "naics-h")
    assert "imports/naics" in naics and 'id="naics-334"' in naics and 'id="left-out"' not in naics
    assert re.search(r"Mexico</th><td class=\"num\">20\.0 <span class=\"badge computed\"", naics)
    assert re.search(r"China</th><td class=\"num\">50\.0", naics[naics.index('id="naics-335"'):])
    hs6 = _section(_page(sites["hs6"]), "naics-h")
    assert "concordance" in hs6 and 'id="proxy-85"' not in hs6
    left = hs6[hs6.index('id="left-out"'):]
    assert "USD 12.0 billion" in left and "16.7%" in left and "USD 6.0 billion" in left
    assert "holds 1 of the 229 subheadings" in left and "holds 1 of the 131 subheadings" in left  # coverage
    assert 'id="proxy-85"' in _section(_page(sites["hitech"]), "naics-h")


def test_computed_charts_have_png_and_svg(sites: dict[str, Path]) -> None:
    for chart in ("tech-atp-by-year", "tech-atp-cats-year", "tech-atp-cats-ytd", "tech-naics-shares"):
        for lang in LANGS:
            for ext in ("png", "svg"):
                assert (sites["naics"] / "charts" / f"{chart}.{lang}.{ext}").stat().st_size > 0, (chart, lang)
    assert not (sites["none"] / "charts" / "tech-atp-by-year.en.png").exists()
    assert (sites["none"] / "charts" / "tech-atp-balance.en.png").exists()
