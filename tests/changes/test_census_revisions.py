"""Two vintages made from the shared Census file (the raw file the census_trade adapter reads for the
embedded snapshot): the second with a few months revised by known amounts. ``usmca diff`` must list
exactly those observations, with their sizes, and the indicators they move; the change record the
second import writes feeds an Atom feed that validates against RFC 4287's schema and names the change."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.catalog import source_specs
from usmca_monitor.cli import app

ATOM = Path(__file__).resolve().parents[1] / "fixtures" / "atom" / "rfc4287.rng"
NS = {"a": "http://www.w3.org/2005/Atom"}
# (Census CTY_CODE, ISO3, year, month, column, flow, amount in USD added to the published value)
REVISIONS = [("2010", "MEX", 2024, 3, "imports_general_usd", "import", 250_000_000),
             ("1220", "CAN", 2023, 7, "exports_total_usd", "export", -40_000_000),
             ("5700", "CHN", 2024, 11, "imports_general_usd", "import", 1_000_000)]
# Every indicator built on census.trade.partner (value), read from the catalog YAML by hand: the five
# that read the series, and those built on them.
MOVED = {"exports", "imports", "balance", "total_trade", "tdr", "exports_yoy", "imports_yoy", "share_exports",
         "share_imports", "share_total_trade", "rank_total_trade", "total_trade_yoy", "total_trade_cagr5"}


def shared_file(shared: Path) -> Path:
    """The raw partner CSV the adapter reads for the embedded snapshot."""
    (raw,) = [f for f in source_specs()["census_trade"].files if f.reader == "partner_csv"]
    return shared / raw.path


def revised_copy(source: Path, target: Path) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Write ``source`` with the REVISIONS applied; (partner, flow, period) → (published, revised)."""
    expected = {}
    with source.open(newline="", encoding="utf-8") as fh, target.open("w", newline="", encoding="utf-8") as out:
        reader = csv.DictReader(fh)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
        writer.writeheader()
        for row in reader:
            for code, iso, year, month, column, flow, amount in REVISIONS:
                if row["cty_code"] == code and int(row["year"]) == year and int(row["month"]) == month:
                    published = float(row[column])
                    row[column] = str(int(published) + amount)
                    expected[(iso, flow, f"{year}-{month:02d}")] = (published, published + amount)
            writer.writerow(row)
    return expected


@pytest.fixture(scope="module")
def two_vintages(shared, tmp_path_factory):
    home = tmp_path_factory.mktemp("two-vintages-home")
    folder = tmp_path_factory.mktemp("two-vintages")
    original = folder / "census_original.csv"
    original.write_bytes(shared_file(shared).read_bytes())
    revised = folder / "census_revised.csv"
    expected = revised_copy(original, revised)
    assert len(expected) == len(REVISIONS)  # each revised month exists in the shared file
    first = api.import_file("census_trade", original, home=home)
    second = api.import_file("census_trade", revised, home=home)
    return home, first, second, expected


@pytest.mark.shared
def test_diff_lists_exactly_the_revised_observations_and_what_they_move(two_vintages, monkeypatch):
    home, first, second, expected = two_vintages
    monkeypatch.setenv("USMCA_HOME", str(home))
    result = CliRunner().invoke(app, ["diff", "census_trade", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["previous"], record["vintage"]) == (first.vintage, second.vintage)
    assert record["counts"]["revised"] == len(REVISIONS)
    assert record["counts"]["added"] == record["counts"]["removed"] == 0
    found = {(o["partner"], o["flow"], o["period"]): o for o in record["observations"]}
    assert set(found) == set(expected)
    for key, (published, revised) in expected.items():
        row = found[key]
        assert (row["series"], row["geo"], row["freq"]) == ("census.trade.partner", "USA", "M")
        assert row["change"] == "revised"
        assert (row["old_value"], row["new_value"]) == (published, revised)
        assert row["abs_change"] == pytest.approx(revised - published)
        assert row["rel_change"] == pytest.approx((revised - published) / published)
    assert set(record["indicators"]) == MOVED
    assert "indicators/tdr.html" in record["pages"] and "topics/tdr.html" in record["pages"]
    # The same pair, named explicitly, in CSV: one line per revised observation.
    result = CliRunner().invoke(app, ["diff", "census_trade", "--from", first.vintage, "--to", second.vintage,
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert {(r["partner"], r["flow"], r["period"]) for r in rows} == set(expected)


@pytest.mark.shared
def test_the_same_data_imported_twice_changes_nothing(two_vintages, monkeypatch):
    """The first import holds the shared file as is, which the embedded snapshot was made from."""
    home, first, _, _ = two_vintages
    record = api.diff("census_trade", new=first.vintage, home=home)
    assert record["counts"]["revised"] == record["counts"]["added"] == 0
    assert record["carried"] == ["census.trade.hs2"]  # the import has no HS2 rows: read from the embedded
    assert record["counts"]["removed"] == 0 and record["indicators"] == []


@pytest.mark.shared
def test_the_change_record_feeds_a_valid_atom_feed_naming_the_change(two_vintages, tmp_path):
    home, _, second, _ = two_vintages
    from usmca_monitor.indicators.session import Session
    from usmca_monitor.publish.build import SECTIONS
    from usmca_monitor.publish.context import SiteContext
    from usmca_monitor.publish.sections import whatsnew

    recorded = {r["vintage"]: r for r in Session(home).change_records()}
    assert second.vintage in recorded  # written by the import itself, after the manifest
    assert any(v.startswith("census_trade@embedded") for v in recorded)  # the embedded snapshot, seen once
    schema = etree.RelaxNG(etree.parse(str(ATOM)))
    with Session(home) as session:
        site = SiteContext(out=tmp_path, langs=["en", "es"], built=dt.date.today().isoformat(), session=session,
                           vintage=None, sections=list(SECTIONS))
        for lang in ("en", "es"):
            whatsnew.write(site, lang)
    for lang, month in (("en", "March 2024"), ("es", "marzo 2024")):
        for path in (tmp_path / lang / "feeds" / "all.atom", tmp_path / lang / "feeds" / "indicators" / "tdr.atom"):
            document = etree.parse(str(path))
            assert schema.validate(document), (path, schema.error_log)
            feed = document.getroot()
            # RFC 4287's two Schematron rules, which RELAX NG does not check:
            assert feed.find("a:author", NS) is not None
            entries = feed.findall("a:entry", NS)
            assert all(e.find("a:content", NS) is not None or e.find("a:link", NS) is not None for e in entries)
            newest = max(entries, key=lambda e: e.findtext("a:updated", namespaces=NS))
            assert newest.findtext("a:id", namespaces=NS).endswith(second.vintage)
            content = newest.findtext("a:content", namespaces=NS)
            assert "3" in newest.findtext("a:title", namespaces=NS)  # "3 observations revised"
            assert month in content  # the largest revision (Mexico, March 2024) is named
            assert "indicators/tdr.html" in content
    page = (tmp_path / "es" / "whats-new.html").read_text(encoding="utf-8")
    assert second.vintage in page
    assert second.vintage not in re.sub(r"(?s)<details.*?</details>", "", page)  # ids only in technical details
