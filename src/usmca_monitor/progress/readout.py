"""Progress in plain terms: what a reader needs of one judged series, without the method's score.

The methods (``methods.py``) keep their scores on −5…5 (Statistics Canada parity depends on them); a
reader is shown instead, for each series: the baseline and the latest value, the pace achieved against
the pace needed (to reach the target, or the benchmark pace when no target value is set), a verdict in
words, the direction of travel since the baseline (the arrow, over the same window as the status) and
the path to the target with its milestones. Everything here is language-neutral; ``publish/`` turns the
verdict codes into sentences.

Verdicts:

* ``achieved`` — the latest value is at or beyond the target;
* ``on_track`` — substantial progress: fast enough to reach the target (or at least the benchmark pace);
* ``not_fast_enough`` — moderate progress: improving, but slower than the pace needed;
* ``too_slow`` — limited progress while improving: improving, but too slowly;
* ``unchanged`` — limited progress with no change since the baseline;
* ``worsening`` — deterioration: moving away from the target;
* ``band`` — a traffic light on the latest level (``light`` says which);
* ``benchmark`` — a traffic light against a benchmark's level and change;
* ``not_available`` — the series cannot be judged (``reason``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from usmca_monitor.model.goals import Milestone
from usmca_monitor.progress.methods import Assessment, SeriesCase, cagr

FLAT = 1e-9  # a relative change this small is no change
VERDICT_OF_STATUS = {"target_achieved": "achieved", "substantial_progress": "on_track",
                     "moderate_progress": "not_fast_enough", "deterioration": "worsening",
                     "not_available": "not_available"}
PROGRESSING = ("target_achieved", "substantial_progress", "moderate_progress")  # "progressing": moderate or better


@dataclass(frozen=True)
class Pace:
    """The pace achieved and the pace needed, in the series' own terms (signed).

    ``kind``: ``growth`` (a fraction a year: 0.01 is 1 % a year), ``change`` (units a year), ``level``
    (the latest level against band thresholds) or ``relative`` (the change since the baseline against
    the benchmark's change). ``needed_for`` says what ``needed`` reaches: ``target`` (the target value
    by the target year) or ``substantial`` (the benchmark pace of substantial progress, when no target
    value is set); ``moderate`` is then the benchmark pace of moderate progress."""

    kind: str
    achieved: float | None
    needed: float | None = None
    needed_for: str = ""
    moderate: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {"kind": self.kind, "achieved": self.achieved, "needed": self.needed, "needed_for": self.needed_for,
                "moderate": self.moderate}


@dataclass(frozen=True)
class PathPoint:
    """A milestone on the way to the target: the value projected at the current pace, and the value
    the series would have on the path needed."""

    year: int
    label: Any  # model.specs.Text
    projected: float | None
    needed: float | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {"year": self.year, "label": self.label.en, "projected": self.projected, "needed": self.needed}


@dataclass(frozen=True)
class Readout:
    """One series in plain terms (see the module docstring)."""

    status: str
    verdict: str
    travel: str  # better | worse | flat | none: since the baseline, against the desired direction
    baseline: tuple[int, float] | None
    latest: tuple[int, float] | None
    pace: Pace | None
    target: tuple[int, float] | None
    target_year: int
    direction: str
    path: list[PathPoint] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (the ``readout`` of ``usmca goals progress --format json``)."""
        def point(p: tuple[int, float] | None) -> dict[str, Any] | None:
            return None if p is None else {"year": p[0], "value": p[1]}

        return {"status": self.status, "verdict": self.verdict, "travel": self.travel,
                "baseline": point(self.baseline), "latest": point(self.latest),
                "pace": self.pace.as_dict() if self.pace else None, "target": point(self.target),
                "target_year": self.target_year, "direction": self.direction,
                "path": [p.as_dict() for p in self.path], "details": self.details, "reason": self.reason}


def travel_of(change: float | None, scale: float = 1.0) -> str:
    """``better``/``worse``/``flat`` for a change already signed by the desired direction."""
    if change is None or not math.isfinite(change):
        return "none"
    if abs(change) <= FLAT * max(abs(scale), 1.0):
        return "flat"
    return "better" if change > 0 else "worse"


def readout(method: str, case: SeriesCase, now: Assessment, milestones: Sequence[tuple[Milestone, float | None]]
            ) -> Readout:
    """The plain-terms reading of one assessment of ``case`` by ``method``."""
    comp = now.components
    base = _point(comp, "base_year", "y0")
    latest = _point(comp, "latest_year", "yi")
    target = (case.target_year, case.target) if case.target is not None else None
    common: dict[str, Any] = {"status": now.status, "baseline": base, "latest": latest, "target": target,
                              "target_year": case.target_year, "direction": case.direction, "reason": now.reason}
    if now.status == "not_available":
        return Readout(verdict="not_available", travel="none", pace=None, **common)
    if method == "semaforo":
        return _semaforo(case, now, common)
    assert base is not None and latest is not None
    travel = travel_of(case.d * (latest[1] - base[1]), base[1])
    pace = _pace(method, case, comp)
    verdict = VERDICT_OF_STATUS.get(now.status) or ("too_slow" if travel == "better" else "unchanged")
    path = [PathPoint(m.year, m.label, projected, needed_at(pace, base, m.year, method))
            for m, projected in milestones]
    return Readout(verdict=verdict, travel=travel, pace=pace, path=path, **common)


def _point(comp: Mapping[str, Any], year: str, value: str) -> tuple[int, float] | None:
    if comp.get(year) is None or comp.get(value) is None:
        return None
    return int(comp[year]), float(comp[value])


def _pace(method: str, case: SeriesCase, comp: Mapping[str, Any]) -> Pace:
    """The pace achieved and needed of the growth- and change-based methods."""
    if method == "linear":
        if case.target is not None:
            return Pace("change", comp.get("slope_actual"), comp.get("slope_required"), "target")
        scale = float(comp.get("scale") or 0.0)
        return Pace("change", comp.get("slope_actual"), case.d * 0.015 * scale, "substantial", case.d * 0.005 * scale)
    sign = int(comp.get("sign", -1 if float(comp.get("y0", 1.0)) < 0 else 1))
    if case.target is not None:
        return Pace("growth", comp.get("cagr_actual"), _growth_needed(method, case, comp), "target")
    if method == "un_progress_chart":
        return Pace("growth", comp.get("cagr_actual"), sign * case.d * 0.02, "substantial", sign * case.d * 0.005)
    c = float(comp.get("C", 1.0))
    return Pace("growth", comp.get("cagr_actual"), sign * case.d * 0.015 * c, "substantial",
                sign * case.d * 0.005 * c)


def _growth_needed(method: str, case: SeriesCase, comp: Mapping[str, Any]) -> float | None:
    """Growth a year needed to reach the target: from the baseline (cagr_ratio), or from the latest value
    to 95 % of the way by the target year (the UN progress chart's "on track")."""
    if method != "un_progress_chart":
        return comp.get("cagr_required")
    y0, yi, ti = float(comp["y0"]), float(comp["yi"]), int(comp["latest_year"])
    assert case.target is not None
    aim = y0 + 0.95 * (case.target - y0)
    if case.target_year <= ti or aim == 0 or yi == 0 or (aim < 0) != (yi < 0):
        return None
    return cagr(aim, yi, case.target_year, ti)


def needed_at(pace: Pace | None, base: tuple[int, float], year: int, method: str) -> float | None:
    """The value on the path needed in ``year``: from the baseline at the pace needed."""
    if pace is None or pace.needed is None or year < base[0]:
        return None
    if pace.kind == "change":
        return base[1] + pace.needed * (year - base[0])
    if method == "un_progress_chart" and pace.needed_for == "target":
        return None  # the UN chart's pace runs from the latest value, not from the baseline
    return base[1] * (1 + pace.needed) ** (year - base[0])


def _semaforo(case: SeriesCase, now: Assessment, common: dict[str, Any]) -> Readout:
    """Traffic lights: on the latest level (bands) or against a benchmark's level and change."""
    comp = now.components
    light = str(comp.get("light", ""))
    if "bands" in comp:
        years = sorted(y for y, v in case.values.items() if v is not None and math.isfinite(v))
        ti = years[-1]
        before = years[-2] if len(years) > 1 else None
        change = case.d * (case.values[ti] - case.values[before]) if before is not None else None
        details = {"light": light, "bands": comp["bands"],
                   "previous": None if before is None else {"year": before, "value": case.values[before]}}
        return Readout(verdict="band", travel=travel_of(change, case.values[ti]),
                       pace=Pace("level", case.values[ti]), details=details, **common)
    ours = float(comp["yi"]) - float(comp["y0"])
    theirs = float(comp["benchmark_yi"]) - float(comp["benchmark_y0"])
    details = {"light": light, "benchmark_y0": comp["benchmark_y0"], "benchmark_yi": comp["benchmark_yi"],
               "level_ahead": comp["level_gap"] >= 0, "change_ahead": comp["change_gap"] > 0}
    return Readout(verdict="benchmark", travel=travel_of(comp["change_gap"], theirs or 1.0),
                   pace=Pace("relative", ours, theirs, "benchmark"), details=details, **common)


def combined_travel(travels: Sequence[str]) -> str:
    """The direction of several series or targets: the common one, ``mixed`` when they disagree,
    ``none`` when none has one."""
    known = {t for t in travels if t not in ("none", "")}
    if not known:
        return "none"
    moving = known - {"flat"}
    if not moving:
        return "flat"
    return moving.pop() if len(moving) == 1 and "mixed" not in moving else "mixed"
