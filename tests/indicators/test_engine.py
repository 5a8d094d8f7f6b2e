"""Indicators from the engine against values computed by hand from the shipped Census file, and
invariants (shares, ranks, growth) as Hypothesis properties."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usmca_monitor import api
from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.engine import Engine, SeriesInput
from usmca_monitor.indicators.periods import parse_period
from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.sources.base import to_observations

PARTNER_FILE = "trade_us_partner/census_us_goods_trade_by_country_monthly_2013_2024.csv"
CODES = {"MEX": "2010", "CAN": "1220", "CHN": "5700", "DEU": "4280", "JPN": "5880"}


def _sums(shared: Path, code: str, months: range, year: int) -> tuple[float, float]:
    x = m = 0.0
    with (shared / PARTNER_FILE).open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["cty_code"] == code and int(row["year"]) == year and int(row["month"]) in months:
                x += float(row["exports_total_usd"] or 0)
                m += float(row["imports_general_usd"] or 0)
    return x, m


@pytest.mark.parametrize("partner", sorted(CODES))
@pytest.mark.parametrize(("period", "months"), [("2024", range(1, 13)), ("2024-H1", range(1, 7)),
                                                ("2023-YTD06", range(1, 7)), ("2024-Q3", range(7, 10))])
def test_tdr_equals_the_shipped_census_file(shared: Path, partner: str, period: str, months: range) -> None:
    """TDR from the engine equals (M − X) / X summed by hand from the Census API rows in the shared file."""
    x, m = _sums(shared, CODES[partner], months, int(period[:4]))
    [row] = api.query("tdr", partner=partner, period=period)
    assert row.value == pytest.approx((m - x) / x, rel=1e-12)
    assert row.badge == "computed" and row.unit == "ratio" and row.vintage.startswith("census_trade@")
    [exports] = api.query("exports", partner=partner, period=period)
    assert exports.value == pytest.approx(x, rel=1e-12)


def test_report_definition_of_tdr_reads_in_the_2024_values() -> None:
    """The report: lower TDR for Mexico and Canada (co-production), far higher for China.
    2024 values from the embedded Census data: MEX 0.51, CAN 0.18, CHN 2.06 (see LIVE-SOURCES.md
    "2024 check", computed from the same API rows)."""
    tdr = {p: float(api.query("tdr", partner=p, period="2024")[0].value or "nan") for p in ("MEX", "CAN", "CHN")}
    assert round(tdr["MEX"], 2) == 0.51
    assert round(tdr["CAN"], 2) == 0.18
    assert round(tdr["CHN"], 2) == 2.06


def test_top_five_partners_2024_by_total_trade() -> None:
    """Census, 2024 annual: Mexico, Canada, China, Germany, Japan are the five largest U.S. partners by
    total goods trade (Census Bureau, "Top Trading Partners – December 2024", released Feb 2025)."""
    ranks = {r.partner: r.value for r in api.query("rank_total_trade", period="2024")}
    top = sorted((v, p) for p, v in ranks.items() if v is not None and v <= 5)
    assert [p for _, p in top] == ["MEX", "CAN", "CHN", "DEU", "JPN"]
    assert "WLD" not in ranks and "USMCA" not in ranks  # groups are not ranked


def test_shares_and_groups_are_consistent() -> None:
    shares = {str(r.partner): float(r.value or 0.0) for r in api.query("share_total_trade", period="2024")}
    assert shares["WLD"] == pytest.approx(100.0)
    assert shares["USMCA"] == pytest.approx(shares["MEX"] + shares["CAN"], rel=1e-9)
    countries = [v for p, v in shares.items() if load_codelists().areas[p].is_country]
    assert sum(countries) == pytest.approx(100.0, abs=0.05)


def test_incomplete_periods_are_not_reported() -> None:
    """The embedded data ends in 2024-12: no 2025 year, and 2013 has all of its months."""
    assert api.query("tdr", partner="MEX", period="2025") == []
    assert len(api.query("tdr", partner="MEX", period="2013")) == 1


def test_unknown_period_is_a_clear_error() -> None:
    with pytest.raises(UnknownCodeError, match="2024-S1"):
        parse_period("2024-S1")


# ---- properties on synthetic monthly data (not published figures: invariants of the formulas) ----

money = st.floats(min_value=0.0, max_value=1e11, allow_nan=False)


def _engine(values: dict[tuple[str, str, str], float]) -> Engine:
    rows: list[dict[str, object]] = [
        {"series": "census.trade.partner", "geo": "USA", "partner": partner, "product": None, "flow": flow,
             "measure": "value", "period": period, "freq": "M", "value": value, "unit": "USD"}
            for (partner, flow, period), value in values.items()]
    table = ibis.memtable(to_observations(rows, "census_trade", "t@1", "official"))
    return Engine({"census.trade.partner": SeriesInput(table, "t@1", "census_trade")}, load_codelists())


@settings(deadline=None, max_examples=30)
@given(st.dictionaries(st.sampled_from(["MEX", "CAN", "CHN"]),
                       st.tuples(st.lists(money, min_size=12, max_size=12), st.lists(money, min_size=12, max_size=12)),
                       min_size=1))
def test_shares_lie_in_0_100_and_sum_to_100(flows: dict[str, tuple[list[float], list[float]]]) -> None:
    values: dict[tuple[str, str, str], float] = defaultdict(float)
    for partner, (exports, imports) in flows.items():
        for month in range(12):
            period = f"2024-{month + 1:02d}"
            for flow, series in (("export", exports), ("import", imports)):
                values[(partner, flow, period)] += series[month]
                values[("WLD", flow, period)] += series[month]
    out = _engine(values).compute("share_total_trade", "A").to_arrow()
    shares = {p: v for p, v in zip(out["partner"].to_pylist(), out["value"].to_pylist(), strict=True)}
    if shares.get("WLD") is None:
        assert all(v is None for v in shares.values())  # no trade at all: undefined, not 0
        return
    assert all(0.0 <= v <= 100.0 + 1e-9 for v in shares.values() if v is not None)
    assert sum(v for p, v in shares.items() if p != "WLD" and v is not None) == pytest.approx(100.0)


@settings(deadline=None, max_examples=30)
@given(st.lists(st.floats(min_value=1.0, max_value=1e10), min_size=24, max_size=24))
def test_yoy_and_tdr_match_their_definitions(monthly: list[float]) -> None:
    values = {}
    for i, v in enumerate(monthly):
        period = f"{2023 + i // 12}-{i % 12 + 1:02d}"
        values[("MEX", "export", period)] = v
        values[("MEX", "import", period)] = 2 * v
    eng = _engine(values)
    yoy = eng.compute("exports_yoy", "H").to_arrow().to_pylist()
    h1 = {2023: sum(monthly[0:6]), 2024: sum(monthly[12:18])}
    [first] = [r for r in yoy if r["period"] == "2024-H1"]
    assert first["value"] == pytest.approx(100 * (h1[2024] / h1[2023] - 1), rel=1e-9)
    tdr = eng.compute("tdr", "A").to_arrow()["value"].to_pylist()
    assert tdr == pytest.approx([1.0, 1.0])  # imports are twice exports: $2 for every $1


def test_order_of_rows_does_not_change_results() -> None:
    values = {("MEX", "export", f"2024-{m:02d}"): float(m) for m in range(1, 13)}
    values.update({("MEX", "import", f"2024-{m:02d}"): float(3 * m) for m in range(1, 13)})
    forward = _engine(values).compute("tdr", "A").to_arrow()
    backward = _engine(dict(reversed(list(values.items())))).compute("tdr", "A").to_arrow()
    assert forward.equals(backward)
    assert forward["value"].to_pylist() == [2.0]


def test_arrow_schema_of_results() -> None:
    out = _engine({("MEX", "export", "2024-01"): 1.0}).compute("exports", "M").to_arrow()
    assert out.schema.field("value").type == pa.float64()
    assert out.column_names == ["geo", "partner", "product", "period", "freq", "value"]
