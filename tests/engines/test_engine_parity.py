"""The same Ibis formulas on DuckDB and on Spark give the same results: trade, share, growth and rank
indicators over one sample holding half-years, year-to-date periods, nulls, rank ties and incomplete
periods (relative difference ≤ 1e-9, same keys, same nulls); the embedded Census data too. The
sample's expected shapes are checked as well (a tie is ranked as a tie, an incomplete year is absent),
so that an engine that dropped rows alike on both sides would still fail."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from usmca_monitor.cli import app
from usmca_monitor.indicators.engine import OUTPUT_KEYS
from usmca_monitor.indicators.session import Session
from usmca_monitor.sources.base import to_observations
from usmca_monitor.store import Vintage, Warehouse
from usmca_monitor.store.reader import DuckReader

pytestmark = pytest.mark.spark

TOLERANCE = 1e-9
SERIES = "census.trade.partner"
PARTNERS = ("MEX", "CAN", "CHN", "DEU", "JPN", "VNM")
DROPPED_MONTH = "2021-05"  # no partner reports it: 2021, 2021-H1 and 2021-Q2 are incomplete
CASES = [(indicator, freq) for indicator in ("tdr", "total_trade", "share_imports", "total_trade_yoy",
                                             "rank_total_trade") for freq in ("A", "H", "YTD")]
CASES += [("tdr", "Q"), ("tdr", "M"), ("imports_yoy", "Q"), ("share_total_trade", "H")]


def _months() -> Iterator[str]:
    for year in (2021, 2022, 2023, 2024):
        for month in range(1, 13 if year < 2024 else 7):  # 2024 ends in June: 2024 itself is incomplete
            period = f"{year}-{month:02d}"
            if period != DROPPED_MONTH:
                yield period


def sample_rows() -> list[dict[str, object]]:
    """Monthly exports and imports by partner plus the world total (WLD, the sum of the partners):
    DEU and JPN trade exactly alike (rank ties), VNM's exports are null in odd months, CAN exports
    nothing in 2023-H2 (a TDR with no exports is null), CUB trades in one month only."""
    rnd = random.Random(14)
    rows: list[dict[str, object]] = []
    for period in _months():
        world = {"export": 0.0, "import": 0.0}
        for partner in PARTNERS:
            for flow in ("export", "import"):
                value: float | None = round(rnd.uniform(1e6, 5e9), 2)
                if partner == "JPN":
                    value = next(float(str(r["value"])) for r in rows if r["partner"] == "DEU"
                                 and r["period"] == period and r["flow"] == flow)
                if partner == "VNM" and flow == "export" and int(period[5:]) % 2:
                    value = None
                if partner == "CAN" and flow == "export" and period.startswith("2023") and int(period[5:]) > 6:
                    value = 0.0
                rows.append(_row(partner, flow, period, value))
                world[flow] += value or 0.0
        if period == "2023-03":
            rows.append(_row("CUB", "import", period, 1234.5))
            world["import"] += 1234.5
        rows += [_row("WLD", flow, period, total) for flow, total in world.items()]
    return rows


def _row(partner: str, flow: str, period: str, value: float | None) -> dict[str, object]:
    return {"series": SERIES, "geo": "USA", "partner": partner, "product": None, "flow": flow,
            "measure": "value", "period": period, "freq": "M", "value": value, "unit": "USD"}


@pytest.fixture(scope="module")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("parity-home")
    table = to_observations(sample_rows(), "census_trade", "census_trade@parity", "official")
    with Warehouse(home).writer() as writer:
        writer.add_vintage(Vintage("census_trade@parity", "census_trade", "2099-01-01", "import", 0), table, [])
    return home


@pytest.fixture(scope="module")
def sessions(sample_home: Path, spark: Any) -> Iterator[tuple[Session, Session]]:
    from usmca_monitor.store.spark import SparkReader

    duck = Session(sample_home, reader=DuckReader())
    sparked = Session(sample_home, reader=SparkReader(spark))
    yield duck, sparked
    duck.close()
    sparked.close()


def assert_same(left: pa.Table, right: pa.Table, what: str) -> None:
    """Same keys in the same order, same nulls, values equal to 1e-9 relative."""
    def ordered(table: pa.Table) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = table.to_pylist()
        return sorted(rows, key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in OUTPUT_KEYS))

    a, b = ordered(left), ordered(right)
    assert [tuple(r[k] for k in OUTPUT_KEYS) for r in a] == [tuple(r[k] for k in OUTPUT_KEYS) for r in b], what
    for x, y in zip(a, b, strict=True):
        if x["value"] is None or y["value"] is None:
            assert x["value"] is None and y["value"] is None, f"{what}: {x} vs {y}"
        else:
            assert math.isclose(x["value"], y["value"], rel_tol=TOLERANCE, abs_tol=0.0), f"{what}: {x} vs {y}"


@pytest.mark.parametrize(("indicator", "freq"), CASES)
def test_duckdb_and_spark_agree_on_the_sample(sessions: tuple[Session, Session], indicator: str, freq: str) -> None:
    duck, sparked = sessions
    ytd = 6 if freq == "YTD" else None
    left, right = duck.compute(indicator, freq, ytd), sparked.compute(indicator, freq, ytd)
    assert left.table.num_rows > 0
    assert_same(left.table, right.table, f"{indicator} [{freq}]")
    assert (left.vintages, left.badge) == (right.vintages, right.badge)


def test_the_sample_holds_what_it_must(sessions: tuple[Session, Session]) -> None:
    """Shapes both engines agreed on, checked against the sample's construction."""
    _, sparked = sessions
    annual = sparked.compute("tdr", "A")
    assert annual.periods(partner="MEX") == ["2022", "2023"]  # 2021 lacks May, 2024 ends in June
    assert sparked.compute("tdr", "H").periods(partner="MEX") == ["2021-H2", "2022-H1", "2022-H2", "2023-H1",
                                                                  "2023-H2", "2024-H1"]
    assert sparked.compute("tdr", "YTD", 6).periods(partner="MEX") == ["2022-YTD06", "2023-YTD06", "2024-YTD06"]
    assert sparked.compute("tdr", "H").value("2023-H2", partner="CAN") is None  # no exports: undefined
    ranks = {r["partner"]: r["value"] for r in sparked.compute("rank_total_trade", "A").rows(period="2023")}
    assert ranks["DEU"] == ranks["JPN"] and "WLD" not in ranks  # a tie shares the rank; totals are not ranked
    assert sorted(ranks.values()).count(ranks["DEU"]) == 2
    shares = {r["partner"]: r["value"] for r in sparked.compute("share_imports", "A").rows(period="2023")}
    assert math.isclose(sum(v for p, v in shares.items() if p != "WLD"), 100.0, rel_tol=1e-12)


@pytest.mark.parametrize("indicator", ["tdr", "share_imports", "total_trade_yoy", "rank_total_trade"])
def test_duckdb_and_spark_agree_on_the_embedded_census_data(indicator: str, spark: Any) -> None:
    """The shipped Census partner file (2013-2024) through both engines, annual."""
    from usmca_monitor.store.spark import SparkReader

    with Session(reader=DuckReader()) as duck, Session(reader=SparkReader(spark)) as sparked:
        left, right = duck.compute(indicator, "A"), sparked.compute(indicator, "A")
        assert left.table.num_rows > 1000
        assert_same(left.table, right.table, indicator)


def test_the_command_line_takes_the_engine(spark: Any) -> None:
    """``usmca query --engine spark`` answers what DuckDB answers: Mexico's 2024 TDR rounds to 0.51, the
    value LIVE-SOURCES.md's "2024 check" gives from the same Census rows."""
    args = ["query", "tdr", "--partner", "MEX", "--period", "2024", "--format", "json", "--engine"]
    duck, sparked = CliRunner().invoke(app, [*args, "duckdb"]), CliRunner().invoke(app, [*args, "spark"])
    assert duck.exit_code == sparked.exit_code == 0, sparked.output
    [left], [right] = json.loads(duck.output), json.loads(sparked.output)
    assert math.isclose(left.pop("value"), right.pop("value"), rel_tol=TOLERANCE)
    assert left == right and round(float(json.loads(sparked.output)[0]["value"]), 2) == 0.51


def test_an_unknown_engine_is_one_clear_line() -> None:
    result = CliRunner().invoke(app, ["query", "tdr", "--engine", "polars"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: --engine: unknown engine 'polars' — fix: use one of: duckdb, spark"
