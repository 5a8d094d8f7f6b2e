"""Agri-food formulas (Goal 3): trade by flow (the flow named in the product code), values in constant
dollars of a base year, and the import share of a commodity's availability (imports / (production −
exports + imports))."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from usmca_monitor.indicators.formulas.development import as_is

KEYS = ["geo", "partner", "product", "period", "freq"]


@as_is
def by_flow(base: ir.Table) -> ir.Table:
    """Published values unchanged, the flow written into the product code (indicator rows have no flow
    key): ``ERS:agricultural_total`` exported → ``ERS:agricultural_total/export``."""
    return base.select("geo", "partner", "period", "freq", "value",
                       product=base["product"].concat(ibis.literal("/"), base.flow))


def constant_dollars(base: ir.Table, deflator: ir.Table, base_year: int = 2024,
                     deflator_label: object = "") -> ir.Table:
    """``value × deflator[base_year] / deflator[period]``: nominal dollars in dollars of ``base_year``.

    ``deflator`` holds one price index per period (e.g. the CPI-U annual average); ``deflator_label``
    names it where the series is shown (a text, or ``{en, es, fr}``: ``IndicatorSpec.param_text``; it does not
    enter the computation). In ``base_year`` the factor
    is the index divided by itself, so the rebased value equals the nominal one exactly. Periods
    without an index, and any period when the base year has none, have no value."""
    index = deflator.select("period", "freq", index="value")
    anchor = deflator.filter(deflator.period == str(base_year)).select("freq", anchor="value")
    joined = base.join(index, ["period", "freq"]).join(anchor, "freq")
    return joined.select(*KEYS, value=ibis.ifelse(joined["index"] != 0,
                                                   joined.value * (joined.anchor / joined["index"]),
                                                   ibis.null("float64")))


def availability_share(production: ir.Table, exports: ir.Table, imports: ir.Table,
                       fruit_production: ir.Table | None = None, fruit_exports: ir.Table | None = None,
                       fruit_imports: ir.Table | None = None) -> ir.Table:
    """Imports as a percent of availability = production − exports + imports, by commodity and year
    (by volume; null when availability is not positive). The ``fruit_*`` inputs (the fruit yearbook's
    series, loaded apart from the vegetables one) are computed the same way and added."""
    share = _availability(production, exports, imports)
    if fruit_production is not None and fruit_exports is not None and fruit_imports is not None:
        share = share.union(_availability(fruit_production, fruit_exports, fruit_imports))
    return share


def _availability(production: ir.Table, exports: ir.Table, imports: ir.Table) -> ir.Table:
    match = ["geo", "product", "period", "freq"]
    prod = production.select(*match, production="value")
    exp = exports.select(*match, exports="value")
    joined = imports.join(prod, match).join(exp, match)
    available = joined.production - joined.exports + joined.value
    return joined.select(*KEYS, value=ibis.ifelse(available > 0, 100.0 * joined.value / available,
                                                   ibis.null("float64")))


def chapters_total(exports: ir.Table, first: int = 1, last: int = 24) -> ir.Table:
    """The sum over HS chapters ``first``..``last`` (``HS:01``..``HS:24``: food and agriculture) per
    geo, partner and period, as product ``HS:<first>-<last>``. The engine keeps only complete periods
    (a year counts when all twelve months are in the data)."""
    chapters = [f"HS:{n:02d}" for n in range(first, last + 1)]
    rows = exports.filter(exports["product"].isin(chapters) & exports.value.notnull())
    summed = rows.group_by("geo", "partner", "period", "freq").aggregate(value=rows.value.sum())
    return summed.select("geo", "partner", product=ibis.literal(f"HS:{first:02d}-{last:02d}"),
                         period="period", freq="freq", value="value")
