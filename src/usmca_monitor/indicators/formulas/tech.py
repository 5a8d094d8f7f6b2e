"""Goal 3 technology formulas: Advanced Technology Products (ATP) trade by category with the total of
the ten, one product picked out (ICT is ``ATP:04``), U.S. imports by NAICS subsector, and the same
subsectors rebuilt from HS6 imports through the HS 2022 → NAICS concordance.

The concordance rule (``hs6_naics_imports``): a six-digit subheading counts in a NAICS subsector only
when EVERY NAICS industry it maps to lies in that subsector. A subheading that maps partly to the
subsector and partly elsewhere is left out and reported by ``hs6_naics_left_out`` (product
``NAICS:<subsector>``), as is the value of subheadings the concordance does not list at all (product
``HS:UNMAPPED``); nothing is split by guessed weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from usmca_monitor.codelists import hs6_to_naics
from usmca_monitor.indicators.formulas.trade import balance, flow_value

KEYS = ["geo", "partner", "product", "period", "freq"]
ATP_CODES = tuple(f"ATP:{n:02d}" for n in range(1, 11))
ATP_TOTAL = "ATP:TOTAL"
SUBSECTORS = ("334", "335")
UNMAPPED = "HS:UNMAPPED"


def _with_total(table: ir.Table) -> ir.Table:
    """The ten ATP categories (other products dropped) plus their sum as product ``ATP:TOTAL``."""
    ten = table.filter(table["product"].isin(ATP_CODES)).select(*KEYS, value=table.value.cast("float64"))
    total = ten.group_by(["geo", "partner", "period", "freq"]).aggregate(value=ten.value.sum())
    total = total.select("geo", "partner", product=ibis.literal(ATP_TOTAL), period="period", freq="freq",
                         value="value")
    return ten.union(total.select(*KEYS, "value"))


def atp_flow(flows: ir.Table, flow: str) -> ir.Table:
    """Exports or imports (``flow``) of each ATP category and of all ten (``ATP:TOTAL``)."""
    return _with_total(flow_value(flows, flow))


def atp_balance(flows: ir.Table) -> ir.Table:
    """Exports − imports of each ATP category and of all ten (negative: a U.S. deficit); a flow with
    no record counts as zero."""
    return _with_total(balance(flows))


def only_product(base: ir.Table, product: str) -> ir.Table:
    """The rows of one product (e.g. ``ATP:04``, information and communications)."""
    return base.filter(base["product"] == product).select(*KEYS, "value")


def naics_imports(flows: ir.Table, products: Sequence[str] = ("NAICS:334", "NAICS:335")) -> ir.Table:
    """General imports of the NAICS ``products`` by partner."""
    value = flow_value(flows, "import")
    return value.filter(value["product"].isin(list(products))).select(*KEYS, "value")


def concordance_table(subsectors: Sequence[str] = SUBSECTORS,
                      mapping: Mapping[str, frozenset[str]] | None = None) -> ir.Table:
    """One row per HS6 subheading of ``mapping`` (default: the HS 2022 → NAICS concordance):
    ``hs6``; ``inside``, the subsector when every NAICS code of the subheading lies in it, else null;
    ``partly``, each subsector the subheading maps to only in part (one row per such subsector)."""
    found = hs6_to_naics() if mapping is None else mapping
    hs6s: list[str] = []
    inside: list[str | None] = []
    partly: list[str | None] = []
    for hs6, codes in sorted(found.items()):
        full = [s for s in subsectors if codes and all(c.startswith(s) for c in codes)]
        some: list[str | None] = [s for s in subsectors if any(c.startswith(s) for c in codes) and s not in full]
        for item in some or [None]:
            hs6s.append(hs6)
            inside.append(full[0] if full else None)
            partly.append(item)
    return ibis.memtable(pa.table({"hs6": pa.array(hs6s, pa.string()), "inside": pa.array(inside, pa.string()),
                                   "partly": pa.array(partly, pa.string())}))


def _hs6_imports(flows: ir.Table) -> ir.Table:
    value = flow_value(flows, "import")
    value = value.filter(value["product"].startswith("HS:") & (value["product"].length() == 9))
    return value.mutate(hs6=value["product"].substr(3, 6))


def hs6_naics_imports(flows: ir.Table, subsectors: Sequence[str] = SUBSECTORS,
                      mapping: Mapping[str, frozenset[str]] | None = None) -> ir.Table:
    """Imports of each NAICS subsector (product ``NAICS:334`` …) rebuilt from HS6 imports: the sum of the
    subheadings whose every concordance mapping lies in the subsector (see the module docstring)."""
    hs6 = _hs6_imports(flows)
    conc = concordance_table(subsectors, mapping).select("hs6", "inside").distinct()
    conc = conc.filter(conc.inside.notnull())
    joined = hs6.join(conc, hs6.hs6 == conc.hs6)
    summed = joined.group_by(["geo", "partner", "period", "freq", "inside"]).aggregate(value=joined.value.sum())
    return summed.select("geo", "partner", product=ibis.literal("NAICS:").concat(summed.inside), period="period",
                         freq="freq", value="value").select(*KEYS, "value")


def hs6_naics_left_out(flows: ir.Table, subsectors: Sequence[str] = SUBSECTORS,
                       mapping: Mapping[str, frozenset[str]] | None = None) -> ir.Table:
    """What ``hs6_naics_imports`` leaves out: per subsector (product ``NAICS:334`` …), the imports of
    subheadings that map to it only in part; and (product ``HS:UNMAPPED``) the imports of subheadings
    the concordance does not list."""
    hs6 = _hs6_imports(flows)
    conc = concordance_table(subsectors, mapping)
    partly = conc.filter(conc.partly.notnull())
    joined = hs6.join(partly, hs6.hs6 == partly.hs6)
    summed = joined.group_by(["geo", "partner", "period", "freq", "partly"]).aggregate(value=joined.value.sum())
    partial = summed.select("geo", "partner", product=ibis.literal("NAICS:").concat(summed.partly), period="period",
                            freq="freq", value="value").select(*KEYS, "value")
    listed = conc.select("hs6").distinct()
    missing = hs6.anti_join(listed, hs6.hs6 == listed.hs6)
    unmapped = (missing.group_by(["geo", "partner", "period", "freq"]).aggregate(value=missing.value.sum())
                .select("geo", "partner", product=ibis.literal(UNMAPPED), period="period", freq="freq",
                        value="value").select(*KEYS, "value"))
    return partial.union(unmapped)
