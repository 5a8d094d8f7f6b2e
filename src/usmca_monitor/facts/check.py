"""Check every fact of catalog/facts/ against the data: the value computed for the report's period,
the latest value, and whether the report's figure agrees within its stated precision."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import ibis.expr.types as ir

from usmca_monitor.codelists import read_specs
from usmca_monitor.indicators.engine import Engine, _at_frequency
from usmca_monitor.indicators.periods import parse_period
from usmca_monitor.model.errors import DataError, UsmcaError
from usmca_monitor.model.facts import FactSpec, FactTerm

STATUSES = ("agrees", "diverges", "awaiting_data", "narrative")
_OPS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.USub: operator.neg, ast.UAdd: operator.pos}


@cache
def fact_specs() -> dict[str, FactSpec]:
    """All fact specs by id (each id once), from ``catalog/facts/**/*.yaml``."""
    return read_specs("facts", FactSpec)


@dataclass
class FactResult:
    """A fact checked: the report's figure beside the value computed for its period and the latest."""

    spec: FactSpec
    status: str
    computed_value: float | None = None
    latest_value: float | None = None
    latest_period: str | None = None
    series: dict[str, float] = field(default_factory=dict)  # period → computed value
    vintages: dict[str, str] = field(default_factory=dict)  # source id → vintage
    badge: str | None = None
    reason: str = ""

    @property
    def difference(self) -> float | None:
        """Computed minus report value, in the fact's unit (None unless both exist, or when the report
        states a bound such as "over 16" or "top two")."""
        if self.computed_value is None or self.spec.value is None or self.spec.qualifier not in ("=", "~"):
            return None
        return self.computed_value - self.spec.value

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (the ``usmca facts check --format json`` entry)."""
        spec = self.spec
        return {"id": spec.id, "report_item": spec.report_item, "goal": spec.goal, "kind": spec.kind,
                "status": self.status, "statement": spec.statement.en, "report_value": spec.value,
                "report_value_text": spec.value_text or None, "qualifier": spec.qualifier,
                "precision": spec.precision, "unit": spec.unit, "period": spec.period or None,
                "computed_value": self.computed_value, "latest_value": self.latest_value,
                "latest_period": self.latest_period, "difference": self.difference, "badge": self.badge,
                "vintages": self.vintages, "cited_source": spec.cited_source, "awaits": spec.awaits,
                "reason": self.reason or None}


def rounded(value: float, precision: int) -> Decimal:
    """``value`` rounded half away from zero to ``precision`` decimals (as printed in a report)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def agrees(spec: FactSpec, computed: float) -> bool:
    """Whether ``computed`` agrees with the report's figure within its stated precision: it rounds to
    the figure at the report's precision (``=``, ``~``), or satisfies the report's bound (``>`` …)."""
    assert spec.value is not None
    if spec.qualifier in ("=", "~"):
        return rounded(computed, spec.precision) == rounded(spec.value, spec.precision)
    compare: dict[str, Callable[[float, float], bool]] = {
        ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
    return compare[spec.qualifier](computed, spec.value)


def evaluate(expr: str, values: Mapping[str, float]) -> float | None:
    """The arithmetic expression ``expr`` over ``values`` (None on a division by zero)."""
    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.BinOp):
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp):
            return _OPS[type(node.op)](walk(node.operand))
        raise DataError(f"unsupported expression {expr!r}", "compute.expr", "use + - * / and term names")
    try:
        return walk(ast.parse(expr, mode="eval"))
    except ZeroDivisionError:
        return None


@dataclass
class _TermValues:
    by_period: dict[str, float]
    vintages: dict[str, str]
    statuses: frozenset[str]
    published: bool


def _select(table: ir.Table, column: str, wanted: str | list[str] | None, countries: list[str]) -> ir.Table:
    if wanted is None:
        return table
    if wanted == "*":
        return table.filter(table[column].isin(countries))
    if isinstance(wanted, list):
        return table.filter(table[column].isin(wanted))
    return table.filter(table[column] == wanted)


def term_values(engine: Engine, term: FactTerm, freq: str, ytd_month: int | None) -> _TermValues:
    """The values of one term per period at ``freq`` (summed or counted over the selection)."""
    if term.indicator is not None:
        result = engine.compute(term.indicator, freq, ytd_month)
        table, vintages, statuses, published = result.table, result.vintages, result.statuses, result.published
    else:
        assert term.series is not None
        if term.series not in engine.series:
            raise DataError(f"series {term.series!r} is not in the store", "catalog/facts",
                            "load it with `usmca build` (embedded snapshot) or `usmca update`")
        found = engine.series[term.series]
        measures = [term.measure] if isinstance(term.measure, str) else term.measure
        rows = found.table.filter((found.table.series == term.series) & found.table.measure.isin(measures))
        if term.flow is not None:
            rows = rows.filter(rows.flow == term.flow)
        table = _at_frequency(rows, freq, ytd_month, found.freqs)
        vintages, statuses, published = {found.source_id: found.vintage}, found.statuses, True
    countries = sorted(code for code, area in engine.codelists.areas.items() if area.kind == "country")
    for column, wanted in (("geo", term.geo), ("partner", term.partner), ("product", term.product)):
        table = _select(table, column, wanted, countries)
    value = table.value.count() if term.agg == "count" else table.value.sum()
    grouped = table.filter(table.value.notnull()).group_by("period").aggregate(value=value)
    by_period = {row["period"]: float(row["value"]) for row in grouped.to_pyarrow().to_pylist()}
    if term.at is not None:  # a pinned period (a base year): the same value for every period
        by_period = {"*": by_period[term.at]} if term.at in by_period else {}
    return _TermValues(by_period, dict(vintages), frozenset(statuses), published)


def check_fact(spec: FactSpec, engine: Engine | None) -> FactResult:
    """One fact checked against the engine's data (``engine`` None: nothing computed)."""
    if spec.compute is None:
        status = "narrative" if spec.kind == "narrative" else "awaiting_data"
        return FactResult(spec, status, reason="; ".join(spec.awaits))
    if engine is None:
        return FactResult(spec, "awaiting_data", reason="no data store")
    asked = parse_period(spec.period)
    try:
        terms = {name: term_values(engine, term, asked.freq, asked.ytd_month)
                 for name, term in spec.compute.terms.items()}
    except UsmcaError as exc:  # an input not in the store (or not in this catalog): the fact awaits it
        return FactResult(spec, "awaiting_data", reason=str(exc))
    pinned = {name: t.by_period.get("*") for name, t in terms.items() if spec.compute.terms[name].at}
    moving = [set(t.by_period) for name, t in terms.items() if name not in pinned]
    common = set.intersection(*moving) if moving and all(v is not None for v in pinned.values()) else set()
    series: dict[str, float] = {}
    for period in sorted(common):
        value = evaluate(spec.compute.expr, {name: t.by_period["*" if name in pinned else period]
                                             for name, t in terms.items()})
        if value is not None:
            series[period] = value / spec.compute.scale
    vintages = {s: v for t in terms.values() for s, v in t.vintages.items()}
    statuses = frozenset().union(*(t.statuses for t in terms.values()))
    single = len(terms) == 1 and spec.compute.expr.strip() in terms and all(
        isinstance(t.measure, str) and t.agg == "sum" and not isinstance(t.geo, list) and t.geo != "*"
        and not isinstance(t.partner, list) for t in spec.compute.terms.values())
    badge = "report" if "report" in statuses else (
        "official" if single and all(t.published for t in terms.values()) else "computed")
    latest = max(series) if series else None
    result = FactResult(spec, "awaiting_data", series.get(spec.period), series[latest] if latest else None,
                        latest, series, vintages, badge)
    if result.computed_value is None:
        result.reason = f"no value for {spec.period} in the data" + (f" (latest: {latest})" if latest else "")
        return result
    result.status = "agrees" if agrees(spec, result.computed_value) else "diverges"
    return result


def check_facts(engine: Engine | None, specs: Mapping[str, FactSpec] | None = None) -> list[FactResult]:
    """Every fact checked, in catalog order (goal, then id)."""
    chosen = fact_specs() if specs is None else specs
    ordered = sorted(chosen.values(), key=lambda s: (s.goal or 99, s.id))
    return [check_fact(spec, engine) for spec in ordered]


def summarize(results: list[FactResult]) -> dict[str, int]:
    """Counts per status (agrees, diverges, awaiting_data, narrative)."""
    return {status: sum(1 for r in results if r.status == status) for status in STATUSES}


def summary_line(summary: Mapping[str, int]) -> str:
    """One line: how many facts, how many computed from the data, and the counts per status."""
    total = sum(summary.values())
    computed = summary["agrees"] + summary["diverges"]
    return (f"{total} facts: {computed} computed ({summary['agrees']} agree, {summary['diverges']} diverge), "
            f"{summary['awaiting_data']} awaiting data, {summary['narrative']} narrative")
