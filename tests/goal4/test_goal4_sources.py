"""The Goal 4 inputs: Census imports by HS chapter (summing to the partner totals), OICA production
(transcribed figures and OICA's workbook layout), and the report's stated figures (the truck-import table)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.fixtures.oica.make_fixture import make_workbook
from usmca_monitor import api
from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.sources.census_trade import read_hs2_imports
from usmca_monitor.sources.oica import read_production_xlsx, read_transcribed_csv
from usmca_monitor.sources.registry import get_adapter
from usmca_monitor.sources.report_stated import read_stated_csv

HS2_CSV = "trade_product/census_us_imports_hs2_selected_partners_monthly_2023_2024.csv"
STATED = "report_stated/north_american_project_2025_stated_figures.csv"


# ---- Census imports by HS chapter ----

def test_hs2_chapters_sum_to_the_partner_totals() -> None:
    """For every partner and year (2023, 2024) the HS2 chapters of census.trade.hs2 sum to the partner's
    general imports in census.trade.partner (both Census International Trade API, GEN_VAL_MO)."""
    chapters: dict[tuple[str, str], float] = {}
    for row in api.query("hs2_imports", period=None):
        if row.period in {"2023", "2024"}:
            key = (str(row.partner), row.period)
            chapters[key] = chapters.get(key, 0.0) + float(row.value or 0.0)
    totals = {(str(r.partner), r.period): float(r.value or 0.0) for r in api.query("imports")
              if r.period in {"2023", "2024"}}
    assert len(chapters) > 400
    for key, value in chapters.items():
        assert value == pytest.approx(totals.get(key, 0.0), rel=1e-9, abs=1.0), key


def test_mexico_2024_chapters_sum_to_the_figure_in_the_source_notes() -> None:
    """shared/data/trade_product/SOURCES.md: the HS2 chapters for Mexico 2024 sum to 505,523.2 million USD,
    the country total of the partner file; chapter 87 is the largest share of U.S. imports from Mexico."""
    rows = api.query("hs2_imports", partner="MEX", period="2024")
    assert sum(float(r.value or 0) for r in rows) / 1e6 == pytest.approx(505_523.2, abs=0.1)
    composition = {r.product: r.value for r in api.query("hs2_share_of_partner_imports", partner="MEX",
                                                         period="2024")}
    assert max(composition, key=lambda k: composition[k] or 0) == "HS:87"
    assert sum(v or 0 for v in composition.values()) == pytest.approx(100.0)


def test_partner_shares_of_a_chapter_sum_to_100() -> None:
    shares = api.query("hs2_share_of_us_imports", product="HS:87", period="2024")
    countries = [r.value or 0 for r in shares if load_codelists().areas[str(r.partner)].is_country]
    assert sum(countries) == pytest.approx(100.0, abs=0.01)
    [wld] = [r for r in shares if r.partner == "WLD"]
    assert wld.value == pytest.approx(100.0) and wld.badge == "computed"


def test_hs2_csv_layout_reads_the_same_as_the_parquet(shared: Path) -> None:
    """The subset CSV (18 codes) and the full Parquet give the same values for the same partner and month."""
    rows = list(read_hs2_imports(shared / HS2_CSV, load_codelists()))
    mex = {(r["product"], r["period"]): r["value"] for r in rows if r["partner"] == "MEX"}
    [full] = [r for r in api.query("hs2_imports", partner="MEX", product="HS:87", period="2024-06")]
    assert mex[("HS:87", "2024-06")] == full.value
    assert get_adapter("census_trade").detect_reader(shared / HS2_CSV) == "hs2_imports"


def test_bad_hs2_files_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "hs2.csv"
    bad.write_text("year,month,hs2,cty_code,cty_name,imports_general_usd\n2024,13,87,2010,MEXICO,5\n")
    with pytest.raises(DataError, match=r"line 2|row 2"):
        list(read_hs2_imports(bad, load_codelists()))
    bad.write_text("year,month,hs2,cty_code,cty_name,imports_general_usd\n2024,1,8,2010,MEXICO,5\n")
    with pytest.raises(DataError, match="two-digit"):
        list(read_hs2_imports(bad, load_codelists()))
    bad.write_text("year,month,hs2,cty_code,cty_name,imports_general_usd\n2024,1,87,9999,NOWHERE,5\n")
    with pytest.raises(DataError, match="9999"):
        list(read_hs2_imports(bad, load_codelists()))
    bad.write_text("year,month,hs2,cty_code,cty_name,imports_general_usd\n2024,1,87,2010,MEXICO,lots\n")
    with pytest.raises(DataError, match="not a number"):
        list(read_hs2_imports(bad, load_codelists()))


# ---- OICA ----

def test_north_america_production_share_and_growth() -> None:
    """OICA 2024 (as transcribed): USA 10,562,188 + MEX 4,202,642 + CAN 1,342,647 = 16,107,477 vehicles,
    the report's "over 16 million" (g4auto-production-16m); world 92,504,338 (ANSA, 2025-04-11) → 17.41%;
    2020 (Statistico, rounded): 8.82 + 3.18 + 1.38 = 13.38 million → +20.4%, the report's "20% growth
    since the COVID-19 pandemic"."""
    [units] = api.query("vehicle_production", geo="USMCA", product="OICA:TOTAL", period="2024")
    assert units.value == 16_107_477 and units.badge == "computed" and units.vintage.startswith("oica@")
    [share] = api.query("vehicle_production_share_world", geo="USMCA", product="OICA:TOTAL", period="2024")
    assert share.value == pytest.approx(100 * 16_107_477 / 92_504_338)
    [growth] = api.query("vehicle_production_growth_2020", geo="USMCA", product="OICA:TOTAL", period="2024")
    assert growth.value == pytest.approx(100 * (16_107_477 / 13_380_000 - 1))
    assert round(growth.value or 0) == 20
    # 2019 has only the United States: no North American total is made from one country
    assert api.query("vehicle_production", geo="USMCA", product="OICA:TOTAL", period="2019") == []


def test_transcribed_csv_reader(shared: Path) -> None:
    rows = read_transcribed_csv(shared / "oica/oica_motor_vehicle_production_transcribed.csv", load_codelists())
    assert len(rows) == 24
    world = [r for r in rows if r["geo"] == "WLD" and r["period"] == "2024"]
    assert world[0]["value"] == 92_504_338 and world[0]["product"] == "OICA:TOTAL"


def test_oica_workbook_layout_from_published_headings(tmp_path: Path) -> None:
    """The reader finds OICA's heading row, the year in the title, skips region subtotals and maps
    'All Countries' to the world (fixture built from OICA's published headings, see fixtures/oica)."""
    rows = read_production_xlsx(make_workbook(tmp_path / "By-country.xlsx"), load_codelists())
    got = {(r["geo"], r["product"]): r["value"] for r in rows}
    assert {r["period"] for r in rows} == {"2024"}
    assert got[("USA", "OICA:TOTAL")] == 10_562_188 and got[("USA", "OICA:CV")] == 9_129_573
    assert got[("MEX", "OICA:TOTAL")] == 4_202_642  # "4,202,642" as text
    assert got[("WLD", "OICA:TOTAL")] == 92_504_338
    assert not any(r["geo"] in {"EUROPE", "AMERICA"} for r in rows)


def test_usmca_import_of_an_oica_workbook(tmp_path: Path) -> None:
    """`usmca import oica FILE.xlsx` makes a new vintage the engine reads."""
    vintage = api.import_file("oica", make_workbook(tmp_path / "By-country-2024.xlsx"))
    assert vintage.source_id == "oica" and vintage.rows == 10
    [units] = api.query("vehicle_production", geo="USMCA", product="OICA:TOTAL", period="2024")
    assert units.value == 16_107_477 and units.vintage == vintage.vintage


def test_bad_oica_workbooks(tmp_path: Path) -> None:
    with pytest.raises(UnknownCodeError, match="Atlantis"):
        read_production_xlsx(make_workbook(tmp_path / "a.xlsx", [("Atlantis", None, None, 5)]), load_codelists())
    with pytest.raises(DataError, match="no year"):
        read_production_xlsx(make_workbook(tmp_path / "b.xlsx", title="PRODUCTION STATISTICS"), load_codelists())
    headless = tmp_path / "c.xlsx"
    headless.write_bytes(b"not a workbook")
    with pytest.raises(DataError, match="not a readable"):
        read_production_xlsx(headless, load_codelists())
    with pytest.raises(UnknownCodeError, match="no live API"):
        api.update("oica")


# ---- the report's stated figures ----

def test_truck_import_growth_reproduces_the_reports_percentages(shared: Path) -> None:
    """YoY growth of the truck-import table reproduces the report's percentages from its values: the
    report's table "U.S. medium- and heavy-duty truck imports from China (Values in USD)" (ANPACT 2025,
    based on Section 232 comments) prints 64.2, 63.8, 172.4, −36.0, 72.7, 4.9 for 2019-2024 (the `note`
    column of the transcription) and +749% over 2018-2024 in the text."""
    printed = {}
    with (shared / STATED).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            match = re.search(r"YoY (-?\d+\.\d)%", row["note"])
            if match and "truck imports from China" in row["indicator"]:
                printed[row["period"]] = float(match.group(1))
    assert sorted(printed) == ["2019", "2020", "2021", "2022", "2023", "2024"]
    computed = {r.period: r for r in api.query("truck_imports_china_yoy", partner="CHN")}
    for year, value in printed.items():
        assert round(float(computed[year].value or 0), 1) == value, year
        assert computed[year].badge == "report"  # computed from report figures: keeps the report badge
    values = {r.period: float(r.value or 0) for r in api.query("truck_imports_china", partner="CHN")}
    assert round(100 * (values["2024"] / values["2018"] - 1)) == 749


def test_truck_production_shares_from_the_reports_units() -> None:
    """The report (ANPACT/OICA 2024): Asia-Oceania 2.58 of 3.64 million (~71%), North America 553,000
    (15.2% derived in SEED-INVENTORY.md); U.S. 325,000 (8.9%)."""
    shares = {r.geo: r.value for r in api.query("truck_production_share_world", geo=None, period="2024")}
    assert round(shares["ASIA_OCEANIA"] or 0) == 71
    assert round(shares["USMCA"] or 0, 1) == 15.2
    assert round(shares["USA"] or 0, 1) == 8.9


def test_stated_reader_normalises_units_and_flows(shared: Path) -> None:
    rows = read_stated_csv(shared / STATED, load_codelists())
    assert all(r["status"] == "report" for r in rows)
    parts = [r for r in rows if r["measure"] == "us_auto_parts_exports_to_mexico"]
    assert parts[0]["value"] == pytest.approx(72.2e9) and parts[0]["flow"] == "export"
    assert parts[0]["geo"] == "USA" and parts[0]["partner"] == "MEX"
    na = {r["geo"]: r["value"] for r in rows if r["measure"] == "heavy_duty_truck_production_share"}
    assert na == {"USA": 58.8, "MEX": 37.2, "CAN": 4.0}
    assert sum(float(str(v)) for v in na.values()) == pytest.approx(100.0)


def test_bad_stated_rows(tmp_path: Path) -> None:
    head = "id,section,indicator,geography,period,value,unit,source_cited_in_report,note\n"
    bad = tmp_path / "s.csv"
    bad.write_text(head + "1,x,Jobs,MEX,2024,1,bushels,,\n")
    with pytest.raises(DataError, match="bushels"):
        read_stated_csv(bad, load_codelists())
    bad.write_text(head + "1,x,Jobs,Mexico City,2024,1,jobs,,\n")
    with pytest.raises(UnknownCodeError, match="Mexico City"):
        read_stated_csv(bad, load_codelists())
