"""The data the site offers: every indicator's rows as CSV, XLSX, JSON and metadata, equal to
`usmca query ID --all`; the TDR of 2024 against sums of the raw Census rows; the static API tree; the
data package accepted by `frictionless validate`; the facts with their verdicts as CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from usmca_monitor.cli import app
from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.publish.i18n import LANGS

PARTNER_FILE = "trade_us_partner/census_us_goods_trade_by_country_monthly_2013_2024.csv"


@pytest.fixture(scope="module")
def data(default_site: Path) -> Path:
    """The data folder of the shared default build."""
    return default_site / "data"


def _rows(text: str) -> list[tuple[str, ...]]:
    return sorted(tuple(row) for row in csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("indicator", ["tdr", "spi", "gdp_growth", "vehicle_production", "atp_balance"])
def test_csv_holds_exactly_the_rows_of_query_all(data: Path, indicator: str) -> None:
    """Every geo, partner, product and frequency: the download equals `usmca query ID --all --format csv`."""
    result = CliRunner().invoke(app, ["query", indicator, "--all", "--format", "csv"])
    assert result.exit_code == 0, result.output
    download = (data / f"{indicator}.csv").read_text(encoding="utf-8")
    assert _rows(result.stdout) == _rows(download)
    header, *rows = list(csv.reader(io.StringIO(download)))
    assert header == ["indicator", "geo", "partner", "product", "period", "freq", "value", "unit", "source",
                      "vintage", "badge"]
    if indicator == "tdr":
        assert {r[5] for r in rows} == {"A", "H", "Q", "M", "YTD"} and len({r[2] for r in rows}) > 200


def test_tdr_2024_equals_sums_of_the_raw_census_rows(shared: Path, data: Path) -> None:
    """TDR 2024 of every partner = (imports − exports) / exports, both summed by hand over the twelve
    monthly rows of the shipped Census file (ALL_VAL_MO, GEN_VAL_MO; Census International Trade API)."""
    codes = load_codelists()
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    with (shared / PARTNER_FILE).open(newline="") as fh:
        for row in csv.DictReader(fh):
            partner = codes.census.get(row["cty_code"])
            if partner is not None and row["year"] == "2024":
                sums[partner][0] += float(row["exports_total_usd"] or 0)
                sums[partner][1] += float(row["imports_general_usd"] or 0)
    with (data / "tdr.csv").open(newline="", encoding="utf-8") as fh:
        site = {r["partner"]: r for r in csv.DictReader(fh) if r["period"] == "2024" and r["freq"] == "A"}
    checked = 0
    for partner, (x, m) in sums.items():
        if x:
            assert float(site[partner]["value"]) == pytest.approx((m - x) / x, rel=1e-9), partner
            checked += 1
    assert checked > 200 and site["MEX"]["badge"] == "computed"


def test_xlsx_and_json_hold_the_same_rows(data: Path) -> None:
    with (data / "tdr.csv").open(newline="", encoding="utf-8") as fh:
        expected = [r for r in csv.DictReader(fh)]
    book = load_workbook(data / "tdr.xlsx", read_only=True)
    assert book.sheetnames == ["data", "about"]
    header, *rows = list(book["data"].iter_rows(values_only=True))
    assert list(header) == list(expected[0]) and len(rows) == len(expected)
    for got, want in zip(rows[::997], expected[::997], strict=True):
        assert got[1:6] == tuple(want[k] or None for k in ("geo", "partner", "product", "period", "freq"))
        assert got[6] == (pytest.approx(float(want["value"]), rel=1e-15) if want["value"] else None)
    about = dict(book["about"].iter_rows(values_only=True))
    assert "Census" in str(about["licence"]) and "census_trade@" in str(about["citation"])
    document = json.loads((data / "tdr.json").read_text(encoding="utf-8"))
    assert len(document["rows"]) == len(expected) and document["fields"][:6] == [
        "geo", "partner", "product", "period", "freq", "value"]


def test_metadata_cites_the_vintage_and_its_date_in_each_language(data: Path) -> None:
    meta = json.loads((data / "tdr.meta.json").read_text(encoding="utf-8"))
    [source] = meta["sources"]
    vintage = source["vintages"][0]
    assert source["licence"] and source["origins"][0]["sha256"] and meta["unit"] == "ratio"
    for lang in LANGS:
        assert vintage["id"] in meta["citation"][lang] and vintage["created"] in meta["citation"][lang]
    assert "Ratio de déficit commercial" in meta["citation"]["fr"] and meta["definition"]["es"]


def test_static_api_lists_every_indicator_with_files_that_exist(data: Path) -> None:
    index = json.loads((data / "v1" / "index.json").read_text(encoding="utf-8"))
    assert {e["id"] for e in index["indicators"]} == set(indicator_specs())
    root = data.parent
    for entry in index["indicators"]:
        for path in [*entry["downloads"].values(), *entry["pages"].values()]:
            assert (root / path).is_file(), path
    tdr = json.loads((data / "v1" / "indicators" / "tdr.json").read_text(encoding="utf-8"))
    assert tdr["headline"] == {"geo": "USA", "partner": "MEX", "product": None, "freq": "A"}
    assert {v["period"] for v in tdr["values"]} >= {"2013", "2024"} and "CHN" in tdr["dimensions"]["partner"]
    assert tdr["latest"]["period"] == "2024" and tdr["latest"]["change_kind"] == "year"


def test_frictionless_validate_accepts_the_data_package(data: Path) -> None:
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        schema = resource["schema"]
        assert schema["primaryKey"] and all(f.get("type") for f in schema["fields"]), resource["name"]
    command = Path(sys.executable).parent / "frictionless"
    done = subprocess.run([str(command), "validate", "datapackage.json"], cwd=data, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-3000:]


def test_facts_csv_holds_every_fact_with_its_verdict(data: Path, default_site: Path) -> None:
    with (data / "facts.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    from usmca_monitor.facts.check import fact_specs

    assert {r["id"] for r in rows} == set(fact_specs())
    assert {r["status"] for r in rows} <= {"agrees", "diverges", "awaiting_data", "narrative"}
    assert "data/facts.csv" in (default_site / "en" / "facts" / "index.html").read_text(encoding="utf-8")


def test_the_same_table_gives_the_same_workbook_bytes_at_another_time(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild of unchanged data must leave downloads byte-identical (the crash test compares sites)."""
    import time

    import pyarrow as pa

    from usmca_monitor.writers import write_xlsx

    table = pa.table({"geo": ["MEX", "CAN"], "value": [0.513, 0.18]})
    write_xlsx(table, tmp_path / "a.xlsx", about=[("source", "test")])
    later = time.time() + 86_400 * 400
    monkeypatch.setattr(time, "time", lambda: later)
    write_xlsx(table, tmp_path / "b.xlsx", about=[("source", "test")])
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert load_workbook(tmp_path / "b.xlsx")["data"]["A2"].value == "MEX"
