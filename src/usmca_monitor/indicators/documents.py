"""Documents about one indicator, built from a ``Session``: every row of it (all geos, partners,
products and frequencies, with unit, source, vintage and badge), its headline view and latest value,
its metadata (definition, unit, sources, vintages, licence, citation) and the read-only API's index
and per-indicator documents. The static site writes them under ``/data/``; the live server can serve
the same shapes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from usmca_monitor.catalog import source_specs
from usmca_monitor.indicators.registry import get_spec, indicator_specs
from usmca_monitor.indicators.session import Computed, Session
from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.model.specs import LANGS, Headline, IndicatorSpec
from usmca_monitor.safety import clean_text, json_ready, public_origin

FIELDS: tuple[str, ...] = ("indicator", "geo", "partner", "product", "period", "freq", "value", "unit", "source",
                           "vintage", "badge")
PRIMARY_KEY: tuple[str, ...] = ("geo", "partner", "product", "period", "freq")
FIELD_TYPES = {"value": "number"}
API_VERSION = "v1"
Translate = Callable[[str], Callable[[str], str]]
# Shown in each language (the publisher passes its translations; English otherwise).
CITATION = ("%(title)s. usmca-monitor, indicator %(id)s, computed from %(sources)s (vintage %(vintages)s, "
            "%(date)s); retrieved %(built)s.")
FIELD_TEXT = {
    "indicator": "Indicator id", "geo": "Reporter: ISO 3166-1 alpha-3 country, ISO 3166-2 subdivision or group",
    "partner": "Partner: country or group (empty when the indicator has no partner)",
    "product": "Product code with its scheme (HS:87, NAICS:334, ATP:04…; empty when none)",
    "period": "Period: 2024, 2024-H1, 2024-Q2, 2024-YTD06 (January–June), 2024-06",
    "freq": "Frequency: A, H, Q, M or YTD", "value": "The value, in the unit of the row",
    "unit": "Unit of the value", "source": "Publisher and dataset the value is computed from",
    "vintage": "The store's vintage of each source", "badge": "computed, official or report",
}


def _english(_lang: str) -> Callable[[str], str]:
    return lambda text: text


@dataclass
class IndicatorData:
    """Every row of one indicator as an Arrow table (columns ``FIELDS``), and what it was made from."""

    spec: IndicatorSpec
    table: pa.Table
    vintages: dict[str, str] = field(default_factory=dict)  # source id → vintage(s)
    badge: str = ""
    freqs: list[str] = field(default_factory=list)  # the frequencies with rows, in the spec's order
    _views: dict[tuple[str | None, ...], tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def has_data(self) -> bool:
        """Whether any row has a value."""
        return self.table.num_rows > 0

    def views(self) -> dict[tuple[str | None, ...], tuple[int, int]]:
        """(freq, geo, partner, product) → (first row, row count): the rows of each view are contiguous
        (the table is ordered by frequency, then keys, then period)."""
        if not self._views and self.table.num_rows:
            keys = zip(*(self.table[c].to_pylist() for c in ("freq", "geo", "partner", "product")), strict=True)
            for i, key in enumerate(keys):
                start, count = self._views.get(key, (i, 0))
                self._views[key] = (start, count + 1)
        return self._views

    def rows(self, **where: str | None) -> pa.Table:
        """The rows whose columns equal ``where`` (None matches an empty cell)."""
        if {"freq", "geo", "partner", "product"} <= set(where):
            found = self.views().get((where.pop("freq"), where.pop("geo"), where.pop("partner"), where.pop("product")))
            table = self.table.slice(*found) if found else self.table.slice(0, 0)
        else:
            table = self.table
        for column, wanted in where.items():
            mask = pc.is_null(table[column]) if wanted is None else pc.equal(table[column], wanted)
            table = table.filter(pc.fill_null(mask, False))
        return table

    def distinct(self, column: str, freq: str | None = None) -> list[str]:
        """The distinct non-empty values of ``column`` (at ``freq`` when given), sorted."""
        table = self.rows(freq=freq) if freq else self.table
        return sorted(str(v) for v in pc.unique(table[column]).to_pylist() if v is not None)


def _computed(session: Session, spec: IndicatorSpec) -> list[Computed]:
    out = []
    for freq in spec.freqs:
        try:
            computed = session.compute(spec.id, freq)
        except UsmcaError:  # an input the store does not hold: the indicator has no rows
            return []
        if computed.table.num_rows:
            out.append(computed)
    return out


def _provenance(session: Session, computed: Computed, geos: list[str]) -> tuple[list[str], list[str]]:
    """Per geo: the sources (``producer: title``) and vintages behind its values."""
    sources = source_specs()
    names, vintages = [], []
    for geo in geos:
        used = session.sources_for_geo(computed.vintages, geo)
        names.append("; ".join(f"{sources[s].producer}: {sources[s].title.en}" for s in used))
        vintages.append("; ".join(computed.vintages[s] for s in used))
    return names, vintages


def _with_provenance(session: Session, computed: Computed) -> pa.Table:
    table = computed.table
    geos = sorted({g for g in pc.unique(table["geo"]).to_pylist() if g is not None})
    names, vintages = _provenance(session, computed, geos)
    index = pc.index_in(table["geo"], value_set=pa.array(geos, pa.string()))
    n = table.num_rows
    columns = {
        "indicator": pa.array([computed.spec.id] * n, pa.string()),
        "geo": table["geo"], "partner": table["partner"], "product": table["product"], "period": table["period"],
        "freq": table["freq"], "value": table["value"].cast(pa.float64()),
        "unit": pa.array([computed.spec.unit] * n, pa.string()),
        "source": pc.take(pa.array(names, pa.string()), index), "vintage": pc.take(pa.array(vintages, pa.string()),
                                                                                  index),
        "badge": pa.array([computed.badge] * n, pa.string()),
    }
    table = pa.table({name: pa.chunked_array([columns[name]]) if not isinstance(columns[name], pa.ChunkedArray)
                      else columns[name] for name in FIELDS})
    # Text columns repeat few values: kept dictionary-encoded (a fraction of the memory).
    return pa.table({name: table[name] if name == "value" else pc.dictionary_encode(table[name]) for name in FIELDS})


def empty_table() -> pa.Table:
    """A table with the download's columns and no row."""
    text = pa.dictionary(pa.int32(), pa.string())
    return pa.table({name: pa.array([], pa.float64() if name == "value" else text) for name in FIELDS})


def indicator_data(session: Session, indicator: str) -> IndicatorData:
    """Every row of ``indicator``: each of its frequencies, all geos, partners and products."""
    spec = get_spec(indicator)
    found = _computed(session, spec)
    if not found:
        return IndicatorData(spec, empty_table())
    vintages: dict[str, str] = {}
    for computed in found:
        vintages.update(computed.vintages)
    table = pa.concat_tables([_with_provenance(session, c) for c in found])
    badges = {c.badge for c in found}
    badge = "report" if "report" in badges else ("official" if badges == {"official"} else "computed")
    return IndicatorData(spec, table, vintages, badge, [c.freq for c in found])


# ---- the headline ----

def resolved_headline(data: IndicatorData) -> Headline:
    """The spec's headline view when it has rows, else the view (at the first frequency with rows)
    with the most rows, so that a page always opens on data."""
    declared = data.spec.headline
    if not data.has_data or data.rows(**declared.where()).num_rows:
        return declared
    freq = declared.freq if declared.freq in data.freqs else data.freqs[0]
    table = data.rows(freq=freq)
    counts: dict[tuple[Any, ...], int] = {}
    for row in table.select(["geo", "partner", "product"]).to_pylist():
        key = (row["geo"], row["partner"], row["product"])
        counts[key] = counts.get(key, 0) + 1
    geo, partner, product = max(counts, key=lambda k: (counts[k], [str(v) for v in k]))
    return Headline(geo=geo, partner=partner, product=product, freq=freq)  # type: ignore[arg-type]


def series_of(data: IndicatorData, view: Headline) -> list[tuple[str, float | None]]:
    """(period, value) of one view, in period order."""
    table = data.rows(**view.where())
    return sorted(zip(table["period"].to_pylist(), table["value"].to_pylist(), strict=True))


def year_earlier(period: str) -> str:
    """The same period a year earlier (``2024-H1`` → ``2023-H1``)."""
    return f"{int(period[:4]) - 1}{period[4:]}"


def is_irregular(periods: Iterable[str], freq: str) -> bool:
    """An annual series with gaps between its years (published by edition, e.g. every two years)."""
    years = sorted(int(p) for p in periods if p.isdigit())
    return freq == "A" and len(years) > 1 and any(b - a > 1 for a, b in itertools.pairwise(years))


def latest(data: IndicatorData, view: Headline | None = None) -> dict[str, Any] | None:
    """The latest value of ``view`` (the headline by default) with the comparable earlier value: a
    year earlier, or the previous edition for an irregular series. None when the view has no value."""
    view = view or resolved_headline(data)
    points = [(p, v) for p, v in series_of(data, view) if v is not None]
    if not points:
        return None
    period, value = points[-1]
    known = dict(points)
    earlier, kind = year_earlier(period), "year"
    if earlier not in known:
        irregular = is_irregular(known, view.freq)
        earlier, kind = (points[-2][0], "edition") if irregular and len(points) > 1 else ("", "")
    before = known.get(earlier) if earlier else None
    row = data.rows(**view.where(), period=period).slice(0, 1).to_pylist()[0]
    return {"view": view.where(), "period": period, "value": value, "earlier_period": earlier or None,
            "earlier_value": before, "change": None if before is None else value - before,
            "change_percent": (None if before in (None, 0) or data.spec.unit not in RELATIVE_UNITS
                               else 100 * (value - before) / abs(before)),
            "change_kind": kind or None, "unit": data.spec.unit, "badge": row["badge"],
            "source": row["source"], "vintage": row["vintage"]}


RELATIVE_UNITS = frozenset({"USD", "USD_2024", "units", "tonnes", "intl_USD_PPP", "intl_USD_2021_PPP", "jobs"})


# ---- metadata, and the static API ----

def sources_of(session: Session, vintages: dict[str, str]) -> list[dict[str, Any]]:
    specs = source_specs()
    out = []
    for source_id, joined in sorted(vintages.items()):
        spec = specs[source_id]
        stored = [session.vintage(v) for v in joined.split("; ") if v]
        out.append({
            "id": source_id, "producer": spec.producer, "title": spec.title.model_dump(), "licence": spec.licence,
            "citation": clean_text(spec.citation), "homepage": spec.homepage,
            "vintages": [{"id": v.vintage, "created": v.created, "kind": v.kind,
                          "data_through": session.last_month(v.vintage) or max((f.last for f in v.files), default="")}
                         for v in stored],
            "origins": [public_origin(o.model_dump()) for v in stored for o in v.origins],
        })
    return out


def citation(data: IndicatorData, lang: str, sources: list[dict[str, Any]], built: str,
             translate: Translate = _english) -> str:
    """The citation line in ``lang``: title, indicator, sources with their vintages and the vintage's date."""
    _ = translate(lang)
    dates = sorted({v["created"] for s in sources for v in s["vintages"] if v["created"]})
    return _(CITATION) % {
        "title": data.spec.title.get(lang), "id": data.spec.id,
        "sources": "; ".join(s["producer"] for s in sources) or "—",
        "vintages": ", ".join(v["id"] for s in sources for v in s["vintages"]) or "—",
        "date": ", ".join(dates) or "—", "built": built}


def meta_document(session: Session, data: IndicatorData, built: str, translate: Translate = _english,
                  langs: Iterable[str] = LANGS) -> dict[str, Any]:
    """``<id>.meta.json``: definition, unit, direction, frequencies, headline, sources with vintages and
    origins, licences, and the citation in each language."""
    spec = data.spec
    sources = sources_of(session, data.vintages)
    return json_ready({
        "id": spec.id, "title": spec.title.model_dump(), "unit": spec.unit, "goal": spec.goal,
        "direction": spec.direction, "definition": spec.method.model_dump(), "source_note": spec.source_note,
        "formula": spec.formula, "frequencies": data.freqs, "declared_frequencies": list(spec.freqs),
        "headline": resolved_headline(data).where(), "badge": data.badge or None, "rows": data.table.num_rows,
        "fields": [{"name": name, "description": FIELD_TEXT[name]} for name in FIELDS],
        "primary_key": list(PRIMARY_KEY), "sources": sources,
        "licence": "; ".join(f"{s['producer']}: {s['licence']}" for s in sources),
        "citation": {lang: citation(data, lang, sources, built, translate) for lang in langs},
        "built": built,
    })


def download_paths(indicator: str) -> dict[str, str]:
    """Where the downloads of ``indicator`` live, relative to the site's root."""
    return {"csv": f"data/{indicator}.csv", "xlsx": f"data/{indicator}.xlsx", "json": f"data/{indicator}.json",
            "meta": f"data/{indicator}.meta.json", "api": f"data/{API_VERSION}/indicators/{indicator}.json"}


def page_paths(indicator: str, langs: Iterable[str] = LANGS) -> dict[str, str]:
    """The indicator's page in each language, relative to the site's root."""
    return {lang: f"{lang}/indicators/{indicator}.html" for lang in langs}


def data_head(data: IndicatorData) -> dict[str, Any]:
    """The members of ``<id>.json`` before its rows (``writers.write_json_rows`` adds fields and rows)."""
    return json_ready({"indicator": data.spec.id, "title": data.spec.title.model_dump(), "unit": data.spec.unit,
                       "badge": data.badge or None, "vintages": data.vintages})


def indicator_document(session: Session, data: IndicatorData, built: str, why_empty: dict[str, str] | None = None,
                       langs: Iterable[str] = LANGS) -> dict[str, Any]:
    """The API's document of one indicator: metadata, headline value, what breakdowns exist, links to
    every row, and the values of the headline view."""
    spec = data.spec
    view = resolved_headline(data)
    values = data.rows(**view.where()).to_pylist() if data.has_data else []
    return json_ready({
        "id": spec.id, "title": spec.title.model_dump(), "unit": spec.unit, "goal": spec.goal,
        "direction": spec.direction, "definition": spec.method.model_dump(), "has_data": data.has_data,
        "badge": data.badge or None, "vintages": data.vintages, "headline": view.where(),
        "latest": latest(data, view) if data.has_data else None,
        "dimensions": {"geo": data.distinct("geo"), "partner": data.distinct("partner"),
                       "product": data.distinct("product"),
                       "freq": {f: {"periods": len(p := data.distinct("period", f)), "first": p[0], "last": p[-1]}
                                for f in data.freqs}},
        "awaits": why_empty or {}, "pages": page_paths(spec.id, langs), "downloads": download_paths(spec.id),
        "values": values, "built": built,
    })


def index_document(datas: Iterable[IndicatorData], built: str, why_empty: dict[str, dict[str, str]] | None = None,
                   langs: Iterable[str] = LANGS, store: str = "") -> dict[str, Any]:
    """The API's index: every indicator with its title, unit, goal, whether it has data, its latest
    headline value and where its page, downloads and document are. ``store``: the session's version
    (``Session.version``), so that the live server can tell whether a built index is still current."""
    langs = list(langs)
    entries = []
    for data in sorted(datas, key=lambda d: d.spec.id):
        spec = data.spec
        entries.append({"id": spec.id, "title": spec.title.model_dump(), "unit": spec.unit, "goal": spec.goal,
                        "direction": spec.direction, "has_data": data.has_data, "frequencies": data.freqs,
                        "latest": latest(data) if data.has_data else None,
                        "awaits": (why_empty or {}).get(spec.id, {}), "pages": page_paths(spec.id, langs),
                        "downloads": download_paths(spec.id)})
    return json_ready({"version": API_VERSION, "built": built, "store": store, "count": len(entries),
                       "indicators": entries})


def all_indicator_data(session: Session) -> list[IndicatorData]:
    """Every indicator of the catalog (those without data included, with no rows)."""
    return [indicator_data(session, indicator) for indicator in sorted(indicator_specs())]
