"""Progress methods: judge one annual series against a target (or a desired direction) and return a
status, a score on −5…5, the value projected to the target year and every calculation component.

Methods are pluggable: each is a function ``(SeriesCase) -> Assessment`` registered in ``METHODS``
with ``@method("name")``. Status names are shared (``model/goals.py:STATUSES``); a score ≥ 2.5 reads
as substantial progress, ≥ 0 moderate, ≥ −2.5 limited, below that deterioration.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.goals import Band

ZERO_SUBSTITUTE = 0.001        # Open SDG: a base or target of exactly 0 becomes 0.001
RANK = {"target_achieved": 5, "substantial_progress": 4, "moderate_progress": 3, "limited_progress": 2,
        "deterioration": 1}
LIGHT_STATUS = {"green": "substantial_progress", "yellow": "moderate_progress", "orange": "limited_progress",
                "red": "deterioration"}
LIGHT_SCORE = {"green": 3.75, "yellow": 1.25, "orange": -1.25, "red": -3.75}  # mid-points of the score bands


@dataclass(frozen=True)
class SeriesCase:
    """What a method judges: annual values, the desired direction, an optional target and options."""

    values: Mapping[int, float]
    direction: str
    base_year: int | None = None
    target: float | None = None
    target_year: int = 2050
    limit: float | None = None
    bands: tuple[Band, ...] = ()
    benchmark: Mapping[int, float] | None = None
    scale: float | None = None

    @property
    def d(self) -> int:
        """+1 for increase, −1 for decrease."""
        return 1 if self.direction == "increase" else -1


@dataclass(frozen=True)
class Assessment:
    """The result of one method on one series."""

    method: str
    status: str
    score: float | None
    projected: float | None = None
    components: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (status, score, projected value, components, reason)."""
        return {"method": self.method, "status": self.status, "score": self.score, "projected": self.projected,
                "components": self.components, "reason": self.reason}


Method = Callable[[SeriesCase], Assessment]
METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Method], Method]:
    """Register a progress method under ``name``."""
    def register(function: Method) -> Method:
        METHODS[name] = function
        return function
    return register


def assess(name: str, case: SeriesCase) -> Assessment:
    """Run the method ``name`` on ``case``."""
    if name not in METHODS:
        raise UnknownCodeError(f"unknown progress method {name!r}", "--method", f"use one of: {', '.join(METHODS)}")
    if case.direction not in ("increase", "decrease"):
        raise DataError(f"unknown direction {case.direction!r}", "--direction", "use increase or decrease")
    return METHODS[name](case)


def not_available(name: str, reason: str, **components: Any) -> Assessment:
    """A series that cannot be judged, with the reason."""
    return Assessment(name, "not_available", None, None, components, reason)


def status_from_score(score: float) -> str:
    """Status of a (mean) score: ≥ 2.5 substantial, ≥ 0 moderate, ≥ −2.5 limited, below deterioration."""
    if score >= 2.5:
        return "substantial_progress"
    if score >= 0:
        return "moderate_progress"
    if score >= -2.5:
        return "limited_progress"
    return "deterioration"


def cagr(a: float, b: float, ta: int, tb: int) -> float:
    """CAGR(a, b, ta, tb) = (a/b)^(1/(ta−tb)) − 1 (a and b of the same sign, ta ≠ tb)."""
    return float((a / b) ** (1.0 / (ta - tb)) - 1.0)


def _nz(value: float) -> float:
    return ZERO_SUBSTITUTE if value == 0 else value


@dataclass(frozen=True)
class Window:
    """The base and latest points a method compares."""

    t0: int
    y0: float
    ti: int
    yi: float


def window(case: SeriesCase) -> Window | str:
    """Base (the given year, or the next year with data) and latest point, or why there are none."""
    years = sorted(y for y, v in case.values.items() if v is not None and math.isfinite(v))
    if len(years) < 2:
        return "fewer than two years with data"
    start = case.base_year if case.base_year is not None else years[0]
    after = [y for y in years if y >= start]
    if len(after) < 2:
        return f"fewer than two years with data from the base year {start} on"
    t0, ti = after[0], after[-1]
    return Window(t0, float(case.values[t0]), ti, float(case.values[ti]))


def achieved(case: SeriesCase, latest: float) -> bool:
    """Whether ``latest`` is at or beyond the target in the desired direction."""
    assert case.target is not None
    return latest >= case.target if case.d > 0 else latest <= case.target


def ratio_score(r: float) -> float:
    """Open SDG's score of a ratio R of actual to required growth."""
    return min(7.1429 * r - 4.2857, 5.0) if r >= 0.60 else max(4.1667 * r - 2.5, -5.0)


def ratio_status(r: float) -> str:
    """R ≥ 0.95 substantial, ≥ 0.60 moderate, ≥ 0 limited, < 0 deterioration."""
    if r >= 0.95:
        return "substantial_progress"
    if r >= 0.60:
        return "moderate_progress"
    if r >= 0:
        return "limited_progress"
    return "deterioration"


def closeness(base: float, limit: float | None) -> float:
    """C: 1 without a natural limit; otherwise how far the base is from the limit L (b = |y0|)."""
    if limit is None:
        return 1.0
    b, lim = abs(base), abs(limit)
    if b >= 2 * lim:
        return 1.0
    if b <= lim:
        return 1.0 - (b / lim) ** 4.44
    return 1.0 - ((2 * lim - b) / lim) ** 4.44


def growth_status(v: float, c: float) -> str:
    """Without a target: v against 0.015·C, 0.005·C and 0."""
    if v < 0:
        return "deterioration"
    if v < 0.005 * c:
        return "limited_progress"
    if v < 0.015 * c:
        return "moderate_progress"
    return "substantial_progress"


def growth_score(v: float, c: float) -> float:
    """Without a target: Open SDG's piecewise score of v (C > 0)."""
    if v < 0:
        return max(125 * v - 2.5, -5.0)
    if v < 0.005 * c:
        return 500 * v / c - 2.5
    if v < 0.015 * c:
        return 250 * v / c - 1.25
    return min(500 * v / c - 5, 5.0)


@method("cagr_ratio")
def cagr_ratio(case: SeriesCase) -> Assessment:
    """Statistics Canada's method (Open SDG's automatic progress measure): compound annual growth
    since the base year against the growth needed to reach the target, or against 1.5 % / 0.5 % a year."""
    name = "cagr_ratio"
    win = window(case)
    if isinstance(win, str):
        return not_available(name, win)
    y0, yi = _nz(win.y0), _nz(win.yi)
    comp: dict[str, Any] = {"base_year": win.t0, "y0": win.y0, "latest_year": win.ti, "yi": win.yi, "d": case.d}
    if (y0 < 0) != (yi < 0):
        return not_available(name, "base and latest values have opposite signs; use the linear method", **comp)
    sign = -1 if y0 < 0 else 1
    comp["sign"] = sign
    actual = cagr(yi, y0, win.ti, win.t0)
    comp["cagr_actual"] = actual
    projected = yi * (1 + actual) ** (case.target_year - win.ti)
    if case.target is not None:
        return _cagr_with_target(case, win, comp, actual, projected, sign)
    c = closeness(y0, case.limit)
    v = sign * case.d * actual
    comp.update({"limit": case.limit, "C": c, "v": v, "thresholds": [0.015 * c, 0.005 * c, 0.0]})
    if c <= 0:
        comp["note"] = "the base value is at the natural limit"
        status = "substantial_progress" if v >= 0 else "deterioration"
        return Assessment(name, status, 5.0 if v >= 0 else max(125 * v - 2.5, -5.0), projected, comp)
    return Assessment(name, growth_status(v, c), growth_score(v, c), projected, comp)


def _cagr_with_target(case: SeriesCase, win: Window, comp: dict[str, Any], actual: float, projected: float,
                      sign: int) -> Assessment:
    name = "cagr_ratio"
    assert case.target is not None
    comp.update({"yT": case.target, "target_year": case.target_year})
    if achieved(case, win.yi):
        return Assessment(name, "target_achieved", 5.0, projected, comp)
    y0, yt = _nz(win.y0), _nz(case.target)
    if (y0 < 0) != (yt < 0):
        return not_available(name, "base and target have opposite signs; use the linear method", **comp)
    required = cagr(yt, y0, case.target_year, win.t0)
    comp["cagr_required"] = required
    if required == 0:
        comp["note"] = "the target equals the base value, so any move away from it is a deterioration"
        return Assessment(name, "deterioration", -5.0, projected, comp)
    r = sign * case.d * actual / abs(required)
    comp["R"] = r
    return Assessment(name, ratio_status(r), ratio_score(r), projected, comp)


@method("linear")
def linear(case: SeriesCase) -> Assessment:
    """Absolute change per year against the change required to reach the target (for series that are
    negative or cross zero, where growth rates are undefined). Without a target, the change per year
    relative to a scale (``scale``, else the mean absolute level over the window) is judged like a
    growth rate (1.5 % / 0.5 % a year)."""
    name = "linear"
    win = window(case)
    if isinstance(win, str):
        return not_available(name, win)
    slope = (win.yi - win.y0) / (win.ti - win.t0)
    projected = win.yi + slope * (case.target_year - win.ti)
    comp: dict[str, Any] = {"base_year": win.t0, "y0": win.y0, "latest_year": win.ti, "yi": win.yi, "d": case.d,
                            "slope_actual": slope}
    if case.target is not None:
        comp.update({"yT": case.target, "target_year": case.target_year})
        if achieved(case, win.yi):
            return Assessment(name, "target_achieved", 5.0, projected, comp)
        required = (case.target - win.y0) / (case.target_year - win.t0)
        comp["slope_required"] = required
        if required == 0:
            return Assessment(name, "deterioration", -5.0, projected, comp)
        r = case.d * slope / abs(required)
        comp["R"] = r
        return Assessment(name, ratio_status(r), ratio_score(r), projected, comp)
    levels = [abs(v) for y, v in case.values.items() if win.t0 <= y <= win.ti]
    scale = case.scale if case.scale else sum(levels) / len(levels)
    if scale == 0:
        return not_available(name, "the series is zero throughout; no scale to judge a change against", **comp)
    v = case.d * slope / abs(scale)
    comp.update({"scale": abs(scale), "v": v, "thresholds": [0.015, 0.005, 0.0]})
    return Assessment(name, growth_status(v, 1.0), growth_score(v, 1.0), projected, comp)


def _band(r: float, edges: tuple[float, float, float]) -> float:
    """A continuous score on −5…5 whose bands meet the status edges (hi → 2.5, mid → 0, lo → −2.5)."""
    hi, mid, lo = edges
    if r >= hi:
        return min(2.5 + 2.5 * (r - hi) / max(hi - mid, 1e-12), 5.0)
    if r >= mid:
        return 2.5 * (r - mid) / (hi - mid)
    if r >= lo:
        return -2.5 + 2.5 * (r - lo) / max(mid - lo, 1e-12)
    return max(-2.5 + 2.5 * (r - lo) / max(mid - lo, 1e-12), -5.0)


@method("un_progress_chart")
def un_progress_chart(case: SeriesCase) -> Assessment:
    """The UN Statistics Division's progress chart: project the latest value at its CAGR to the target
    year; r = (projection − y0) / (yT − y0): ≥ 0.95 on track, ≥ 0.10 fair progress, ≥ 0 stagnation,
    < 0 regression. Without a target: CAGR ≥ 2 % / ≥ 0.5 % a year in the desired direction."""
    name = "un_progress_chart"
    win = window(case)
    if isinstance(win, str):
        return not_available(name, win)
    comp: dict[str, Any] = {"base_year": win.t0, "y0": win.y0, "latest_year": win.ti, "yi": win.yi, "d": case.d}
    if case.target is not None:
        comp.update({"yT": case.target, "target_year": case.target_year})
        if achieved(case, win.yi):
            return Assessment(name, "target_achieved", 5.0, win.yi, {**comp, "un_label": "target met"})
    y0, yi = _nz(win.y0), _nz(win.yi)
    if (y0 < 0) != (yi < 0):
        return not_available(name, "base and latest values have opposite signs", **comp)
    sign = -1 if y0 < 0 else 1
    rate = cagr(yi, y0, win.ti, win.t0)
    projected = yi * (1 + rate) ** (case.target_year - win.ti)
    comp.update({"cagr_actual": rate, "projection": projected})
    if case.target is None:
        v = sign * case.d * rate
        comp.update({"v": v, "thresholds": [0.02, 0.005, 0.0]})
        status = _un_status(v, (0.02, 0.005))
        return Assessment(name, status[0], _band(v, (0.02, 0.005, 0.0)), projected, {**comp, "un_label": status[1]})
    gap = case.target - win.y0
    if gap == 0:
        return Assessment(name, "deterioration", -5.0, projected, comp, "the target equals the base value")
    r = case.d * (projected - win.y0) / abs(gap)
    comp["r"] = r
    status = _un_status(r, (0.95, 0.10))
    return Assessment(name, status[0], _band(r, (0.95, 0.10, 0.0)), projected, {**comp, "un_label": status[1]})


def _un_status(r: float, edges: tuple[float, float]) -> tuple[str, str]:
    if r >= edges[0]:
        return "substantial_progress", "on track"
    if r >= edges[1]:
        return "moderate_progress", "fair progress, acceleration needed"
    if r >= 0:
        return "limited_progress", "stagnation"
    return "deterioration", "regression"


@method("semaforo")
def semaforo(case: SeriesCase) -> Assessment:
    """México, ¿cómo vamos?-style traffic light: the latest value against the target's bands, or
    against a benchmark geo (green: better level and better change; yellow: better level only; red:
    worse level)."""
    name = "semaforo"
    years = sorted(y for y, v in case.values.items() if v is not None and math.isfinite(v))
    if not years:
        return not_available(name, "no data")
    if case.bands:
        ti = years[-1]
        light = light_from_bands(case.values[ti], case.bands)
        comp = {"latest_year": ti, "yi": case.values[ti], "light": light,
                "bands": [b.model_dump(exclude_none=True) for b in case.bands]}
        return Assessment(name, LIGHT_STATUS[light], LIGHT_SCORE[light], None, comp)
    if case.benchmark is None:
        return not_available(name, "the semaforo needs bands or a benchmark")
    return _versus_benchmark(case, years)


def light_from_bands(value: float, bands: tuple[Band, ...]) -> str:
    """The light of ``value``: the first band whose bound it meets (bands listed best first)."""
    for band in bands:
        if band.at_least is not None and value >= band.at_least:
            return band.light
        if band.at_most is not None and value <= band.at_most:
            return band.light
        if band.at_least is None and band.at_most is None:
            return band.light
    return "red"


def _versus_benchmark(case: SeriesCase, years: list[int]) -> Assessment:
    assert case.benchmark is not None
    common = [y for y in years if case.benchmark.get(y) is not None]
    if case.base_year is not None:
        common = [y for y in common if y >= case.base_year]
    if len(common) < 2:
        return not_available("semaforo", "fewer than two years shared with the benchmark")
    t0, ti = common[0], common[-1]
    ours, theirs = case.values, case.benchmark
    level_gap = case.d * (ours[ti] - theirs[ti])
    change_gap = case.d * ((ours[ti] - ours[t0]) - (theirs[ti] - theirs[t0]))
    light = "red" if level_gap < 0 else ("green" if change_gap > 0 else "yellow")
    comp = {"base_year": t0, "latest_year": ti, "y0": ours[t0], "yi": ours[ti], "benchmark_y0": theirs[t0],
            "benchmark_yi": theirs[ti], "level_gap": level_gap, "change_gap": change_gap, "light": light}
    return Assessment("semaforo", LIGHT_STATUS[light], LIGHT_SCORE[light], None, comp)


def previous(case: SeriesCase) -> SeriesCase:
    """The same case without its latest year (to tell the trend of a status)."""
    years = sorted(case.values)
    return replace(case, values={y: case.values[y] for y in years[:-1]})
