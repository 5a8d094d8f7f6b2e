"""The partner facts behind the TDR page: every trade indicator per partner and period."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from usmca_monitor.catalog import source_specs
from usmca_monitor.indicators.session import Session
from usmca_monitor.model.specs import Origin, SourceSpec

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


def collect_trade_facts(session: Session) -> TradeFacts:
    """Compute the trade measures at years, halves and year-to-date for every partner (geo USA)."""
    values: dict[tuple[str, str], dict[str, Any]] = {}
    freq_of: dict[str, str] = {}
    periods: dict[str, set[str]] = {f: set() for f in FREQS}
    vintages: dict[str, str] = {}
    statuses: set[str] = set()
    for freq in FREQS:
        for measure in MEASURES:
            result = session.compute(measure, freq)
            vintages.update(result.vintages)
            statuses |= result.statuses
            for row in result.rows(geo="USA"):
                values.setdefault((row["partner"], row["period"]), {})[measure] = row["value"]
                freq_of[row["period"]] = freq
                periods[freq].add(row["period"])
    source_id = "census_trade"
    vintage_id = vintages[source_id]
    return TradeFacts(values=values, freq_of=freq_of, vintage=vintage_id, source=source_specs()[source_id],
                      origins=session.origins(vintage_id), last_month=session.last_month(vintage_id),
                      badge="report" if "report" in statuses else "computed",
                      periods={f: sorted(p) for f, p in periods.items()})


def trade_facts(site: SiteContext) -> TradeFacts:
    """The trade facts of this build (computed once, shared by every section and language)."""
    return site.cached("trade_facts", lambda: collect_trade_facts(site.session))


BLOCS = ("USMCA", "CHN", "EU", "ASEAN")


@dataclass
class ChapterFacts:
    """U.S. imports by HS chapter and partner: value, the partner's share of the chapter's U.S. imports,
    and the chapter's share of the partner's imports, by (partner, product, period)."""

    values: dict[tuple[str, str, str], dict[str, float | None]]
    periods: list[str]
    vintage: str
    badge: str

    def get(self, partner: str, product: str, period: str, measure: str) -> float | None:
        """One value, or None."""
        return self.values.get((partner, product, period), {}).get(measure)

    def chapters(self) -> list[str]:
        """Every chapter (``HS:01`` …) with a value."""
        return sorted({product for _, product, _ in self.values})


CHAPTER_MEASURES = {"imports": "hs2_imports", "share_us": "hs2_share_of_us_imports",
                    "share_partner": "hs2_share_of_partner_imports"}


def collect_chapter_facts(session: Session) -> ChapterFacts:
    """HS-chapter imports and shares for every partner, by year (geo USA)."""
    values: dict[tuple[str, str, str], dict[str, float | None]] = {}
    periods: set[str] = set()
    vintage_id, statuses = "", set[str]()
    for key, indicator in CHAPTER_MEASURES.items():
        result = session.compute(indicator, "A")
        vintage_id = result.vintages.get("census_trade", vintage_id)
        statuses |= result.statuses
        for row in result.rows(geo="USA"):
            values.setdefault((row["partner"], row["product"], row["period"]), {})[key] = row["value"]
            periods.add(row["period"])
    return ChapterFacts(values=values, periods=sorted(periods), vintage=vintage_id,
                        badge="report" if "report" in statuses else "computed")


def chapter_facts(site: SiteContext) -> ChapterFacts:
    """The HS-chapter facts of this build (computed once)."""
    return site.cached("chapter_facts", lambda: collect_chapter_facts(site.session))


@dataclass
class StatedFigures:
    """The report's own figures (series ``report.stated``), as stored, with their provenance."""

    rows: list[dict[str, Any]]
    vintage: str
    source: SourceSpec
    origins: list[Origin]

    def get(self, measure: str, geo: str, period: str | None = None, partner: str | None = None) -> float | None:
        """The value of one figure (the latest period when none is given), or None."""
        found = [r for r in self.rows if r["measure"] == measure and r["geo"] == geo
                 and (period is None or r["period"] == period) and (partner is None or r["partner"] == partner)]
        return max(found, key=lambda r: r["period"])["value"] if found else None

    def source_block(self, lang: str) -> dict[str, Any]:
        """The source as the pages' sources block shows it."""
        src = self.source
        return {"producer": src.producer, "title": src.title.get(lang), "citation": src.citation,
                "vintage": self.vintage, "last": "", "licence": src.licence,
                "origins": [o.model_dump() for o in self.origins], "quirks": [q.get(lang) for q in src.quirks]}

    def series(self, measure: str, geo: str, partner: str | None = None) -> list[tuple[str, float]]:
        """(period, value) of one figure over time, in order."""
        return sorted((r["period"], r["value"]) for r in self.rows
                      if r["measure"] == measure and r["geo"] == geo and (partner is None or r["partner"] == partner))


def collect_stated(session: Session) -> StatedFigures | None:
    """The current vintage of the report's figures, or None when the store has none."""
    table, current = session.stated()
    if current is None:
        return None
    columns = ["geo", "partner", "product", "flow", "measure", "period", "value", "unit"]
    return StatedFigures(rows=table.select(columns).to_pylist(), vintage=current.vintage,
                         source=source_specs()[current.source_id], origins=session.origins(current.vintage))


def stated_figures(site: SiteContext) -> StatedFigures | None:
    """The report's figures of this build (read once)."""
    return site.cached("stated_figures", lambda: collect_stated(site.session))
