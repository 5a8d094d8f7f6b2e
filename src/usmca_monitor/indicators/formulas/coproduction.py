"""Goal 4 formulas: composition of imports by product, vehicle production totals, shares and growth."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

KEYS = ["geo", "partner", "product", "period", "freq"]
USMCA_MEMBERS = ("USA", "MEX", "CAN")


def share_of_partner_total(base: ir.Table) -> ir.Table:
    """A product's share (percent) of everything imported from the same partner in the period
    (the composition of a partner's trade; the shares of a partner sum to 100)."""
    totals = base.group_by(["geo", "partner", "period", "freq"]).aggregate(total_value=ibis._.value.sum())
    joined = base.join(totals, ["geo", "partner", "period", "freq"])
    return joined.select(*KEYS, value=ibis.ifelse(joined.total_value != 0, 100.0 * joined.value / joined.total_value,
                                                  ibis.null("float64")))


def production_with_region(base: ir.Table) -> ir.Table:
    """Production per producing country (geo) and type (product), plus the USMCA region (geo ``USMCA``)
    as the sum of the United States, Mexico and Canada — only where all three report that year and type."""
    rows = base.group_by(KEYS).aggregate(value=ibis._.value.sum())
    members = rows.filter(rows.geo.isin(USMCA_MEMBERS))
    region = (members.group_by(["partner", "product", "period", "freq"])
              .aggregate(value=ibis._.value.sum(), n=ibis._.geo.nunique())
              .filter(ibis._.n == len(USMCA_MEMBERS)))
    region = region.select(geo=ibis.literal("USMCA"), partner="partner", product="product", period="period",
                           freq="freq", value="value")
    return rows.select(*KEYS, "value").union(region.select(*KEYS, "value"))


def share_of_world(base: ir.Table, world: str = "WLD") -> ir.Table:
    """A producer's share (percent) of world output (geo ``world``) of the same type and period."""
    totals = base.filter(base.geo == world).select("product", "period", "freq", world_value="value")
    joined = base.join(totals, ["period", "freq", ibis.coalesce(base["product"], "")
                                == ibis.coalesce(totals["product"], "")])
    return joined.select(*KEYS, value=ibis.ifelse(joined.world_value != 0, 100.0 * joined.value / joined.world_value,
                                                  ibis.null("float64")))


def ratio_to_total(part: ir.Table, total: ir.Table) -> ir.Table:
    """Each ``part`` value as a percent of the single ``total`` value of the same period (e.g. regional
    truck production over world production)."""
    totals = total.group_by(["period", "freq"]).aggregate(total_value=ibis._.value.sum())
    joined = part.join(totals, ["period", "freq"])
    return joined.select(*KEYS, value=ibis.ifelse(joined.total_value != 0, 100.0 * joined.value / joined.total_value,
                                                  ibis.null("float64")))


def growth_since(base: ir.Table, base_year: int = 2020) -> ir.Table:
    """Percent change of each annual value against the same series in ``base_year`` (later years only)."""
    match = ["geo", "partner", "product", "freq"]
    first = base.filter(base.period == str(base_year)).select(*match, earlier="value")
    conds = [base[k].identical_to(first[k]) for k in match]
    j = base.join(first, conds).select(*KEYS, "value", "earlier")
    j = j.filter(j.period > str(base_year))
    return j.select(*KEYS, value=ibis.ifelse(j.earlier != 0, 100.0 * (j.value / j.earlier - 1), ibis.null("float64")))
