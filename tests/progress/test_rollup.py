"""Roll-up from series to targets, goals and North America, worked out by hand; and a target judged from
an in-memory indicator (no store), with milestones, trend and the coverage rule."""

from __future__ import annotations

import pytest

from usmca_monitor.model.goals import Aggregate, Milestone, Selection, TargetSpec
from usmca_monitor.model.specs import Text
from usmca_monitor.progress.evaluate import IndicatorSeries, judge_target
from usmca_monitor.progress.methods import Assessment
from usmca_monitor.progress.rollup import combine, goal_rollup, north_america, trend


def a(score: float | None, status: str | None = None) -> Assessment:
    from usmca_monitor.progress.methods import status_from_score

    return Assessment("test", status or ("not_available" if score is None else status_from_score(score)), score)


def test_combine_is_the_mean_of_available_scores() -> None:
    """(2.6 + (−4.3)) / 2 = −0.85 → limited; a part without a score is left out of the mean, not zero."""
    rolled = combine([a(2.6), a(-4.3), a(None)])
    assert rolled.score == pytest.approx(-0.85) and rolled.status == "limited_progress"
    assert (rolled.covered, rolled.total) == (2, 3)
    assert combine([a(5.0, "target_achieved"), a(5.0, "target_achieved")]).status == "target_achieved"
    assert combine([a(None)]).status == "not_available"


def test_goal_rollup_mean_and_two_worst() -> None:
    """Scores 5, 4, −1, −3: mean 1.25 → moderate; the two worst, (−1 + −3) / 2 = −2 → limited."""
    parts = [a(5.0), a(4.0), a(-1.0), a(-3.0)]
    assert goal_rollup(parts).score == pytest.approx(1.25) and goal_rollup(parts).status == "moderate_progress"
    worst = goal_rollup(parts, "two_worst")
    assert worst.score == pytest.approx(-2.0) and worst.status == "limited_progress"


def test_north_america_simple_weighted_and_coverage() -> None:
    """Simple: USA 3, CAN −1 (Mexico missing): coverage 2/3 ≥ 2/3, mean 1 → moderate. Weighted by
    29 / 2 / 2: (3·29 − 1·2) / 31 = 2.7419 → substantial. Without the U.S. the weighted coverage is
    4/33 < 2/3 → not available."""
    scores = {"USA": a(3.0), "CAN": a(-1.0), "MEX": a(None)}
    simple = north_america(scores)
    assert simple.score == pytest.approx(1.0) and simple.components["coverage"] == pytest.approx(2 / 3)
    weights = {"USA": 29.0, "MEX": 2.0, "CAN": 2.0}
    weighted = north_america(scores, weights=weights)
    assert weighted.score == pytest.approx((3 * 29 - 2) / 31) and weighted.status == "substantial_progress"
    assert north_america({"MEX": a(1.0), "CAN": a(2.0), "USA": a(None)}, weights=weights).status == "not_available"
    assert north_america({"USA": a(1.0)}).status == "not_available"  # 1 of 3 < 2/3


def test_trend() -> None:
    assert (trend(1.0, 0.5), trend(0.5, 1.0), trend(1.0, 0.95), trend(None, 1.0)) == ("up", "down", "flat", "none")


def _data(rows: dict[str, dict[int, float]]) -> IndicatorSeries:
    return IndicatorSeries("x", Text(en="x"), "percent", "official", "test", {},
                           {(geo, None, None): values for geo, values in rows.items()})


def test_a_target_from_an_indicator() -> None:
    """USA 100 → 110 (2015→2020): v = 1.1^(1/5) − 1 = 0.019245 → 4.6225; MEX 100 → 101: v = 0.001992 →
    −1.5040; CAN has no data: simple mean of two of three = 1.5592 → moderate. A year earlier (latest
    2019: USA 100 → 108, v = 1.08^(1/4) − 1 = 0.019427 → 4.7133; MEX 100 → 100.5, v = 0.0012477 →
    −1.8762) the mean was 1.4186, so the trend is up. Projection to 2030 for the U.S.: 110·1.1² = 133.1."""
    target = TargetSpec(id="t", title=Text(en="t"), indicator="x", selection=Selection(geo=["USA", "MEX", "CAN"]),
                        baseline_year=2015, direction="increase", why=Text(en="w"), aggregate=Aggregate())
    data = _data({"USA": {2015: 100, 2019: 108, 2020: 110}, "MEX": {2015: 100, 2019: 100.5, 2020: 101}})
    result = judge_target(1, target, lambda _: data, [Milestone(year=2030, label=Text(en="2030"))])
    assert result.rolled.score == pytest.approx((4.6225 - 1.5040) / 2, abs=1e-4)
    assert result.rolled.status == "moderate_progress" and result.rolled.covered == 2
    assert result.before.score == pytest.approx((4.7133 - 1.8762) / 2, abs=1e-4)
    assert result.trend == "up"
    usa = result.series[0]
    assert usa.milestones[0][1] == pytest.approx(133.1)
    assert result.series[2].assessment.status == "not_available"


def test_a_pending_target_is_not_available() -> None:
    target = TargetSpec(id="p", title=Text(en="p"), pending=Text(en="waits for data"), baseline_year=2024,
                        baseline_value=64, target_value=70, target_year=2027, direction="increase",
                        why=Text(en="w"), citation={"text": "treaty"})  # type: ignore[arg-type]
    result = judge_target(4, target, lambda _: _data({}), [])
    assert result.rolled.status == "not_available" and result.reason == "waits for data"


def test_target_specs_refuse_incoherent_targets() -> None:
    with pytest.raises(ValueError, match="needs a citation"):
        TargetSpec(id="t", title=Text(en="t"), indicator="x", target_value=3, direction="increase", why=Text(en="w"))
    with pytest.raises(ValueError, match="contradicts"):
        TargetSpec(id="t", title=Text(en="t"), indicator="x", baseline_value=5, target_value=3, direction="increase",
                   why=Text(en="w"), citation={"text": "c"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="after baseline_year"):
        TargetSpec(id="t", title=Text(en="t"), indicator="x", baseline_year=2030, target_year=2030,
                   direction="increase", why=Text(en="w"))
