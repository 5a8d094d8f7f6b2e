"""Goal 3, agri-food: the ERS food imports reader, the CPI-U deflator, the constant-2024-dollar series,
the fresh fruit and vegetable import shares of Mexico and Canada against the report, the availability
formula and the tidy-CSV import."""

from __future__ import annotations

import math
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from usmca_monitor import api
from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.formulas.agrifood import availability_share, constant_dollars
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.publish.sections.agrifood import compare_to_report
from usmca_monitor.sources.usda_ers import read_food_imports_csv, read_yearbook_csv
from usmca_monitor.sources.usda_ers_cpi import read_cpi_csv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "usda"
FRUIT = "ERS:fruits/fresh_or_chilled_fruit"
VEG = "ERS:vegetables/fresh_vegetables"
BEER = "ERS:beverages/malt_beer"


def test_reader_drops_means_unit_values_and_the_rest_of_world() -> None:
    rows = read_food_imports_csv(FIXTURES / "food_imports_sample.csv", load_codelists())
    keys = {(r["partner"], r["measure"], r["period"]) for r in rows}
    assert keys == {("MEX", "value", "2023"), ("CAN", "value", "2023"), ("WLD", "value", "2023"),
                    ("WLD", "volume_t", "2023"), ("CIV", "value", "2023")}
    mexico = next(r for r in rows if r["partner"] == "MEX")
    assert mexico["value"] == pytest.approx(9618.8e6) and mexico["unit"] == "USD" and mexico["product"] == FRUIT


def test_reader_names_a_missing_column_and_an_unknown_country(tmp_path: Path) -> None:
    bad = tmp_path / "f.csv"
    bad.write_text("Commodity,Country,UOM\nx,y,z\n", encoding="cp1252")
    with pytest.raises(DataError, match="YearNum"):
        read_food_imports_csv(bad, load_codelists())
    bad.write_text("Commodity,Country,UOM,Category,SubCategory,RowNumber,YearNum,FoodValue\n"
                   "Wine,ATLANTIS,Million $,Beverages,Foods,1,2023,1\n", encoding="cp1252")
    with pytest.raises(UnknownCodeError, match="ATLANTIS"):
        read_food_imports_csv(bad, load_codelists())


def test_cpi_annual_average_is_the_mean_of_twelve_months(shared: Path) -> None:
    """BLS, CPI-U U.S. city average (CUUR0000SA0), annual average 2024 = 313.689 and 2023 = 304.702 as
    published by BLS (rounded to 3 decimals); the mean of the shipped monthly indexes must round to them."""
    rows = read_cpi_csv(shared / "prices" / "cpi_u_us_monthly_bls_datahub.csv", load_codelists())
    annual = {r["period"]: r["value"] for r in rows if r["measure"] == "annual_average"}
    assert round(float(annual["2024"]), 3) == 313.689  # type: ignore[arg-type]
    assert round(float(annual["2023"]), 3) == 304.702  # type: ignore[arg-type]
    assert "2026" not in annual  # an incomplete year has no annual average


def _table(rows: list[dict[str, object]]) -> ibis.Table:
    return ibis.memtable(pa.Table.from_pylist(rows))


def test_constant_dollars_formula_rebases_to_the_base_year() -> None:
    base = _table([{"geo": "USA", "partner": "MEX", "product": "P", "period": y, "freq": "A", "value": v}
                   for y, v in (("2023", 100.0), ("2024", 0.1 + 0.2))])
    deflator = _table([{"period": "2023", "freq": "A", "value": 300.0},
                       {"period": "2024", "freq": "A", "value": 313.3}])
    out = {r["period"]: r["value"] for r in constant_dollars(base, deflator).to_pyarrow().to_pylist()}
    assert out["2024"] == 0.1 + 0.2  # exactly, even for a value with no exact binary form
    assert out["2023"] == pytest.approx(100.0 * 313.3 / 300.0)


def test_availability_share_formula() -> None:
    def one(value: float) -> ibis.Table:
        return _table([{"geo": "USA", "partner": None, "product": "ERS:tomatoes", "period": "2023", "freq": "A",
                        "value": value}])
    out = availability_share(one(100.0), one(20.0), one(300.0)).to_pyarrow().to_pylist()
    assert out[0]["value"] == pytest.approx(100 * 300 / 380)


def test_yearbook_reader_built_from_the_documentation() -> None:
    rows = read_yearbook_csv(FIXTURES / "vegetables_pulses_sample.csv", load_codelists())
    assert {r["measure"] for r in rows} == {"production", "imports", "exports"}
    assert next(r for r in rows if r["measure"] == "imports")["value"] == pytest.approx(300e6 * 0.45359237 / 1000)


def _value(indicator: str, partner: str, product: str, period: str) -> api.QueryRow:
    rows = api.query(indicator, partner=partner, product=product, period=period)
    assert len(rows) == 1, (indicator, partner, product, period)
    return rows[0]


@pytest.mark.parametrize(("product", "partner", "report", "computed", "agrees"), [
    (FRUIT, "MEX", 51, 50.67, True), (FRUIT, "CAN", 2, 1.50, False), (VEG, "MEX", 69, 68.52, True),
    (VEG, "CAN", 20, 19.98, True)])
def test_fresh_import_shares_against_the_report(shared: Path, product: str, partner: str, report: int,
                                                computed: float, agrees: bool) -> None:
    """The report (Goal 3, agri-food, citing ERS-USDA): "In 2023, Mexico and Canada supplied: 51% and 2%,
    respectively, of U.S. fresh fruit imports, and 69% and 20%, respectively, of fresh vegetable imports, in
    terms of value". Computed from ERS U.S. Food Imports (release 2025-04-11, shipped): fruit MEX 50.67 %,
    CAN 1.50 % (1.495, which rounds to 1, not the report's 2: a divergence shown on the page); vegetables
    MEX 68.52 %, CAN 19.98 %."""
    row = _value("ag_food_import_share", partner, product, "2023")
    assert row.badge == "computed" and row.vintage.startswith("usda_ers@")
    assert row.value is not None and round(row.value, 2) == computed
    assert (compare_to_report(row.value, report) == "agrees") is agrees


def test_constant_2024_dollars_equal_nominal_in_2024(shared: Path) -> None:
    """Constant-dollar series rebased to 2024 (CPI-U annual average) equal the nominal ERS values in 2024
    exactly (ERS U.S. Food Imports, malt beer from Mexico, 2024: $6,264.8 million)."""
    nominal = _value("ag_food_imports", "MEX", BEER, "2024")
    real = _value("ag_food_imports_real", "MEX", BEER, "2024")
    assert nominal.value == 6264.8e6 and real.value == nominal.value
    assert nominal.badge == "official" and real.badge == "computed"
    before = _value("ag_food_imports_real", "MEX", BEER, "2022")
    assert before.value is not None and not math.isclose(before.value, 5383.9e6)  # deflated


def test_beer_imports_2022_diverge_from_the_report(shared: Path) -> None:
    """The report (citing USDA): "In 2022, the US imported $6.88 billion in beer, mainly from Mexico
    ($5.41 billion)". ERS U.S. Food Imports, malt beer 2022: world $6,706.0 M, Mexico $5,383.9 M — close,
    not equal (the report probably used FAS GATS, HS 2203, at another vintage): shown as a divergence."""
    world = _value("ag_food_imports", "WLD", BEER, "2022").value
    mexico = _value("ag_food_imports", "MEX", BEER, "2022").value
    assert world is not None and mexico is not None
    assert world == pytest.approx(6706.0e6) and mexico == pytest.approx(5383.9e6)
    assert compare_to_report(world / 1e9, 6.88, 2) == "diverges"
    assert compare_to_report(mexico / 1e9, 5.41, 2) == "diverges"


def test_compare_to_report_rounds_only_to_the_reports_precision() -> None:
    assert compare_to_report(50.67, 51) == "agrees" and compare_to_report(1.495, 2) == "diverges"
    assert compare_to_report(None, 2) == "missing" and compare_to_report(19.98, 20) == "agrees"


def test_import_tidy_csv_into_any_source(tmp_path: Path) -> None:
    good = tmp_path / "supply.csv"
    good.write_text("series,geo,partner,product,flow,measure,period,freq,value,unit\n"
                    "usda.ers.supply,USA,,ERS:tomatoes,,production,2023,A,1000,t\n"
                    "usda.ers.supply,USA,,ERS:tomatoes,,exports,2023,A,100,t\n"
                    "usda.ers.supply,USA,,ERS:tomatoes,,imports,2023,A,900,t\n", encoding="utf-8")
    vintage = api.import_file("usda_ers", good)
    assert vintage.rows == 3 and vintage.vintage.startswith("usda_ers@import-")
    rows = api.query("import_share_of_availability", product="ERS:tomatoes", period="2023")
    assert rows[0].value == pytest.approx(50.0) and rows[0].badge == "computed"
    bad = tmp_path / "bad.csv"
    text = good.read_text(encoding="utf-8")
    bad.write_text(text.replace("usda.ers.supply", "census.trade.partner"), encoding="utf-8")
    with pytest.raises(DataError, match=r"census\.trade\.partner"):
        api.import_file("usda_ers", bad)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(good.read_text(encoding="utf-8").replace(",2023,A,", ",2023-05,A,"), encoding="utf-8")
    with pytest.raises(DataError, match="does not match freq A"):
        api.import_file("usda_ers", wrong)
