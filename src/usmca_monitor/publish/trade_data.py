"""The partner facts behind the TDR page: every trade indicator per partner and period."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from usmca_monitor.api import Store, engine
from usmca_monitor.model.specs import Origin, SourceSpec
from usmca_monitor.sources.registry import source_specs

if TYPE_CHECKING:
    from usmca_monitor.publish.context import SiteContext

MEASURES = ("exports", "imports", "balance", "total_trade", "tdr", "share_total_trade",
            "rank_total_trade", "total_trade_yoy")
FREQS = ("A", "H", "YTD")


@dataclass
class TradeFacts:
    """Values by (partner, period) for each measure, with provenance."""

    values: dict[tuple[str, str], dict[str, float | None]]
    freq_of: dict[str, str]
    vintage: str
    source: SourceSpec
    origins: list[Origin]
    last_month: str
    badge: str
    periods: dict[str, list[str]] = field(default_factory=dict)

    def get(self, partner: str, period: str, measure: str) -> float | None:
        """One value, or None."""
        return self.values.get((partner, period), {}).get(measure)

    def latest(self, freq: str, half: str = "") -> str | None:
        """The latest period of ``freq`` (for H, the latest of the given half, e.g. ``H1``)."""
        found = [p for p in self.periods.get(freq, []) if not half or p.endswith(half)]
        return max(found) if found else None

    def top_partners(self, period: str, count: int = 5) -> list[str]:
        """Countries ranked 1..count by total trade in ``period``."""
        ranked = [(v.get("rank_total_trade"), partner) for (partner, p), v in self.values.items()
                  if p == period and v.get("rank_total_trade") is not None]
        return [partner for rank, partner in sorted(ranked) if rank is not None and rank <= count]

    def partners(self) -> list[str]:
        """Every partner with a value."""
        return sorted({partner for partner, _ in self.values})


def collect_trade_facts(store: Store, vintage: str | None = None) -> TradeFacts:
    """Compute the trade measures at years, halves and year-to-date for every partner (geo USA)."""
    eng = engine(store, vintage)
    values: dict[tuple[str, str], dict[str, Any]] = {}
    freq_of: dict[str, str] = {}
    periods: dict[str, set[str]] = {f: set() for f in FREQS}
    vintages: dict[str, str] = {}
    statuses: set[str] = set()
    for freq in FREQS:
        for measure in MEASURES:
            result = eng.compute(measure, freq)
            vintages.update(result.vintages)
            statuses |= result.statuses
            table = result.table
            for row in table.filter(table.geo == "USA").to_pyarrow().to_pylist():
                values.setdefault((row["partner"], row["period"]), {})[measure] = row["value"]
                freq_of[row["period"]] = freq
                periods[freq].add(row["period"])
    source_id = "census_trade"
    vintage_id = vintages[source_id]
    last = store.warehouse.con.execute(
        "SELECT max(period) FROM observations WHERE vintage = ? AND freq = 'M'", [vintage_id]).fetchall()[0]
    return TradeFacts(values=values, freq_of=freq_of, vintage=vintage_id, source=source_specs()[source_id],
                      origins=store.warehouse.origins(vintage_id), last_month=str(last[0] if last else ""),
                      badge="report" if "report" in statuses else "computed",
                      periods={f: sorted(p) for f, p in periods.items()})


def trade_facts(site: SiteContext) -> TradeFacts:
    """The trade facts of this build (computed once, shared by every section and language)."""
    return site.cached("trade_facts", lambda: collect_trade_facts(site.store, site.vintage))
