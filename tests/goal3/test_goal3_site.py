"""The Goal 3 pages as built: agri-food (in the report's order, the divergence of Canada's fresh-fruit
share shown, the deflator named) and advanced technology (ATP categories, ICT table, HS 84/85 proxies),
in three languages; HS2 chapters sum to the partner totals; the ATP codelist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from usmca_monitor import api
from usmca_monitor.codelists import hs6_to_naics, product_names
from usmca_monitor.publish.i18n import LANGS
from usmca_monitor.publish.sections.tech import atp_categories, proxy_coverage


@pytest.fixture(scope="module")
def site(default_site: Path) -> Path:
    """The shared default build (tests/conftest.py): the embedded snapshot in every language."""
    return default_site


def _read(site: Path, lang: str, page: str) -> str:
    return (site / lang / page).read_text(encoding="utf-8")


def test_agrifood_page_in_the_reports_order(site: Path) -> None:
    html = _read(site, "en", "topics/agrifood.html")
    order = [html.index(f'id="{h}"') for h in ("exp-h", "imp-h", "share-h", "com-h", "jobs-h", "beer-h")]
    assert order == sorted(order)
    assert html.count("deflator: CPI-U annual average (BLS CUUR0000SA0), 2024 = 100") == 3  # every constant-$ chart
    for lang in LANGS:
        page = _read(site, lang, "topics/agrifood.html")
        assert f'<html lang="{lang}">' in page and 'src="http' not in page
        for badge in ("computed", "official", "report"):
            assert f'class="badge {badge}"' in page, (lang, badge)


def test_fresh_share_table_shows_the_canadian_fruit_divergence(site: Path) -> None:
    """ERS U.S. Food Imports 2023: Canada 1.495 % of fresh fruit import value (rounds to 1) against the
    report's 2 % (ERS-USDA, Goal 3); the other three shares agree at the report's whole percent."""
    html = _read(site, "en", "topics/agrifood.html")
    table = html[html.index('id="fresh-shares"'):html.index("</table>", html.index('id="fresh-shares"'))]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td>.*?verdict (agrees|diverges)", table)
    assert rows == [("Fresh fruit", "Mexico", "agrees"), ("Fresh fruit", "Canada", "diverges"),
                    ("Fresh vegetables", "Mexico", "agrees"), ("Fresh vegetables", "Canada", "agrees")]


def test_tech_page_lists_ten_atp_categories_and_the_ict_table(site: Path) -> None:
    """The report (Goal 3, technology, citing Census ATP): ICT imports January-June 2025 from Taiwan
    $54.3 bn (YoY +107 %, balance -$49.1 bn); ATP balance 2024 -$298.9 bn."""
    for lang in LANGS:
        html = _read(site, lang, "topics/tech.html")
        body = html[html.index('id="atp-categories"'):]
        assert body[:body.index("</table>")].count("<tr><td>") == 10
    html = _read(site, "en", "topics/tech.html")
    ict = html[html.index('id="ict-table"'):]
    assert re.search(r"Taiwan</th><td class=\"num\">54\.3</td><td class=\"num\">107</td><td class=\"num\">-49\.1", ict)
    assert "<strong>-298.9</strong>" in html
    assert "proxy for" in html and 'id="proxy-85"' in html and 'class="badge computed"' in html


def test_atp_codelist_has_names_in_three_languages() -> None:
    items = atp_categories()
    assert [i["code"] for i in items] == [f"{n:02d}" for n in range(1, 11)]
    assert all(i[lang] for i in items for lang in LANGS)


def test_hs2_chapters_sum_to_the_partner_totals() -> None:
    """U.S. Census Bureau, imports/hs at COMM_LVL=HS2 (shipped 2023-2024): the chapters of each partner sum
    to its general imports in the partner file of the foundation issue (Census, imports GEN_VAL_MO)."""
    for partner in ("MEX", "CAN", "CHN"):
        total = api.query("imports", partner=partner, period="2024")[0].value
        chapters = api.query("hs2_imports", partner=partner, period="2024")
        summed = sum(r.value or 0 for r in chapters if r.product and r.product.startswith("HS:"))
        assert total is not None and summed == pytest.approx(total, rel=1e-9), partner


def test_hs_chapters_as_naics_proxies_from_the_derived_concordance() -> None:
    """HS 2022 → NAICS concordance (R package concordance 2.1.0, shipped as data/codelists/hs2022_naics.csv):
    253 of the 296 six-digit subheadings of HS 85 map to NAICS 334 or 335, but only 59 of the 538 of HS 84
    (shared/data/concordances/SOURCES.md: NAICS 334 <- 305 HS6, 335 <- 234)."""
    assert proxy_coverage("85", ("334", "335")) == (253, 296)
    assert proxy_coverage("84", ("334", "335")) == (59, 538)
    assert sum(1 for codes in hs6_to_naics().values() if any(c.startswith("334") for c in codes)) == 305
    assert product_names("hs2022")["85"].startswith("Electrical machinery and equipment")
    assert product_names("naics2017")["334"] == "Computer and Electronic Product Manufacturing"
