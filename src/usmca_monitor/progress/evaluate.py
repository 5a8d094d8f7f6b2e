"""Judge the catalog's targets on data: every target's series from the indicator engine, its method,
milestone projections, the roll-up to targets and goals, and the trend against a year earlier."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from usmca_monitor.indicators.engine import Engine
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.model.goals import GoalSpec, Milestone, TargetSpec
from usmca_monitor.model.specs import Text
from usmca_monitor.progress.catalog import GoalsCatalog
from usmca_monitor.progress.methods import Assessment, SeriesCase, assess, previous
from usmca_monitor.progress.readout import Readout, combined_travel, readout
from usmca_monitor.progress.rollup import Rolled, combine, goal_rollup, north_america, states_rollup, trend

SeriesKey = tuple[str, str | None, str | None]  # geo, partner, product


@dataclass
class IndicatorSeries:
    """An indicator's annual values by (geo, partner, product), with provenance."""

    indicator: str
    title: Text
    unit: str
    badge: str
    source: str
    vintages: dict[str, str]
    rows: dict[SeriesKey, dict[int, float]]

    def values(self, geo: str, partner: str | None, product: str | None) -> dict[int, float]:
        """The series of one selection (empty when absent)."""
        return self.rows.get((geo, partner, product), {})


def indicator_series(engine: Engine, indicator: str) -> IndicatorSeries:
    """The annual values of ``indicator`` from the engine."""
    spec = get_spec(indicator)
    result = engine.compute(indicator, "A")
    rows: dict[SeriesKey, dict[int, float]] = {}
    for row in result.table.to_pyarrow().to_pylist():
        if row["value"] is None:
            continue
        key = (row["geo"], row["partner"], row["product"])
        rows.setdefault(key, {})[int(str(row["period"])[:4])] = float(row["value"])
    return IndicatorSeries(indicator=indicator, title=spec.title, unit=spec.unit, badge=result.badge,
                           source=spec.source_note, vintages=dict(result.vintages), rows=rows)


@dataclass
class SeriesResult:
    """One series of a target, judged now and a year earlier, with projections at the milestones."""

    geo: str
    partner: str | None
    values: dict[int, float]
    assessment: Assessment
    before: Assessment
    milestones: list[tuple[Milestone, float | None]] = field(default_factory=list)
    readout: Readout | None = None

    @property
    def travel(self) -> str:
        """``better``, ``worse``, ``flat`` or ``none``: the change since the baseline against the desired
        direction (the window of the status)."""
        return self.readout.travel if self.readout else "none"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (``score`` is the method's, on −5…5; ``readout`` is the plain reading)."""
        return {"geo": self.geo, "partner": self.partner, "values": {str(y): v for y, v in sorted(self.values.items())},
                **self.assessment.as_dict(), "status_a_year_earlier": self.before.status,
                "score_a_year_earlier": self.before.score,
                "milestones": [{"year": m.year, "projected": p} for m, p in self.milestones],
                "readout": self.readout.as_dict() if self.readout else None}


@dataclass
class TargetResult:
    """A target judged: its series, the roll-up, and where the numbers come from."""

    goal: int
    spec: TargetSpec
    series: list[SeriesResult]
    rolled: Rolled
    before: Rolled
    data: IndicatorSeries | None = None
    reason: str = ""

    @property
    def trend(self) -> str:
        """``up``, ``down``, ``flat`` or ``none``: the score against the assessment a year earlier (for
        analysts; the public arrow is ``travel``)."""
        return trend(self.rolled.score, self.before.score)

    @property
    def travel(self) -> str:
        """The series' common direction of travel since the baseline, ``mixed`` when they disagree."""
        return combined_travel([s.travel for s in self.series])

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with every component."""
        spec = self.spec
        out: dict[str, Any] = {
            "goal": self.goal, "target": spec.id, "title": spec.title.en, "indicator": spec.indicator,
            "method": spec.method, "direction": spec.direction, "baseline_year": spec.baseline_year,
            "target_value": spec.target_value, "target_year": spec.target_year, "proposed": spec.proposed,
            "crosses_zero": spec.crosses_zero, **self.rolled.as_dict(), "trend": self.trend,
            "travel": self.travel, "reason": self.reason, "series": [s.as_dict() for s in self.series]}
        if self.data is not None:
            out.update({"unit": self.data.unit, "badge": self.data.badge, "source": self.data.source,
                        "vintages": self.data.vintages})
        if spec.citation is not None:
            out["citation"] = spec.citation.model_dump()
        return out


@dataclass
class GoalResult:
    """A goal judged from its targets."""

    spec: GoalSpec
    targets: list[TargetResult]
    rolled: Rolled
    before: Rolled

    @property
    def trend(self) -> str:
        """``up``, ``down``, ``flat`` or ``none``: the score against a year earlier (for analysts)."""
        return trend(self.rolled.score, self.before.score)

    @property
    def travel(self) -> str:
        """The targets' common direction of travel, ``mixed`` when they disagree."""
        return combined_travel([t.travel for t in self.targets])

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {"goal": self.spec.id, "name": self.spec.name.en, **self.rolled.as_dict(), "trend": self.trend,
                "travel": self.travel, "targets": [t.as_dict() for t in self.targets]}


def case_for(target: TargetSpec, values: Mapping[int, float], benchmark: Mapping[int, float] | None) -> SeriesCase:
    """The method's input for one series of ``target``."""
    return SeriesCase(values=dict(values), direction=target.direction, base_year=target.baseline_year,
                      target=target.target_value, target_year=target.target_year, limit=target.params.limit,
                      bands=tuple(target.params.bands), benchmark=benchmark, scale=target.params.scale)


def judge_series(target: TargetSpec, geo: str, partner: str | None, values: Mapping[int, float],
                 benchmark: Mapping[int, float] | None, milestones: Sequence[Milestone]) -> SeriesResult:
    """One series: the assessment now, a year earlier, and the value projected at each milestone."""
    case = case_for(target, values, benchmark)
    now = assess(target.method, case)
    earlier = assess(target.method, previous(case)) if len(values) > 1 else now
    projections = []
    for milestone in milestones:
        at = assess(target.method, replace(case, target_year=milestone.year)).projected
        projections.append((milestone, at))
    plain = readout(target.method, case, now, projections)
    return SeriesResult(geo, partner, dict(values), now, earlier, projections, plain)


Loader = Callable[[str], IndicatorSeries]


def judge_target(goal: int, target: TargetSpec, load: Loader, defaults: Sequence[Milestone]) -> TargetResult:
    """A target: each selected series judged, then rolled up (North America aggregate or mean)."""
    if target.indicator is None:
        reason = target.pending.en if target.pending else "no indicator"
        empty = Rolled("not_available", None, 0, 0)
        return TargetResult(goal, target, [], empty, empty, None, reason)
    data = load(target.indicator)
    sel = target.selection
    bench = data.values(target.params.benchmark, None, sel.product) if target.params.benchmark else None
    milestones = target.milestones or [m for m in defaults if m.year <= target.target_year]
    series = [judge_series(target, geo, partner, data.values(geo, partner, sel.product), bench, milestones)
              for geo in selected_geos(target, data) for partner in sel.partner]
    rolled, before = _roll(target, series, load)
    reason = "" if rolled.status != "not_available" else "; ".join(
        sorted({s.assessment.reason for s in series if s.assessment.reason})) or "no data for the selection"
    return TargetResult(goal, target, series, rolled, before, data, reason)


def selected_geos(target: TargetSpec, data: IndicatorSeries) -> list[str]:
    """The reporter geos of a target: its list, or every subdivision of ``subdivisions_of`` in the data."""
    countries = target.selection.subdivisions_of
    if not countries:
        return list(target.selection.geo)
    country_of = subdivision_countries()
    return sorted({geo for geo, _, _ in data.rows if country_of.get(geo) in countries})


def subdivision_countries() -> dict[str, str]:
    """ISO 3166-2 subdivision code → its country (ISO 3166-1 alpha-3), from the codelists."""
    from usmca_monitor.codelists import subdivision_entries

    return {str(item["iso"]): str(item["country"]) for item in subdivision_entries()}


def _roll(target: TargetSpec, series: list[SeriesResult], load: Loader) -> tuple[Rolled, Rolled]:
    agg = target.aggregate
    if agg.method == "states":
        country_of = subdivision_countries()
        totals = {c: sum(1 for s in country_of.values() if s == c) for c in target.selection.subdivisions_of}
        return (states_rollup({s.geo: s.assessment for s in series}, country_of, totals),
                states_rollup({s.geo: s.before for s in series}, country_of, totals))
    if agg.method == "none" or len(target.selection.geo) < 2:
        return combine([s.assessment for s in series]), combine([s.before for s in series])
    weights, year = _weights(load(agg.weights), target.selection.geo) if agg.method == "weighted" and agg.weights \
        else (None, None)
    members = target.selection.geo
    now = north_america({s.geo: s.assessment for s in series}, weights=weights, min_coverage=agg.min_coverage,
                        members=members)
    earlier = north_america({s.geo: s.before for s in series}, weights=weights, min_coverage=agg.min_coverage,
                            members=members)
    if weights is not None:
        for rolled in (now, earlier):
            rolled.components.update({"weights_indicator": agg.weights, "weights_year": year})
    return now, earlier


def _weights(data: IndicatorSeries, members: Sequence[str]) -> tuple[dict[str, float], int | None]:
    """Each member's value in the latest year all members have (e.g. GDP), as weights, and that year."""
    years = set.intersection(*(set(data.values(g, None, None)) for g in members)) if members else set()
    if not years:
        return {}, None
    year = max(years)
    return {g: data.values(g, None, None)[year] for g in members}, year


def judge_goals(catalog: GoalsCatalog, load: Loader, rollup: str | None = None) -> list[GoalResult]:
    """Every goal of the catalog judged (``rollup`` overrides each goal's own rule)."""
    results = []
    for goal in catalog.goals:
        targets = [judge_target(goal.id, t, load, catalog.milestones) for t in goal.targets]
        rule = rollup or goal.rollup
        results.append(GoalResult(goal, targets, goal_rollup([t.rolled for t in targets], rule),
                                  goal_rollup([t.before for t in targets], rule)))
    return results


def engine_loader(engine: Engine) -> Loader:
    """A loader that computes each indicator once."""
    cache: dict[str, IndicatorSeries] = {}

    def load(indicator: str) -> IndicatorSeries:
        if indicator not in cache:
            cache[indicator] = indicator_series(engine, indicator)
        return cache[indicator]
    return load
