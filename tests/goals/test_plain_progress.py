"""Progress in plain terms on the shipped data: improving series never read as negative or downward,
every target's method fits its rule, Goal 1's social-progress target is judged from the Mexican state
series, and the Logistics Performance Index is labelled by edition year (growth over the span between
editions). Expected values come from the raw files in ../shared/data (the ``shared`` fixture)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from usmca_monitor import api
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.progress.evaluate import GoalResult, IndicatorSeries, TargetResult, engine_loader, judge_goals
from usmca_monitor.publish.i18n import LANGS
from usmca_monitor.publish.sections import goals as pages


@pytest.fixture(scope="module")
def judged() -> Iterator[tuple[list[GoalResult], Any]]:
    with api.open_session() as session:
        load = engine_loader(session.engine)
        yield judge_goals(load_catalog(), load), load


def _target(results: list[GoalResult], target_id: str) -> TargetResult:
    return next(t for g in results for t in g.targets if t.spec.id == target_id)


def _wdi(shared: Path, code: str, iso3: str) -> dict[int, float]:
    with (shared / "wdi" / "wdi_selected_indicators_usmca_and_peers_1990_2025.csv").open(encoding="utf-8") as fh:
        return {int(r["year"]): float(r["value"]) for r in csv.DictReader(fh)
                if r["indicator_code"] == code and r["iso3"] == iso3}


def _usmca_share_of_us_trade(shared: Path, year: int) -> float:
    """Census, U.S. goods trade by country (monthly): (exports + imports with Canada and Mexico) /
    (exports + imports with all countries) × 100, the twelve months of ``year`` summed."""
    totals = {"CANADA": 0.0, "MEXICO": 0.0, "TOTAL FOR ALL COUNTRIES": 0.0}
    path = shared / "trade_us_partner" / "census_us_goods_trade_by_country_monthly_2013_2024.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if int(row["year"]) == year and row["cty_name"] in totals:
                totals[row["cty_name"]] += float(row["exports_total_usd"]) + float(row["imports_general_usd"])
    return 100 * (totals["CANADA"] + totals["MEXICO"]) / totals["TOTAL FOR ALL COUNTRIES"]


@pytest.mark.parametrize("lang", LANGS)
def test_improving_series_never_get_a_negative_public_score_or_a_downward_arrow(
        judged: tuple[list[GoalResult], Any], shared: Path, lang: str) -> None:
    """Mexico's employment-to-population ratio (World Bank WDI SL.EMP.TOTL.SP.ZS, ILO modelled): 58.995 in
    2019 → 59.962 in 2025; the USMCA partners' share of U.S. goods trade (U.S. Census Bureau monthly
    files): 29.6 % in 2019 → 30.1 % in 2024. Both rise, too slowly for moderate progress (< 0.5 % a
    year): the method scores them below zero, the pages say "improving, but too slowly" with an up arrow."""
    results, _ = judged
    employment = _wdi(shared, "SL.EMP.TOTL.SP.ZS", "MEX")
    assert (employment[2019], employment[2025]) == (58.995, 59.962)
    trade_2019, trade_2024 = _usmca_share_of_us_trade(shared, 2019), _usmca_share_of_us_trade(shared, 2024)
    assert round(trade_2019, 1) == 29.6 and round(trade_2024, 1) == 30.1
    cases = [("g1-employment-rate", "MEX", employment[2019], employment[2025]),
             ("g3-usmca-share-of-us-trade", "USA", trade_2019, trade_2024)]
    for target_id, geo, base, latest in cases:
        target = _target(results, target_id)
        series = next(s for s in target.series if s.geo == geo)
        assert series.assessment.components["y0"] == pytest.approx(base, rel=1e-9)
        assert series.assessment.components["yi"] == pytest.approx(latest, rel=1e-9)
        assert series.assessment.score is not None and series.assessment.score < 0  # the method's own score
        view = pages.series_view(target.spec, series, lang, target.data.unit if target.data else "")
        assert (view["score"], view["arrow"], view["trend"], view["travel"]) == ("—", "↑", "up", "better")
        assert view["verdict"] == "too_slow" and "−" not in view["status_text"]
    for goal in results:  # no public view carries a number as a score
        view = pages.goal_view(goal, lang)
        assert view["score"] == "—" and all(t["score"] == "—" for t in view["targets"])


def test_each_target_method_fits_its_rule(judged: tuple[list[GoalResult], Any]) -> None:
    """``linear`` only where the quantity can be negative or cross zero (declared, and seen in the data
    shown when there is data); growth methods only on series above zero in every year shown."""
    results, load = judged
    for goal in results:
        for target in goal.targets:
            spec = target.spec
            data: IndicatorSeries | None = load(spec.indicator) if spec.indicator else None
            shown = [v for s in target.series for v in s.values.values()]
            if spec.method == "linear":
                assert spec.crosses_zero, spec.id
                assert data is None or not shown or min(shown) <= 0, f"{spec.id}: linear on a positive series"
            elif spec.method in ("cagr_ratio", "un_progress_chart"):
                assert not spec.crosses_zero and (not shown or min(shown) > 0), spec.id
    assert _target(results, "g4-tdr-china").spec.method == "cagr_ratio"
    assert _target(results, "g4-fdi").spec.method == "cagr_ratio"
    for lang in LANGS:
        assert pages.target_view(_target(results, "g4-tdr-china"), lang)["method_why"]


def _spi(shared: Path, geo: str | None = None) -> dict[str, dict[int, float]]:
    path = shared / "spi" / "mx_ips_states_mcv_ed2025_long.csv"
    out: dict[str, dict[int, float]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["level"] == "index" and row["iso_3166_2"].startswith("MX-") and geo in (None, row["iso_3166_2"]):
                out.setdefault(row["iso_3166_2"], {})[int(row["year"])] = float(row["score"])
    return out


def _expected_status(s2019: float, s2024: float) -> str:
    """cagr_ratio with the natural limit 100, without a target value (Open SDG): v = CAGR 2019–2024,
    C = 1 − (s2019/100)^4.44; substantial from 1.5 %·C a year, moderate from 0.5 %·C, limited from 0."""
    v = (s2024 / s2019) ** (1 / 5) - 1
    c = 1 - (s2019 / 100) ** 4.44
    return ("substantial_progress" if v >= 0.015 * c else "moderate_progress" if v >= 0.005 * c
            else "limited_progress" if v >= 0 else "deterioration")


def test_goal1_social_progress_is_judged_from_the_state_series(judged: tuple[list[GoalResult], Any],
                                                                shared: Path) -> None:
    """México, ¿cómo vamos?, Índice de Progreso Social, edition 2025 (commit 19c489e): Nuevo León 68.95
    in 2019 and 71.08 in 2024. Each of the 32 states is judged on its own index 2019 → 2024; "states
    progressing" are those with moderate progress or better; U.S. states wait for the import."""
    results, _ = judged
    raw = _spi(shared)
    assert len(raw) == 32
    assert raw["MX-NLE"][2019] == pytest.approx(68.950889) and raw["MX-NLE"][2024] == pytest.approx(71.079584)
    target = _target(results, "g1-social-progress")
    assert target.spec.indicator == "spi" and target.rolled.status != "not_available"
    by_geo = {s.geo: s for s in target.series}
    assert set(by_geo) == set(raw)
    expected = {geo: _expected_status(v[2019], v[2024]) for geo, v in raw.items()}
    assert {geo: s.assessment.status for geo, s in by_geo.items()} == expected
    progressing = sum(s in ("substantial_progress", "moderate_progress") for s in expected.values())
    mexico = target.rolled.components["by_country"]["MEX"]
    assert (mexico["with_data"], mexico["progressing"]) == (32, progressing)
    assert target.rolled.components["by_country"]["USA"]["with_data"] == 0
    goal1 = next(g for g in results if g.spec.id == 1)
    assert goal1.rolled.covered == 2  # the status no longer rests on the employment target alone
    for lang in LANGS:
        view = pages.target_view(target, lang)
        assert not view["pending"] and len(view["states"]) == 2
        assert str(progressing) in view["states"][0]["text"]


def test_lpi_editions_are_labelled_by_edition_year(judged: tuple[list[GoalResult], Any], shared: Path) -> None:
    """World Bank WDI LP.LPI.OVRL.XQ stores the 2023 edition (survey September–November 2022) under 2022:
    Mexico 3.05 (2018 edition) and 2.9 (2023 edition, WDI year 2022). The indicator shows 2023, and the
    growth of the Logistics target spans the five years 2018 → 2023: (2.9/3.05)^(1/5) − 1."""
    results, _ = judged
    raw = _wdi(shared, "LP.LPI.OVRL.XQ", "MEX")
    assert (raw[2018], raw[2022]) == (3.05, 2.9) and 2023 not in raw
    periods = {str(o.period): o.value for o in api.query("logistics_performance", geo="MEX")}
    assert periods["2023"] == raw[2022] and "2022" not in periods
    series = next(s for s in _target(results, "g4-logistics").series if s.geo == "MEX")
    comp = series.assessment.components
    assert (comp["base_year"], comp["latest_year"]) == (2018, 2023)
    assert comp["cagr_actual"] == pytest.approx((raw[2022] / raw[2018]) ** (1 / 5) - 1, rel=1e-12)
