"""The data behind the Shared Prosperity Map pages: every SPI measure for Mexican states (each MCV
edition) and U.S. states (when imported), ranks within each country, the Mexican states closest in
score, and the country context (global SPI and HDI with their ranks)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from usmca_monitor.catalog import source_specs
from usmca_monitor.indicators.session import Session
from usmca_monitor.model.specs import Origin, SourceSpec
from usmca_monitor.spi_framework import country_of, measures

if TYPE_CHECKING:
    from usmca_monitor.publish.context import SiteContext

MX_SOURCE, US_SOURCE = "mcv_spi", "spi_us"
CONTEXT = ("CAN", "USA", "MEX")
Cell = tuple[float, int | None, int | None]  # value, rank in country, states ranked


@dataclass
class Edition:
    """One vintage of a source whose state scores are shown."""

    source_id: str
    vintage: str
    label: str
    origins: list[Origin]
    # values[slug][year][geo] = (value, rank, n)
    values: dict[str, dict[str, dict[str, Cell]]] = field(default_factory=dict)

    @property
    def years(self) -> list[str]:
        """Years with an index value, oldest first."""
        return sorted(self.values.get("spi", {}))

    def cell(self, geo: str, slug: str, year: str | None) -> Cell | None:
        """One value with its rank, or None."""
        if year is None:
            return None
        return self.values.get(slug, {}).get(year, {}).get(geo)

    def latest_year(self) -> str | None:
        """The latest year with an index value."""
        return self.years[-1] if self.years else None


@dataclass
class SpiFacts:
    """Everything the SPI pages show."""

    mx: list[Edition]          # newest first; mx[0] is the default (or the pinned) edition
    us: Edition | None         # None until a U.S. States file is imported
    context: dict[str, dict[str, Any]]
    sources: dict[str, SourceSpec]

    def editions_for(self, geo: str) -> list[Edition]:
        """The editions that can hold ``geo``."""
        if country_of(geo) == "USA":
            return [self.us] if self.us else []
        return self.mx

    def latest(self, geo: str) -> tuple[Edition, str] | None:
        """The default edition of ``geo``'s country and its latest year."""
        found = self.editions_for(geo)
        if not found or found[0].latest_year() is None:
            return None
        year = found[0].latest_year()
        assert year is not None
        return found[0], year


def _edition_label(vintage: str) -> str:
    """``mcv_spi@ed2024-embedded-…`` → ``ed2024``; an imported file → its vintage id."""
    key = vintage.split("@", 1)[1]
    return key.split("-embedded-")[0] if "-embedded-" in key else key


def collect_edition(session: Session, source_id: str, vintage: str, countries: Iterable[str]) -> Edition:
    """Every SPI measure of ``vintage`` (the session's other pins kept), with ranks within each country
    (from the formula)."""
    edition_session = session.pinned(vintage)
    wanted = set(countries)
    edition = Edition(source_id, vintage, _edition_label(vintage), session.origins(vintage))
    for item in measures():
        result = edition_session.compute(item.indicator, "A")
        if result.vintages.get(source_id) != vintage:
            continue
        ranked = edition_session.derived(item.indicator, "spi.rank_within_country").rows()
        ranks = {(r["geo"], r["period"]): r["value"] for r in ranked}
        counts: dict[tuple[str, str], int] = {}
        for geo, period in ranks:
            key = (geo.split("-")[0], period)
            counts[key] = counts.get(key, 0) + 1
        per_year = edition.values.setdefault(item.slug, {})
        for row in result.rows():
            geo, period = row["geo"], row["period"]
            if (country_of(geo) or geo) not in wanted:
                continue
            rank = ranks.get((geo, period))
            per_year.setdefault(period, {})[geo] = (
                row["value"], None if rank is None else int(rank), counts.get((geo.split("-")[0], period)))
    return edition


def closest_mexican_states(edition: Edition, values: dict[str, float], year: str, count: int = 3,
                           exclude: str | None = None) -> dict[str, list[tuple[str, float]]]:
    """Per measure, the ``count`` Mexican states of ``edition`` in ``year`` whose score is closest to
    ``values[slug]`` (ties broken by code), ``exclude`` left out."""
    out: dict[str, list[tuple[str, float]]] = {}
    for slug, target in values.items():
        cells = edition.values.get(slug, {}).get(year, {})
        pool = [(abs(cell[0] - target), geo, cell[0]) for geo, cell in cells.items()
                if geo.startswith("MX-") and geo != exclude]
        out[slug] = [(geo, value) for _, geo, value in sorted(pool)[:count]]
    return out


def _context(session: Session) -> dict[str, dict[str, Any]]:
    """Global SPI and HDI, values and ranks, for the three countries (and the World's SPI)."""
    out: dict[str, dict[str, Any]] = {code: {} for code in (*CONTEXT, "WLD")}
    for key, indicator in (("spi", "spi_global"), ("spi_rank", "spi_global_rank"), ("hdi", "hdi"),
                           ("hdi_rank", "hdi_rank")):
        result = session.compute(indicator, "A")
        rows = result.rows()
        latest = max((r["period"] for r in rows), default=None)
        for row in rows:
            if row["geo"] in out and row["period"] == latest:
                out[row["geo"]][key] = row["value"]
                out[row["geo"]][f"{key}_period"] = latest
                out[row["geo"]][f"{key}_vintage"] = "; ".join(result.vintages.values())
                out[row["geo"]][f"{key}_badge"] = result.badge
        if key.endswith("_rank"):
            out["_count"] = out.get("_count", {})
            out["_count"][key] = sum(1 for r in rows if r["period"] == latest)
    return out


def collect_spi_facts(session: Session) -> SpiFacts:
    """The SPI facts of the session: every MCV edition (the pinned one first), the U.S. layer when
    imported, and the country context."""
    mx_vintages = [v.vintage for v in session.vintages(MX_SOURCE)]
    chosen = session.pins.get(MX_SOURCE)  # `--vintage mcv_spi@ed2024`
    if chosen in mx_vintages:
        mx_vintages.remove(chosen)
        mx_vintages.insert(0, chosen)
    mx = [collect_edition(session, MX_SOURCE, v, ["MEX"]) for v in mx_vintages]
    us_current = session.current_vintage(US_SOURCE)
    us = collect_edition(session, US_SOURCE, us_current.vintage, ["USA"]) if us_current else None
    return SpiFacts(mx=mx, us=us, context=_context(session), sources=source_specs())


def spi_facts(site: SiteContext) -> SpiFacts:
    """The SPI facts of this build (computed once, shared by the pages and languages)."""
    return site.cached("spi_facts", lambda: collect_spi_facts(site.session))
