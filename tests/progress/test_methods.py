"""Progress methods against expectations worked out by hand (the arithmetic is in each docstring), and
Hypothesis properties: moving the latest value toward the target never worsens the status; for
``linear``, negating the series and the desired direction together leaves the status unchanged.

The formulas are those of the goals issue (Statistics Canada / Open SDG's automatic progress measure,
the UN Statistics Division's progress chart, México, ¿cómo vamos?'s traffic light)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.model.goals import Band
from usmca_monitor.progress.methods import RANK, SeriesCase, assess, cagr, closeness

MCV_GROWTH = (Band(light="green", at_least=4.5), Band(light="yellow", at_least=3.4), Band(light="orange", at_least=0),
              Band(light="red"))
LOW_IS_GOOD = (Band(light="green", at_most=1.0), Band(light="yellow", at_most=3.4), Band(light="orange", at_most=4.5),
               Band(light="red"))


def run(method: str, values: dict[int, float], direction: str = "increase", **kw: object):
    return assess(method, SeriesCase(values=values, direction=direction, **kw))  # type: ignore[arg-type]


def test_cagr_definition() -> None:
    """CAGR(12.5, 10, 2020, 2015) = 1.25^(1/5) − 1 = e^(0.223144/5) − 1 = 0.045640."""
    assert cagr(12.5, 10, 2020, 2015) == pytest.approx(0.045640, abs=1e-6)


def test_cagr_ratio_with_target_substantial() -> None:
    """y0 = 10 (2015), yi = 12.5 (2020), yT = 20 (2030): actual 1.25^(1/5) − 1 = 0.045640, required
    2^(1/15) − 1 = 0.047294, R = 0.96502 ≥ 0.95 → substantial; score 7.1429·R − 4.2857 = 2.6073."""
    a = run("cagr_ratio", {2015: 10, 2020: 12.5}, target=20, target_year=2030)
    assert a.status == "substantial_progress"
    assert a.components["cagr_required"] == pytest.approx(0.047294, abs=1e-6)
    assert a.components["R"] == pytest.approx(0.96502, abs=1e-5)
    assert a.score == pytest.approx(2.6073, abs=1e-4)
    assert a.projected == pytest.approx(12.5 * 1.25 ** 2)  # 10 years more at 1.25^(1/5): 19.53125


def test_cagr_ratio_decrease_moderate() -> None:
    """Decrease from 8 (2010) to 6 (2020), target 4 in 2030: actual 0.75^(1/10) − 1 = −0.028358,
    required 0.5^(1/20) − 1 = −0.034064; R = 1·(−1)·(−0.028358)/0.034064 = 0.83250 → moderate;
    score 7.1429·0.8325 − 4.2857 = 1.6608."""
    a = run("cagr_ratio", {2010: 8, 2020: 6}, "decrease", target=4, target_year=2030)
    assert a.status == "moderate_progress"
    assert a.components["R"] == pytest.approx(0.83250, abs=1e-5)
    assert a.score == pytest.approx(1.6608, abs=1e-4)


def test_cagr_ratio_deterioration_and_achieved() -> None:
    """10 → 9 (2015→2020) toward 20 in 2030: actual 0.9^(1/5) − 1 = −0.020852, R = −0.020852/0.047294 =
    −0.44089 → deterioration; score max(4.1667·R − 2.5, −5) = −4.3371. 10 → 21 is already beyond 20: achieved, 5."""
    a = run("cagr_ratio", {2015: 10, 2020: 9}, target=20, target_year=2030)
    assert a.status == "deterioration" and a.components["R"] == pytest.approx(-0.44089, abs=1e-5)
    assert a.score == pytest.approx(-4.3371, abs=1e-4)
    b = run("cagr_ratio", {2015: 10, 2020: 21}, target=20, target_year=2030)
    assert (b.status, b.score) == ("target_achieved", 5.0)


def test_cagr_ratio_without_target() -> None:
    """100 → 110 over 5 years: v = 1.1^(1/5) − 1 = 0.019245 ≥ 0.015 → substantial, score 500v − 5 = 4.6225.
    100 → 101: v = 0.0019920 < 0.005 → limited, score 500v − 2.5 = −1.5040."""
    a = run("cagr_ratio", {2015: 100, 2020: 110})
    assert a.status == "substantial_progress" and a.score == pytest.approx(4.6225, abs=1e-4)
    b = run("cagr_ratio", {2015: 100, 2020: 101})
    assert b.status == "limited_progress" and b.score == pytest.approx(-1.5040, abs=1e-4)
    c = run("cagr_ratio", {2015: 100, 2020: 90})
    assert c.status == "deterioration"  # v = 0.9^(1/5) − 1 = −0.020852; score 125v − 2.5 = −5.1065 → −5
    assert c.score == -5.0


def test_cagr_ratio_with_a_natural_limit() -> None:
    """LPI-like: 3.0 → 3.2 (2015→2020) with limit L = 5: b = 3 ≤ L, C = 1 − 0.6^4.44 = 0.89649;
    v = (3.2/3)^(1/5) − 1 = 0.012991; 0.005C = 0.004482 ≤ v < 0.015C = 0.013447 → moderate;
    score 250·v/C − 1.25 = 2.3729."""
    assert closeness(3.0, 5.0) == pytest.approx(0.89649, abs=1e-5)
    assert closeness(12.0, 5.0) == 1.0 and closeness(7.0, 5.0) == pytest.approx(1 - 0.6 ** 4.44)
    a = run("cagr_ratio", {2015: 3.0, 2020: 3.2}, limit=5.0)
    assert a.status == "moderate_progress"
    assert a.score == pytest.approx(2.3729, abs=1e-4)


def test_cagr_ratio_edge_cases() -> None:
    """Negative series: −10 → −8, increase: sign −1, CAGR 0.8^(1/5) − 1 = −0.043648, v = 0.043648 →
    substantial. A base of 0 becomes 0.001. A missing base year takes the next year with data.
    Opposite signs, or fewer than two points, are not available."""
    a = run("cagr_ratio", {2015: -10, 2020: -8})
    assert a.components["sign"] == -1 and a.components["v"] == pytest.approx(0.043648, abs=1e-6)
    assert a.status == "substantial_progress"
    zero = run("cagr_ratio", {2015: 0, 2020: 1})
    assert zero.components["cagr_actual"] == pytest.approx(1000 ** 0.2 - 1)
    later = run("cagr_ratio", {2016: 10, 2018: 11, 2020: 12}, base_year=2015)
    assert later.components["base_year"] == 2016
    assert run("cagr_ratio", {2015: -1, 2020: 2}).status == "not_available"
    assert run("cagr_ratio", {2020: 2}).status == "not_available"
    assert run("cagr_ratio", {2015: 1, 2020: 2}, base_year=2020).status == "not_available"


def test_linear_crosses_zero() -> None:
    """A balance from −50 (2015) to −30 (2020), target 0 in 2030: slope 4 a year, required 50/15 = 3.3333;
    R = 1.2 → substantial, score min(7.1429·1.2 − 4.2857, 5) = 4.2858; projected −30 + 4·10 = 10."""
    a = run("linear", {2015: -50, 2020: -30}, target=0, target_year=2030)
    assert a.status == "substantial_progress"
    assert a.components["R"] == pytest.approx(1.2)
    assert a.score == pytest.approx(4.2858, abs=1e-4) and a.projected == pytest.approx(10)


def test_linear_without_target() -> None:
    """A TDR-like ratio falls 0.5 → 0.4 in five years (decrease wanted): slope −0.02 a year, scale
    mean(0.5, 0.4) = 0.45, v = 0.02/0.45 = 0.044444 ≥ 0.015 → substantial; score min(500v − 5, 5) = 5."""
    a = run("linear", {2015: 0.5, 2020: 0.4}, "decrease")
    assert a.components["v"] == pytest.approx(0.044444, abs=1e-6)
    assert (a.status, a.score) == ("substantial_progress", 5.0)


def test_un_progress_chart() -> None:
    """10 → 12.5 (2015→2020), target 20 in 2030: projection 12.5·1.25² = 19.53125, r = 9.53125/10 =
    0.953125 ≥ 0.95 → on track. 10 → 11: projection 11·1.1² = 13.31, r = 0.331 → fair progress.
    Without a target 100 → 105: CAGR 1.05^(1/5) − 1 = 0.0098 → between 0.5 % and 2 %: fair progress."""
    a = run("un_progress_chart", {2015: 10, 2020: 12.5}, target=20, target_year=2030)
    assert a.status == "substantial_progress" and a.components["r"] == pytest.approx(0.953125)
    assert a.components["un_label"] == "on track"
    b = run("un_progress_chart", {2015: 10, 2020: 11}, target=20, target_year=2030)
    assert b.status == "moderate_progress" and b.components["r"] == pytest.approx(0.331)
    assert b.score == pytest.approx(2.5 * (0.331 - 0.1) / 0.85)
    c = run("un_progress_chart", {2015: 100, 2020: 105})
    assert c.status == "moderate_progress" and c.components["cagr_actual"] == pytest.approx(0.0098, abs=1e-4)
    d = run("un_progress_chart", {2015: 10, 2020: 20}, target=20, target_year=2030)
    assert d.status == "target_achieved"


def test_semaforo_bands_and_benchmark() -> None:
    """MCV's growth light: 1.2 % is orange (0 ≤ g < 3.4), −0.5 % red, 4.6 % green. Against a benchmark,
    unemployment 4.0 → 3.0 while the benchmark goes 5.5 → 5.0: lower level and a larger fall → green;
    with the benchmark 6.0 → 5.0 the fall is the same → yellow; above the benchmark → red."""
    assert run("semaforo", {2024: 1.2}, bands=MCV_GROWTH).components["light"] == "orange"
    assert run("semaforo", {2024: -0.5}, bands=MCV_GROWTH).status == "deterioration"
    assert run("semaforo", {2024: 4.6}, bands=MCV_GROWTH).status == "substantial_progress"
    ours = {2015: 4.0, 2024: 3.0}
    assert run("semaforo", ours, "decrease", benchmark={2015: 5.5, 2024: 5.0}).components["light"] == "green"
    assert run("semaforo", ours, "decrease", benchmark={2015: 6.0, 2024: 5.0}).components["light"] == "yellow"
    assert run("semaforo", ours, "decrease", benchmark={2015: 2.0, 2024: 2.5}).components["light"] == "red"


def test_unknown_method_and_direction() -> None:
    with pytest.raises(UnknownCodeError, match="magic"):
        run("magic", {2015: 1, 2020: 2})
    with pytest.raises(Exception, match="sideways"):
        run("linear", {2015: 1, 2020: 2}, "sideways")


positive = st.floats(min_value=0.5, max_value=1000, allow_nan=False)


@st.composite
def toward_target(draw: st.DrawFn) -> tuple[str, SeriesCase, SeriesCase]:
    """A case and the same case with the latest value moved toward its target (or desired direction)."""
    name = draw(st.sampled_from(["cagr_ratio", "linear", "un_progress_chart", "semaforo"]))
    direction = draw(st.sampled_from(["increase", "decrease"]))
    d = 1 if direction == "increase" else -1
    y0, yi = draw(positive), draw(positive)
    step = draw(st.floats(min_value=0.01, max_value=500))
    moved = yi + d * step
    assume(moved > 0.5)
    target = None
    if draw(st.booleans()):
        target = y0 + d * draw(st.floats(min_value=0.5, max_value=800))
        assume(target > 0.5)
    years = {2015: y0, 2021: yi}
    extra: dict[str, object] = {"target": target, "target_year": 2050}
    if name == "semaforo":
        extra = {"bands": MCV_GROWTH if d > 0 else LOW_IS_GOOD}
        if draw(st.booleans()):
            extra = {"benchmark": {2015: draw(positive), 2021: draw(positive)}}
    before = SeriesCase(values=years, direction=direction, **extra)  # type: ignore[arg-type]
    after = SeriesCase(values={2015: y0, 2021: moved}, direction=direction, **extra)  # type: ignore[arg-type]
    return name, before, after


@settings(deadline=None, max_examples=400)
@given(toward_target())
def test_moving_toward_the_target_never_worsens_the_status(case: tuple[str, SeriesCase, SeriesCase]) -> None:
    name, before, after = case
    a, b = assess(name, before), assess(name, after)
    assume(a.status != "not_available" and b.status != "not_available")
    assert RANK[b.status] >= RANK[a.status], (a, b)


@settings(deadline=None, max_examples=300)
@given(st.dictionaries(st.integers(2000, 2024), st.floats(-1e4, 1e4, allow_nan=False), min_size=2, max_size=8),
       st.sampled_from(["increase", "decrease"]), st.one_of(st.none(), st.floats(-1e4, 1e4, allow_nan=False)))
def test_linear_is_symmetric_under_negation(values: dict[int, float], direction: str, target: float | None) -> None:
    flipped = "decrease" if direction == "increase" else "increase"
    a = run("linear", values, direction, target=target)
    b = run("linear", {y: -v for y, v in values.items()}, flipped, target=None if target is None else -target)
    assert a.status == b.status
    assert (a.score is None and b.score is None) or a.score == pytest.approx(b.score)
