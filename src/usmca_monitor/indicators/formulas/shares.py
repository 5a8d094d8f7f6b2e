"""Shares and ranks of partners."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from usmca_monitor.indicators.formulas.trade import period_codes

KEYS = ["geo", "partner", "product", "period", "freq"]


@period_codes
def share_of_total(base: ir.Table, total: str = "WLD") -> ir.Table:
    """A partner's share (percent) of the ``total`` partner's value for the same geo, product, period."""
    totals = base.filter(base.partner == total).select(
        "geo", "product", "period", "freq", total_value="value")
    joined = base.join(totals, ["geo", "period", "freq", base["product"].identical_to(totals["product"])])
    return joined.select(*KEYS, value=ibis.ifelse(joined.total_value != 0,
                                                  100.0 * joined.value / joined.total_value,
                                                  ibis.null("float64")))


@period_codes
def rank_among_countries(base: ir.Table, areas: ir.Table) -> ir.Table:
    """Rank (1 = largest) of each country partner by value within geo, product and period;
    groups and totals are not ranked; ties share the best rank."""
    countries = areas.filter(areas.kind == "country").select(code="code")
    only = base.semi_join(countries, base.partner == countries.code)
    ranked = only.mutate(rank=ibis.rank().over(group_by=["geo", "product", "period", "freq"],
                                               order_by=ibis.desc("value")))
    return ranked.select(*KEYS, value=(ranked["rank"] + 1).cast("float64"))
