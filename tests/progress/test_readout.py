"""Progress in plain terms (progress/readout.py): the pace achieved against the pace needed, the
verdict, the direction of travel over the status window and the path to the target; an improving
series never reads as worsening, and the public view never shows a bare score."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usmca_monitor.model.goals import Milestone, TargetSpec
from usmca_monitor.model.specs import Text
from usmca_monitor.progress.evaluate import judge_series
from usmca_monitor.progress.methods import SeriesCase, assess
from usmca_monitor.progress.readout import combined_travel, readout
from usmca_monitor.publish.sections import goals as pages

MILESTONES = [Milestone(year=2026, label=Text(en="review")), Milestone(year=2030, label=Text(en="2030"))]


def _target(method: str = "cagr_ratio", direction: str = "increase", target: float | None = None,
            **extra: object) -> TargetSpec:
    citation = {"citation": {"text": "a source"}} if target is not None else {}
    return TargetSpec.model_validate({"id": "t", "title": {"en": "t"}, "indicator": "x", "baseline_year": 2015,
                                      "direction": direction, "method": method, "target_value": target,
                                      "why": {"en": "w"}, **citation, **extra})


def test_too_slow_is_improving_in_words_and_arrow() -> None:
    """100 (2015) → 101 (2020): v = 1.01^(1/5) − 1 = 0.0019920 < 0.005 → limited, method score −1.5040
    (tests/progress/test_methods.py); the reading is "too slow", the arrow up, the pace needed 1.5 % a
    year for substantial and 0.5 % for moderate; the path needed in 2030 is 100·1.015^15 = 125.02."""
    series = judge_series(_target(), "USA", None, {2015: 100.0, 2020: 101.0}, None, MILESTONES)
    assert series.assessment.score == pytest.approx(-1.5040, abs=1e-4)
    r = series.readout
    assert r is not None and (r.verdict, r.travel) == ("too_slow", "better")
    assert r.baseline == (2015, 100.0) and r.latest == (2020, 101.0)
    assert r.pace is not None and r.pace.achieved == pytest.approx(0.0019920, abs=1e-7)
    assert (r.pace.needed, r.pace.moderate, r.pace.needed_for) == (pytest.approx(0.015), pytest.approx(0.005),
                                                                   "substantial")
    assert r.path[1].year == 2030 and r.path[1].needed == pytest.approx(100 * 1.015 ** 15)
    view = pages.series_view(_target(), series, "en")
    assert (view["score"], view["arrow"], view["trend"]) == ("—", "↑", "up")
    assert view["status_text"].startswith("Improving, but too slowly")
    assert "−" not in view["status_text"] and "-1" not in view["status_text"]
    assert "-1.50" in view["score_note"] and "from −5 to 5" in view["score_note"]


def test_with_a_target_the_pace_needed_is_the_required_growth() -> None:
    """10 (2015) → 12.5 (2020) toward 20 in 2030: required 2^(1/15) − 1 = 0.047294 a year; actual
    1.25^(1/5) − 1 = 0.045640; R = 0.96502 → substantial, "on track" (test_methods.py's case)."""
    series = judge_series(_target(target=20, target_year=2030), "USA", None, {2015: 10.0, 2020: 12.5}, None,
                          MILESTONES)
    r = series.readout
    assert r is not None and r.verdict == "on_track" and r.target == (2030, 20)
    assert r.pace is not None and r.pace.needed == pytest.approx(0.047294, abs=1e-6)
    assert r.path[1].needed == pytest.approx(20.0)  # on the needed path, the target is reached in 2030
    text = pages.series_view(_target(target=20, target_year=2030), series, "en")["status_text"]
    assert text.startswith("On track") and "by 2030" in text


def test_a_fall_is_progress_when_a_decrease_is_wanted() -> None:
    """3.2 → 2.0 over five years with a decrease wanted: falling ≈ 9 % a year, judged better (↑)."""
    series = judge_series(_target(direction="decrease"), "USA", "CHN", {2015: 3.2, 2020: 2.0}, None, MILESTONES)
    assert series.readout is not None and series.readout.travel == "better"
    view = pages.series_view(_target(direction="decrease"), series, "en")
    assert view["arrow"] == "↑" and "falling" in view["pace_achieved"] and "a fall of" in view["pace_needed"]


def test_traffic_lights_on_levels_and_against_a_benchmark() -> None:
    bands = {"bands": [{"light": "green", "at_least": 4.5}, {"light": "yellow", "at_least": 3.4},
                       {"light": "orange", "at_least": 0}, {"light": "red"}]}
    spec = _target("semaforo", params=bands)
    series = judge_series(spec, "MEX", None, {2024: 1.35, 2025: 0.56}, None, [])
    assert series.readout is not None and (series.readout.verdict, series.readout.travel) == ("band", "worse")
    view = pages.series_view(spec, series, "en", "percent")
    assert view["arrow_text"] == "worse than in 2024" and view["status_text"].startswith("Orange light: 0.56")
    bench = _target("semaforo", direction="decrease", params={"benchmark": "OED"})
    series = judge_series(bench, "USA", None, {2015: 4.0, 2024: 3.0}, {2015: 5.5, 2024: 5.0}, [])
    assert series.readout is not None and (series.readout.verdict, series.readout.travel) == ("benchmark", "better")


def test_combined_travel() -> None:
    assert combined_travel(["better", "better", "none"]) == "better"
    assert combined_travel(["better", "flat"]) == "better"
    assert combined_travel(["better", "worse"]) == "mixed"
    assert combined_travel(["flat"]) == "flat" and combined_travel(["none"]) == "none"


years = st.lists(st.integers(2000, 2024), min_size=2, max_size=6, unique=True).map(sorted)


@settings(max_examples=200, deadline=None)
@given(years=years, start=st.floats(0.5, 1000), steps=st.lists(st.floats(0.0001, 0.3), min_size=6, max_size=6),
       method=st.sampled_from(["cagr_ratio", "linear", "un_progress_chart"]),
       direction=st.sampled_from(["increase", "decrease"]), with_target=st.booleans())
def test_an_improving_series_never_reads_as_worsening(years: list[int], start: float, steps: list[float],
                                                       method: str, direction: str, with_target: bool) -> None:
    """Any series that moves in the desired direction at every step reads "better" (↑), never
    "worsening", whatever its method score; the public view never shows the score."""
    sign = 1 if direction == "increase" else -1
    values, level = {}, start
    for year, step in zip(years, steps, strict=False):
        values[year] = level
        level = level * (1 + sign * step) if sign > 0 else level / (1 + step)
    target = (values[years[-1]] * 2 if sign > 0 else values[years[-1]] / 2) if with_target else None
    case = SeriesCase(values=values, direction=direction, base_year=years[0], target=target)
    now = assess(method, case)
    plain = readout(method, case, now, [])
    assert plain.travel == "better" and plain.verdict not in ("worsening", "unchanged")
    assert now.status != "deterioration"


def test_states_roll_up_counts_each_country_and_waits_for_us_states() -> None:
    """The catalog's social-progress target on an in-memory index: Nuevo León 60 → 63 (2019 → 2024,
    v = 1.05^(1/5) − 1 = 0.98 % a year, C = 1 − 0.6^4.44 = 0.8965: moderate from 0.448 %), Oaxaca 50 → 49
    (deterioration), Texas 70 → 74 once U.S. states are imported: 2 of 3 states progressing."""
    from usmca_monitor.model.specs import Text as T
    from usmca_monitor.progress.catalog import load_catalog
    from usmca_monitor.progress.evaluate import IndicatorSeries, SeriesKey, judge_target

    spec = next(t for g in load_catalog().goals for t in g.targets if t.id == "g1-social-progress")
    rows: dict[SeriesKey, dict[int, float]] = {
        ("MX-NLE", None, None): {2019: 60.0, 2024: 63.0}, ("MX-OAX", None, None): {2019: 50.0, 2024: 49.0},
        ("MEX", None, None): {2019: 55.0, 2024: 56.0}}
    data = IndicatorSeries("spi", T(en="spi"), "index_0_100", "official", "test", {}, rows)
    mexico_only = judge_target(1, spec, lambda _: data, [])
    assert [s.geo for s in mexico_only.series] == ["MX-NLE", "MX-OAX"]  # the nation is not a state
    by_country = mexico_only.rolled.components["by_country"]
    assert (by_country["MEX"]["with_data"], by_country["MEX"]["progressing"]) == (2, 1)
    assert (by_country["USA"]["with_data"], by_country["USA"]["total"]) == (0, 51)
    rows[("US-TX", None, None)] = {2019: 70.0, 2024: 74.0}
    with_us = judge_target(1, spec, lambda _: data, [])
    assert with_us.rolled.components["by_country"]["USA"]["progressing"] == 1
    assert with_us.rolled.components["progressing"] == 2 and with_us.rolled.covered == 3
