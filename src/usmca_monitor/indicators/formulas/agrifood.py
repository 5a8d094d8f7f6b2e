"""Agri-food formulas (Goal 3): values in constant dollars of a base year, and the import share of a
commodity's availability (imports / (production − exports + imports))."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

KEYS = ["geo", "partner", "product", "period", "freq"]


def constant_dollars(base: ir.Table, deflator: ir.Table, base_year: int = 2024, deflator_label: str = "") -> ir.Table:
    """``value × deflator[base_year] / deflator[period]``: nominal dollars in dollars of ``base_year``.

    ``deflator`` holds one price index per period (e.g. the CPI-U annual average); ``deflator_label``
    names it where the series is shown (it does not enter the computation). In ``base_year`` the factor
    is the index divided by itself, so the rebased value equals the nominal one exactly. Periods
    without an index, and any period when the base year has none, have no value."""
    index = deflator.select("period", "freq", index="value")
    anchor = deflator.filter(deflator.period == str(base_year)).select("freq", anchor="value")
    joined = base.join(index, ["period", "freq"]).join(anchor, "freq")
    return joined.select(*KEYS, value=ibis.ifelse(joined["index"] != 0,
                                                   joined.value * (joined.anchor / joined["index"]),
                                                   ibis.null("float64")))


def availability_share(production: ir.Table, exports: ir.Table, imports: ir.Table) -> ir.Table:
    """Imports as a percent of availability = production − exports + imports, by commodity and year
    (by volume; null when availability is not positive)."""
    match = ["geo", "product", "period", "freq"]
    prod = production.select(*match, production="value")
    exp = exports.select(*match, exports="value")
    joined = imports.join(prod, match).join(exp, match)
    available = joined.production - joined.exports + joined.value
    return joined.select(*KEYS, value=ibis.ifelse(available > 0, 100.0 * joined.value / available,
                                                   ibis.null("float64")))
