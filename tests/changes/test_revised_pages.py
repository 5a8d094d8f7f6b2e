"""Revised markers and feeds on indicator pages (#15): two vintages made from the shared Census file, the
second with Mexico's general imports of March 2024 raised by a known amount (USD 5 billion, about 1% of
the year's imports from Mexico, beyond the ``imports`` indicator's 0.1% revision threshold). The page of
``imports`` (headline: U.S. imports from Mexico, annual) marks 2024 revised and shows the earlier value
in the table itself, in each language; it links its own Atom feed, absolute under ``--base-url``."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.changes.test_census_revisions import ATOM, NS, shared_file
from usmca_monitor import api
from usmca_monitor.indicators.session import Session
from usmca_monitor.publish import feeds
from usmca_monitor.publish.build import SECTIONS
from usmca_monitor.publish.context import SiteContext
from usmca_monitor.publish.sections import indicators, whatsnew

RAISED = 5_000_000_000  # USD added to Mexico's general imports of March 2024
BASE_URL = "https://example.org/usmca/"


def revised_copy(source: Path, target: Path) -> tuple[float, float]:
    """Write ``source`` with RAISED added to Mexico (CTY_CODE 2010) general imports of 2024-03; return
    the sum of Mexico's 2024 general imports in the file, before and after."""
    total = 0.0
    with source.open(newline="", encoding="utf-8") as fh, target.open("w", newline="", encoding="utf-8") as out:
        reader = csv.DictReader(fh)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
        writer.writeheader()
        for row in reader:
            if row["cty_code"] == "2010" and int(row["year"]) == 2024:
                total += float(row["imports_general_usd"])
                if int(row["month"]) == 3:
                    row["imports_general_usd"] = str(int(float(row["imports_general_usd"])) + RAISED)
            writer.writerow(row)
    return total, total + RAISED


@pytest.fixture(scope="module")
def pages(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The ``imports`` page in en, es and fr and the feeds, from a store holding both vintages."""
    home = tmp_path_factory.mktemp("revised-home")
    folder = tmp_path_factory.mktemp("revised-files")
    original = folder / "census_original.csv"
    original.write_bytes(shared_file(shared).read_bytes())
    before, after = revised_copy(original, folder / "census_revised.csv")
    api.import_file("census_trade", original, home=home)
    second = api.import_file("census_trade", folder / "census_revised.csv", home=home)
    out = tmp_path_factory.mktemp("revised-site")
    with Session(home) as session:
        site = SiteContext(out=out, langs=["en", "es", "fr"], built="2026-01-01", session=session, vintage=None,
                           sections=list(SECTIONS), base_url=BASE_URL)
        cat = indicators.catalogue(site)
        for lang in site.langs:
            indicators._write_page(site, cat, "imports", lang)
            whatsnew.write(site, lang)
    return {"out": out, "before": before, "after": after, "vintage": second.vintage}


def cell(page: str, period: str) -> str:
    found = re.search(rf'<th scope="row" data-period="{period}">.*?</th><td class="num"(.*?)</td>', page, re.S)
    assert found, period
    return found.group(1)


@pytest.mark.shared
def test_the_revised_row_shows_the_earlier_value_in_the_table(pages: dict[str, Any]) -> None:
    words = {"en": "revised from", "es": "revisado, antes", "fr": "révisé, auparavant"}
    for lang, word in words.items():
        page = (pages["out"] / lang / "indicators" / "imports.html").read_text(encoding="utf-8")
        revised = cell(page, "2024")
        value = re.search(r'data-value="([^"]+)"', revised)
        assert value and float(value.group(1)) == pytest.approx(pages["after"])
        earlier = re.search(r'<small class="revised" data-earlier="([^"]+)">([^<]+)</small>', revised)
        assert earlier, revised
        assert float(earlier.group(1)) == pytest.approx(pages["before"])  # the sum taken from the shared file
        assert word in earlier.group(2) and "U.S. Census Bureau" in earlier.group(2)
        assert 'class="revised"' not in cell(page, "2023")  # an unrevised year carries no marker
        assert page.count('class="revised"') == 1


@pytest.mark.shared
def test_the_page_links_its_feed_and_the_feed_is_absolute_and_valid(pages: dict[str, Any]) -> None:
    schema = etree.RelaxNG(etree.parse(str(ATOM)))
    for lang in ("en", "es", "fr"):
        page = (pages["out"] / lang / "indicators" / "imports.html").read_text(encoding="utf-8")
        href = f"../../{lang}/{feeds.indicator_feed('imports')}"
        assert f'<link rel="alternate" type="application/atom+xml" href="{href}"' in page
        assert page.count(f'<a href="{href}"') == 1  # a visible link too
        feed_path = pages["out"] / lang / feeds.indicator_feed("imports")
        document = etree.parse(str(feed_path))
        assert schema.validate(document), schema.error_log
        root = document.getroot()
        links = [link.get("href") for link in root.iter("{http://www.w3.org/2005/Atom}link")]
        assert links and all(link.startswith(BASE_URL + f"{lang}/") for link in links), links
        assert f"{BASE_URL}{lang}/{feeds.indicator_feed('imports')}" in links  # rel=self
        newest = max(root.findall("a:entry", NS), key=lambda e: e.findtext("a:updated", namespaces=NS))
        assert newest.findtext("a:id", namespaces=NS).startswith("tag:")
        assert newest.findtext("a:id", namespaces=NS).endswith(pages["vintage"])
        site_feed = etree.parse(str(pages["out"] / lang / feeds.SITE_FEED))
        assert schema.validate(site_feed), schema.error_log
