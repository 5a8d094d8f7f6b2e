"""Indicator pages from the catalog: every spec with data has a page in en, es and fr (and an embed),
each page shows its unit, definition and direction, a table whose rows are the CSV's rows of the
headline view, links to and from its goal and targets, and download links to files that exist; a spec
without data says in words which publisher fills it; the old topic addresses redirect."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from usmca_monitor import api
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.publish.i18n import LANGS


@pytest.fixture(scope="module")
def site(default_site: Path) -> Path:
    """The shared default build (tests/conftest.py)."""
    return default_site


@pytest.fixture(scope="module")
def with_data() -> set[str]:
    """The specs whose rows `usmca query ID --all` finds in the embedded data."""
    with api.open_session() as session:
        return {i for i in indicator_specs() if api.query_all(i, session=session).num_rows}


def _read(site: Path, lang: str, path: str) -> str:
    return (site / lang / path).read_text(encoding="utf-8")


def _csv_rows(site: Path, indicator: str) -> list[dict[str, str]]:
    with (site / "data" / f"{indicator}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_spec_with_data_has_a_page_and_an_embed_in_every_language(site: Path, with_data: set[str]) -> None:
    assert len(with_data) >= 60  # 65 of the 83 specs have data in the embedded snapshot
    assert (site / "pagefind" / "pagefind-ui.js").is_file() and not Path("pagefind").exists()  # only in the site
    for indicator in with_data:
        for lang in LANGS:
            page = _read(site, lang, f"indicators/{indicator}.html")
            assert f'<html lang="{lang}">' in page and 'id="ind-main"' in page, (indicator, lang)
            assert indicator_specs()[indicator].title.get(lang) in page
            assert (site / lang / "embed" / f"{indicator}.html").is_file()


def test_every_shipped_headline_names_a_view_with_data(site: Path, with_data: set[str]) -> None:
    """Each spec's declared headline (geo, partner, product, freq) has rows: pages open on data."""
    for indicator in with_data:
        head = indicator_specs()[indicator].headline
        rows = [r for r in _csv_rows(site, indicator)
                if (r["geo"], r["partner"] or None, r["product"] or None, r["freq"])
                == (head.geo, head.partner, head.product, head.freq) and r["value"] != ""]
        assert rows, indicator


def test_a_spec_without_data_says_which_publisher_fills_it(site: Path, with_data: set[str]) -> None:
    empty = sorted(set(indicator_specs()) - with_data)
    assert "atp_balance" in empty
    for lang in LANGS:
        page = _read(site, lang, "indicators/atp_balance.html")
        text, _, details = page.partition('<details class="tech">')
        assert "U.S. Census Bureau" in text and "usmca update" not in text  # words in the text …
        assert "usmca update census_trade" in details  # … the command only in the technical details


def _table(page: str) -> list[tuple[str, str]]:
    body = page.split('id="ind-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-period="([^"]+)".*?data-value="([^"]*)"', body, flags=re.S)


def test_each_page_table_holds_the_csv_rows_of_its_headline_view(site: Path, with_data: set[str]) -> None:
    for indicator in sorted(with_data):
        head = indicator_specs()[indicator].headline
        expected = {(r["period"], float(r["value"])) for r in _csv_rows(site, indicator)
                    if (r["geo"], r["partner"] or None, r["product"] or None, r["freq"])
                    == (head.geo, head.partner, head.product, head.freq) and r["value"] != ""}
        for lang in LANGS:
            shown = {(p, float(v)) for p, v in _table(_read(site, lang, f"indicators/{indicator}.html")) if v}
            assert shown == expected and shown, (indicator, lang)


def test_tdr_page_shows_mexico_2024_with_its_change(site: Path) -> None:
    """Mexico's 2024 TDR from the Census rows: (505.52 − 334.03) / 334.03 = 0.51 (see
    tests/goal4/test_tdr_every_partner.py); 2023: 0.46, so +0.05 a year earlier."""
    page = _read(site, "en", "indicators/tdr.html")
    assert "United States → Mexico" in page and "<strong>0.51</strong>" in page and "+0.05 from 2023" in page
    assert "0,51" in _read(site, "fr", "indicators/tdr.html")


def test_pages_show_unit_definition_and_direction(site: Path, with_data: set[str]) -> None:
    specs = indicator_specs()
    for indicator in with_data:
        for lang in LANGS:
            page = _read(site, lang, f"indicators/{indicator}.html")
            for css in ("ind-definition", "ind-unit-name", "ind-direction"):
                found = re.search(rf'class="{css}">([^<]+)<', page)
                assert found and found.group(1).strip(), (indicator, lang, css)
            assert specs[indicator].method.get(lang)[:40] in page.replace("&#39;", "'").replace("&quot;", '"')


def test_pages_link_to_their_targets_and_the_goal_pages_link_back(site: Path) -> None:
    for goal in load_catalog().goals:
        for target in goal.targets:
            if not target.indicator:
                continue
            for lang in LANGS:
                page = _read(site, lang, f"indicators/{target.indicator}.html")
                assert f"goals/{goal.slug}.html#{target.id}" in page, (target.id, lang)
                goal_page = _read(site, lang, f"goals/{goal.slug}.html")
                assert f"indicators/{target.indicator}.html" in goal_page, (target.id, lang)


def test_download_links_point_to_files_of_the_site(site: Path, with_data: set[str]) -> None:
    for indicator in with_data:
        page = _read(site, "en", f"indicators/{indicator}.html")
        links = set(re.findall(r'href="\.\./\.\./(data/[^"]+)"', page))
        assert {f"data/{indicator}.{ext}" for ext in ("csv", "xlsx", "json", "meta.json")} <= links
        for link in links:
            assert (site / link).is_file(), link


def test_old_topic_addresses_redirect_and_topic_charts_link_to_indicators(site: Path) -> None:
    for lang in LANGS:
        redirect = _read(site, lang, "indicators/agrifood.html")
        assert 'url=../topics/agrifood.html' in redirect
        topic = _read(site, lang, "topics/tdr.html")
        assert f"{lang}/indicators/tdr.html" in topic and "data/tdr.csv" in topic
    assert 'id="ind-main"' in _read(site, "en", "indicators/tdr.html")  # the address now holds the indicator


def test_home_cards_and_country_profiles(site: Path) -> None:
    home = _read(site, "en", "index.html")
    assert home.count('class="card"') >= 4 and "indicators/share_imports.html" in home
    mexico = _read(site, "es", "countries/MEX.html")
    assert "Razón de déficit comercial" in mexico and "indicators/tdr.html?" in mexico
    for lang in LANGS:
        for page in ("sources.html", "methods.html", "api.html", "search.html", "indicators/index.html"):
            assert (site / lang / page).is_file()
