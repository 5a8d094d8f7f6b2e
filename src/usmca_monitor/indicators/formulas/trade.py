"""Trade formulas: flows, balance, total trade, the trade deficit ratio."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import ibis
import ibis.expr.types as ir

KEYS = ["geo", "partner", "product", "period", "freq"]
F = TypeVar("F", bound=Callable[..., ir.Table])


def sums_per_period(formula: F) -> F:
    """Mark a formula whose output for a period depends only on the sum, per key, of that period's
    input rows: the engine may then pass monthly rows labelled with their period, not pre-summed.
    Such a formula uses ``period`` only as a key, so it takes integer period codes too."""
    formula.sums_per_period = True  # type: ignore[attr-defined]
    return period_codes(formula)


def period_codes(formula: F) -> F:
    """Mark a formula that uses ``period`` only to group, join, compare for equality and order — or,
    in growth, to shift by whole years (``growth._shift_years``) — so that the engine may pass integer
    period codes (``periods.period_code``) and label the periods once, after the last formula."""
    formula.period_codes = True  # type: ignore[attr-defined]
    return formula


def _pivot(flows: ir.Table) -> ir.Table:
    """One row per key with exports ``x`` and imports ``m`` (a missing flow counts as 0)."""
    wide = flows.group_by(KEYS).aggregate(
        x=flows.value.sum(where=flows.flow == "export"),
        m=flows.value.sum(where=flows.flow == "import"),
    )
    return wide.mutate(x=wide.x.fill_null(0.0), m=wide.m.fill_null(0.0))


@sums_per_period
def flow_value(flows: ir.Table, flow: str) -> ir.Table:
    """The value of one flow (``export`` or ``import``) per key."""
    return flows.filter(flows.flow == flow).group_by(KEYS).aggregate(value=ibis._.value.sum())


@sums_per_period
def balance(flows: ir.Table) -> ir.Table:
    """Exports − imports (negative: a U.S. deficit)."""
    wide = _pivot(flows)
    return wide.select(*KEYS, value=wide.x - wide.m)


@sums_per_period
def total_trade(flows: ir.Table) -> ir.Table:
    """Exports + imports."""
    wide = _pivot(flows)
    return wide.select(*KEYS, value=wide.x + wide.m)


@sums_per_period
def deficit_ratio(flows: ir.Table) -> ir.Table:
    """TDR = (imports − exports) / exports. 0.5: $1.50 imported per $1 exported; < 0: a surplus.

    Undefined (null) when exports are zero.
    """
    wide = _pivot(flows)
    return wide.select(*KEYS, value=ibis.ifelse(wide.x != 0, (wide.m - wide.x) / wide.x, ibis.null("float64")))
