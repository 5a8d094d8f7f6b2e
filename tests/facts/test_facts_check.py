"""Facts of the report checked against the embedded snapshot: each computed fact's expected value for
the report's period, the agreement rule, the expression guard, the summary and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.facts.check import FactResult, agrees, check_facts, evaluate, fact_specs, rounded, summarize
from usmca_monitor.model.facts import FactCompute, FactSpec

FFV = "g3ag-ffv-import-origin-shares-2023"
# id → (value computed for the report's period, status, the published figure it is checked against)
EXPECTED: dict[str, tuple[float, str, str]] = {
    "na-top-trading-partners--mex": (1, "agrees", "Census FT-900 Dec 2024 top partners: Mexico 1st by total trade"),
    "na-top-trading-partners--can": (2, "agrees", "Census FT-900 Dec 2024 top partners: Canada 2nd by total trade"),
    "na-ca-us-trade-762bn": (761.79, "agrees", "Census FT-900 2024: U.S.-Canada goods trade USD 762 bn"),
    "na-hdi-ranks--can": (16, "agrees", "UNDP HDR 2025, Table 1 (2023 data): Canada 16th"),
    "na-hdi-ranks--usa": (17, "agrees", "UNDP HDR 2025, Table 1 (2023 data): United States 17th"),
    "na-hdi-ranks--mex": (81, "agrees", "UNDP HDR 2025, Table 1 (2023 data): Mexico 81st"),
    "na-hdi-ranks--countries": (193, "agrees", "UNDP HDR 2025, Table 1: 193 countries ranked"),
    "na-fdi-inflows-2024--usa": (297.06, "diverges", "World Bank WDI BX.KLT.DINV.CD.WD 2024 USA; UNCTAD WIR 2025: 279"),
    "na-fdi-inflows-2024--can": (63.05, "diverges", "World Bank WDI BX.KLT.DINV.CD.WD 2024 Canada; UNCTAD: 64"),
    "na-fdi-inflows-2024--mex": (45.47, "diverges", "World Bank WDI BX.KLT.DINV.CD.WD 2024 Mexico; UNCTAD: 37"),
    "na-vehicle-production-16m--units": (16.11, "agrees", "OICA 2024 production: USA 10,562,188 + MEX 4,202,642 "
                                                          "+ CAN 1,342,647"),
    "g4auto-production-16m--units": (16.11, "agrees", "OICA 2024 production statistics (same total)"),
    "na-vehicle-production-16m--growth": (20.38, "agrees", "OICA 2024 vs 2020 production, North America"),
    "g4auto-production-16m--growth": (20.38, "agrees", "OICA 2024 vs 2020 production, North America"),
    "na-trade-sector-jobs-56_5m": (56.5, "agrees", "the report's 14.9 (INEGI) + 34.3 (BLS) + 7.3 (StatCan) million"),
    "g3tech-ict-deficit--share": (71.56, "agrees", "the report's ICT -152.5 / ATP -213.1 bn, Census ATP Jan-Jun 2025"),
    "g4truck-asia-oceania-2024--asia-share": (70.88, "agrees", "the report's 2.58 / 3.64 million trucks (ANPACT/OICA)"),
    "g4truck-asia-china-dominance--asia-share": (70.88, "agrees", "the report's 2.58 / 3.64 million (ANPACT/OICA)"),
    "g4truck-na-production-2024--us-share": (58.77, "agrees", "the report's 325,000 / 553,000 trucks (ANPACT)"),
    "g4truck-china-imports-749pct--growth": (749.40, "agrees", "the report's table: USD 19.83 m (2024) / 2.33 m "
                                                              "(2018), Census via ANPACT"),
    f"{FFV}--fruit-mex": (50.67, "agrees", "USDA ERS U.S. Food Imports 2023: fresh fruit, Mexico / world"),
    f"{FFV}--fruit-can": (1.50, "diverges", "USDA ERS U.S. Food Imports 2023: Canada 1.495% rounds to 1, report: 2"),
    f"{FFV}--veg-mex": (68.52, "agrees", "USDA ERS U.S. Food Imports 2023: fresh vegetables, Mexico / world"),
    f"{FFV}--veg-can": (19.98, "agrees", "USDA ERS U.S. Food Imports 2023: fresh vegetables, Canada / world"),
    "g3ag-beer-imports-2022--world": (6.706, "diverges", "USDA ERS U.S. Food Imports 2022, malt beer, world: "
                                                         "USD 6,706 m; the report (USDA diagram) prints 6.88 bn"),
    "g3ag-beer-imports-2022--mex": (5.3839, "diverges", "USDA ERS U.S. Food Imports 2022, malt beer from Mexico: "
                                                        "USD 5,383.9 m; the report prints 5.41 bn"),
}

# Computed facts whose report period (2024) is not in the shipped data: (latest period, value there, source)
LATEST_ONLY: dict[str, tuple[str, float, str]] = {
    "na-clean-electricity-shares-2024--mex": ("2023", 23.09, "OWID share-elec-by-source 2023: Mexico renewables "
                                                             "19.6 + nuclear 3.5 (SOURCES.md: low-carbon 23.1%)"),
    "na-clean-electricity-shares-2024--usa": ("2023", 22.67, "OWID share-elec-by-source 2023: USA renewables 22.7%"),
    "na-clean-electricity-shares-2024--can": ("2023", 66.13, "OWID share-elec-by-source 2023: Canada renewables 66.1%"),
}


# Computed facts over live-only series (Census hitech): awaiting data with the embedded snapshot; with
# SYNTHETIC hitech rows (tests/goal3/tech_synthetic.py: all countries export 2·c bn a month in category c
# and import 10 bn in 2024, 20 bn in 2025; in 2025 Taiwan ships 9.05 bn a month of each category, Mexico
# 5 bn, China nothing) they compute these made-up values, never statistics: (period, value, status).
LIVE_ONLY: dict[str, tuple[str, float | None, str]] = {
    "g3tech-atp-deficit-2024": ("2024", 120.0, "diverges"),  # Σc (2c − 10) × 12 months
    "g3tech-atp-deficit-ytd-jun-2025": ("2025-H1", -540.0, "diverges"),  # Σc (2c − 20) × 6
    "g3tech-aerospace-surplus": ("2025-H1", -24.0, "diverges"),  # (16 − 20) × 6
    "g3tech-ict-deficit": ("2025-H1", -72.0, "diverges"),  # (8 − 20) × 6
    "g3tech-taiwan-top-ict-supplier": ("2025-H1", 1.0, "agrees"),  # 9.05 > 5 bn a month
    "g3tech-mexico-second-ict-supplier": ("2025-H1", 2.0, "agrees"),
    "g3tech-china-fourth-ict-supplier": ("2025-H1", None, "awaiting_data"),  # no Chinese rows
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, FactResult]]:
    with api.open_session(tmp_path_factory.mktemp("home")) as session:
        yield {r.spec.id: r for r in check_facts(session.engine)}


@pytest.mark.parametrize("fact_id", sorted(EXPECTED))
def test_computed_fact_for_the_reports_period(checked: dict[str, FactResult], fact_id: str) -> None:
    """Each computed fact's value for the report's period, checked against the published figure named
    in EXPECTED (third field: figure, release, source); FDI diverges because the report cites UNCTAD."""
    value, status, _published = EXPECTED[fact_id]
    result = checked[fact_id]
    assert result.computed_value == pytest.approx(value, abs=0.01)
    assert result.status == status
    assert result.latest_period is not None and result.latest_period >= result.spec.period


@pytest.mark.parametrize("fact_id", sorted(LATEST_ONLY))
def test_computed_fact_awaiting_the_reports_period(checked: dict[str, FactResult], fact_id: str) -> None:
    """Facts whose formula is wired but whose report period is not in the shipped data: awaiting data,
    with the latest value checked against the published figure named in LATEST_ONLY."""
    period, value, _published = LATEST_ONLY[fact_id]
    result = checked[fact_id]
    assert result.status == "awaiting_data" and result.computed_value is None
    assert result.latest_period == period
    assert result.latest_value == pytest.approx(value, abs=0.01)
    assert result.badge == "computed"


def test_every_computed_fact_has_an_expected_value() -> None:
    """A computed fact added without its expected value here fails (each computed fact has a test)."""
    computed = {s.id for s in fact_specs().values() if s.compute is not None}
    assert computed == set(EXPECTED) | set(LATEST_ONLY) | set(LIVE_ONLY)


@pytest.mark.parametrize("fact_id", sorted(LIVE_ONLY))
def test_live_only_fact_awaits_data_offline(checked: dict[str, FactResult], fact_id: str) -> None:
    result = checked[fact_id]
    assert result.status == "awaiting_data"
    assert result.computed_value is None and result.latest_value is None


def test_live_only_facts_compute_once_the_series_is_loaded(tmp_path: Path) -> None:
    """With SYNTHETIC hitech rows imported, each fact computes its hand-computed synthetic value (which
    differs from the report's figure, so the status is 'diverges')."""
    from tests.goal3 import tech_synthetic as ts

    api.import_file("census_trade", ts.write_tidy(tmp_path / "hitech.csv", ts.hitech_rows()), home=tmp_path / "home")
    with api.open_session(tmp_path / "home") as session:
        results = {r.spec.id: r for r in check_facts(session.engine, {k: fact_specs()[k] for k in LIVE_ONLY})}
    for fact_id, (period, value, status) in LIVE_ONLY.items():
        result = results[fact_id]
        assert result.spec.period == period and result.status == status, fact_id
        assert result.computed_value == (None if value is None else pytest.approx(value)), fact_id
        if value is not None:
            assert result.badge == "computed", fact_id


def test_badges(checked: dict[str, FactResult]) -> None:
    """Report figures recomputed keep the report badge; a published series shown as is is official."""
    assert checked["na-trade-sector-jobs-56_5m"].badge == "report"
    assert checked["na-fdi-inflows-2024--usa"].badge == "official"
    assert checked["na-hdi-ranks--can"].badge == "computed"
    assert checked["na-hdi-ranks--can"].vintages["undp_hdi"].startswith("undp_hdi@hdr2025")


def test_summary_counts_at_least_twenty_computed(checked: dict[str, FactResult]) -> None:
    """The issue's floor: at least 20 facts computed from the embedded snapshot alone."""
    summary = summarize(list(checked.values()))
    assert set(summary) == {"agrees", "diverges", "awaiting_data", "narrative"}
    assert summary["agrees"] + summary["diverges"] >= 20
    assert summary == {"agrees": 20, "diverges": 6, "awaiting_data": 111, "narrative": 55}
    assert sum(summary.values()) == len(fact_specs())


@pytest.mark.parametrize(("value", "precision", "qualifier", "computed", "expected"), [
    (762, 0, "=", 761.79, True),
    (762, 0, "=", 761.49, False),
    (58.8, 1, "=", 58.75, True),    # half away from zero, as printed
    (58.8, 1, "=", 58.74, False),
    (71, 0, "~", 70.88, True),
    (16, 0, ">", 16.1, True),
    (16, 0, ">", 15.99, False),
    (2, 0, "<=", 1, True),
    (2, 0, "<=", 3, False),
])
def test_agrees_within_stated_precision(value: float, precision: int, qualifier: str, computed: float,
                                        expected: bool) -> None:
    spec = FactSpec.model_validate({"id": "x", "report_item": "x", "statement": {"en": "x"}, "value": value,
                                    "precision": precision, "qualifier": qualifier})
    assert agrees(spec, computed) is expected


def test_rounded_is_half_up() -> None:
    assert str(rounded(0.125, 2)) == "0.13"
    assert str(rounded(-2.5, 0)) == "-3"


def test_expressions_are_arithmetic_only() -> None:
    assert evaluate("(a / b - 1) * 100", {"a": 3.0, "b": 2.0}) == pytest.approx(50.0)
    assert evaluate("a / b", {"a": 1.0, "b": 0.0}) is None
    term = {"t": {"indicator": "tdr"}}
    for bad in ("__import__('os')", "t ** 2", "u + t", "t +"):
        with pytest.raises(ValidationError):
            FactCompute.model_validate({"expr": bad, "terms": term})


def test_computed_fact_needs_value_and_period() -> None:
    with pytest.raises(ValidationError):
        FactSpec.model_validate({"id": "x", "report_item": "x", "statement": {"en": "x"},
                                 "compute": {"expr": "t", "terms": {"t": {"indicator": "tdr"}}}})


def test_every_inventory_fact_has_a_spec(shared: Path) -> None:
    """Every item of kind `fact` in shared/docs/seed-inventory.yaml (171) is a fact spec's report item."""
    inventory = yaml.safe_load((shared.parent / "docs" / "seed-inventory.yaml").read_text(encoding="utf-8"))
    items = {i["id"] for i in inventory["items"] if i.get("kind") == "fact"}
    assert len(items) == 171
    assert items == {s.report_item for s in fact_specs().values()}


def test_cli_json_and_table() -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["facts", "check", "--format", "json"])
    assert done.exit_code == 0, done.output
    record = json.loads(done.output)
    assert set(record) == {"facts", "summary"}
    entry = next(f for f in record["facts"] if f["id"] == "na-ca-us-trade-762bn")
    assert {"id", "status", "report_value", "computed_value", "latest_value", "latest_period"} <= set(entry)
    assert entry["report_value"] == 762 and entry["status"] == "agrees"
    assert sum(record["summary"].values()) == len(record["facts"])
    table = runner.invoke(app, ["facts", "check"])
    assert table.exit_code == 0
    s = record["summary"]
    assert (f"{s['agrees'] + s['diverges']} computed ({s['agrees']} agree, {s['diverges']} diverge), "
            f"{s['awaiting_data']} awaiting data, {s['narrative']} narrative") in table.output
    bad = runner.invoke(app, ["facts", "check", "--format", "xml"])
    assert bad.exit_code == 1


def test_difference_only_for_point_figures(checked: dict[str, FactResult]) -> None:
    """A bound ("top two", "over 16 million") has no difference; a point figure has computed − report."""
    assert checked["na-top-trading-partners--mex"].difference is None
    assert checked["na-vehicle-production-16m--units"].difference is None
    difference = checked["na-ca-us-trade-762bn"].difference
    assert difference is not None and difference == pytest.approx(761.79 - 762, abs=0.01)
