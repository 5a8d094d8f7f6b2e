"""Development formulas over annual World Bank series: published values as they are, ratios of two
series, sums, a level relative to a benchmark economy (convergence), and a group's share of a total."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import ibis
import ibis.expr.types as ir

KEYS = ["geo", "partner", "product", "period", "freq"]
MATCH = ["geo", "period", "freq"]
F = TypeVar("F", bound=Callable[..., ir.Table])


def as_is(function: F) -> F:
    """Mark a formula that shows published values unchanged (the engine then badges them ``official``)."""
    function.publishes_as_is = True  # type: ignore[attr-defined]
    return function


@as_is
def published(base: ir.Table) -> ir.Table:
    """The published series, unchanged (one value per economy and year)."""
    return base.select(*KEYS, "value")


@as_is
def by_edition(base: ir.Table, editions: dict[str, str] | None = None) -> ir.Table:
    """The published series with each period relabelled as the edition it belongs to (``editions``:
    publisher's period → edition year), the other periods unchanged. The World Bank's WDI publishes the
    Logistics Performance Index's 2023 edition (survey September–November 2022) under 2022, and the
    earlier editions under their edition year: ``{"2022": "2023"}`` labels every edition by its year, so
    growth between the 2018 and 2023 editions spans five years."""
    mapping = {str(k): str(v) for k, v in (editions or {}).items()}
    if not mapping:
        return published(base)
    period = base.period.substitute(mapping)
    relabelled = base.mutate(period=period)
    return relabelled.select(*KEYS, "value")


def _pair(a: ir.Table, b: ir.Table) -> ir.Table:
    right = b.select(*MATCH, other="value")
    return a.join(right, MATCH).select(*KEYS, "value", "other")


def ratio(numerator: ir.Table, denominator: ir.Table, scale: float = 100.0) -> ir.Table:
    """``scale`` × numerator / denominator for the same economy and year (null when the denominator is 0)."""
    j = _pair(numerator, denominator)
    return j.select(*KEYS, value=ibis.ifelse(j.other != 0, scale * j.value / j.other, ibis.null("float64")))


def total(first: ir.Table, second: ir.Table) -> ir.Table:
    """first + second for the same economy and year (only where both are published)."""
    j = _pair(first, second)
    return j.select(*KEYS, value=j.value + j.other)


def relative_to(base: ir.Table, benchmark: str = "USA", scale: float = 100.0) -> ir.Table:
    """Each economy's value as ``scale`` × value / the ``benchmark`` economy's value in the same year
    (100 = the benchmark's level): convergence of Mexico and Canada toward the United States."""
    bench = base.filter(base.geo == benchmark).select("period", "freq", bench="value")
    j = base.join(bench, ["period", "freq"])
    return j.select(*KEYS, value=ibis.ifelse(j.bench != 0, scale * j.value / j.bench, ibis.null("float64")))


def group_share(base: ir.Table, members: Sequence[str] = ("USA", "MEX", "CAN"), whole: str = "WLD",
                group: str = "USMCA", scale: float = 100.0) -> ir.Table:
    """``scale`` × (sum over ``members``) / the ``whole`` economy's value, as geo ``group``; only years in
    which every member is published."""
    rows = base.filter(base.geo.isin(list(members)))
    summed = rows.group_by(["period", "freq"]).aggregate(part=rows.value.sum(), n=rows.value.count())
    summed = summed.filter(summed.n == len(members))
    totals = base.filter(base.geo == whole).select("period", "freq", whole_value="value")
    j = summed.join(totals, ["period", "freq"])
    return j.select(geo=ibis.literal(group), partner=ibis.null("string"), product=ibis.null("string"),
                    period="period", freq="freq",
                    value=ibis.ifelse(j.whole_value != 0, scale * j.part / j.whole_value, ibis.null("float64")))
