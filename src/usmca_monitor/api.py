"""The public Python API: what the command line and the server call."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from usmca_monitor.codelists import Codelists, data_path, load_codelists
from usmca_monitor.indicators.engine import Engine, Result, SeriesInput
from usmca_monitor.indicators.periods import parse_period
from usmca_monitor.indicators.registry import get_spec, indicator_specs
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import Origin
from usmca_monitor.sources.base import Adapter, Payload, to_observations
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.registry import get_adapter, source_specs
from usmca_monitor.store import RawStore, Vintage, Warehouse, usmca_home

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass
class Store:
    """The warehouse and the raw snapshot store of one ``USMCA_HOME``."""

    home: Path
    warehouse: Warehouse
    raw: RawStore


def embedded_manifest() -> dict[str, Any]:
    """The embedded snapshot's manifest (vintages and origins)."""
    path = data_path("manifest.json")
    if not path.exists():
        raise DataError("the embedded snapshot is missing", str(path),
                        "run `usmca snapshot --from ../shared/data` (maintainers) or reinstall")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def load_embedded(warehouse: Warehouse) -> list[str]:
    """Add the embedded snapshot's vintages that the warehouse does not have yet."""
    added = []
    for key, entry in embedded_manifest()["sources"].items():
        source_id = entry.get("source", key)  # a source with several embedded vintages (editions)
        if warehouse.has_vintage(entry["vintage"]):
            continue
        table = pq.read_table(data_path(entry["file"]))
        origins = [Origin.model_validate(o) for o in entry["origins"]]
        warehouse.add_vintage(Vintage(entry["vintage"], source_id, entry["created"], "embedded",
                                      table.num_rows, "embedded snapshot"), table, origins)
        added.append(entry["vintage"])
    return added


@contextmanager
def open_store(home: Path | None = None, read_only: bool = False) -> Iterator[Store]:
    """The store, with the embedded snapshot loaded when it is not there yet."""
    root = home or usmca_home()
    root.mkdir(parents=True, exist_ok=True)
    path = root / "warehouse.duckdb"
    warehouse = Warehouse(path, read_only=read_only and path.exists())
    try:
        if not warehouse.read_only:
            load_embedded(warehouse)
        yield Store(root, warehouse, RawStore(root))
    finally:
        warehouse.close()


def series_inputs(store: Store, pins: dict[str, str] | None = None) -> dict[str, SeriesInput]:
    """Each declared series, read from the current (or pinned) vintage of its source. A source loaded
    file by file (``usmca import`` of one of its files) keeps its other series: a series absent from the
    current vintage is read from the newest vintage that holds it (a pinned vintage is used alone)."""
    pins = pins or {}
    con = ibis.duckdb.from_connection(store.warehouse.con)
    observations = con.table("observations")
    found: dict[str, SeriesInput] = {}
    statuses: dict[str, frozenset[str]] = {}
    for source_id, spec in source_specs().items():
        stored = store.warehouse.vintages(source_id)
        if not stored:
            continue
        pinned = store.warehouse.resolve_vintage(source_id, pins.get(source_id))
        candidates = [pinned] if source_id in pins else stored
        held = set(store.warehouse.con.execute(
            "SELECT DISTINCT vintage, series FROM observations WHERE source_id = ?", [source_id]).fetchall())
        for series_id in spec.series:
            vintage = next((v for v in candidates if (v.vintage, series_id) in held), pinned)
            if vintage.vintage not in statuses:
                statuses[vintage.vintage] = frozenset(row[0] for row in store.warehouse.con.execute(
                    "SELECT DISTINCT status FROM observations WHERE vintage = ?", [vintage.vintage]).fetchall())
            table = observations.filter(observations.vintage == vintage.vintage)
            found[series_id] = SeriesInput(table, vintage.vintage, source_id, statuses[vintage.vintage])
    return found


def pins_for(store: Store, vintage: str | None) -> dict[str, str]:
    """``--vintage V`` as a pin of V's source; V may be a unique prefix (``mcv_spi@ed2024``)."""
    if not vintage:
        return {}
    stored = store.warehouse.vintages()
    for item in stored:
        if item.vintage == vintage:
            return {item.source_id: vintage}
    matching = [item for item in stored if item.vintage.startswith(vintage)]
    if len(matching) == 1:
        return {matching[0].source_id: matching[0].vintage}
    known = ", ".join(v.vintage for v in store.warehouse.vintages()) or "none"
    raise UnknownCodeError(f"unknown vintage {vintage!r}", "--vintage", f"use one of: {known}")


def engine(store: Store, vintage: str | None = None) -> Engine:
    """An engine over the store's current (or pinned) vintages."""
    return Engine(series_inputs(store, pins_for(store, vintage)), load_codelists())


@dataclass(frozen=True)
class QueryRow:
    """One value as the user sees it: with unit, period, source, vintage and badge."""

    indicator: str
    geo: str
    partner: str | None
    product: str | None
    period: str
    freq: str
    value: float | None
    unit: str
    source: str
    vintage: str
    badge: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return dict(self.__dict__)


def result_rows(result: Result, table: pa.Table, store: Store | None = None) -> list[QueryRow]:
    """Rows of an indicator table with their provenance. With ``store``, a row of an indicator made
    from several sources names only the sources that have observations for its geo."""
    sources = source_specs()
    rows = []
    for r in table.to_pylist():
        used = _sources_for_geo(store, result, r["geo"]) if store is not None else sorted(result.vintages)
        rows.append(QueryRow(
            result.spec.id, r["geo"], r["partner"], r["product"], r["period"], r["freq"], r["value"],
            result.spec.unit, "; ".join(f"{sources[s].producer}: {sources[s].title.en}" for s in used),
            "; ".join(result.vintages[s] for s in used), result.badge))
    return rows


def _sources_for_geo(store: Store, result: Result, geo: str) -> list[str]:
    if len(result.vintages) < 2:
        return sorted(result.vintages)
    found = [s for s, v in sorted(result.vintages.items()) if store.warehouse.con.execute(
        "SELECT count(*) FROM observations WHERE vintage = ? AND geo = ?", [v, geo]).fetchall()[0][0]]
    return found or sorted(result.vintages)


def query(indicator: str, *, geo: str | None = "USA", partner: str | None = None, product: str | None = None,
          period: str | None = None, vintage: str | None = None, home: Path | None = None) -> list[QueryRow]:
    """Values of one indicator, filtered; the whole annual series when no period is given."""
    spec = get_spec(indicator)
    codelists = load_codelists()
    if partner:
        partner = codelists.area(partner, "--partner").code
    if geo:
        geo = codelists.area(geo, "--geo").code
    asked = parse_period(period) if period else None
    freq = asked.freq if asked else "A"
    with open_store(home) as store:
        result = engine(store, vintage).compute(spec.id, freq, asked.ytd_month if asked else None)
        table = result.table
        for column, wanted in (("geo", geo), ("partner", partner), ("product", product)):
            if wanted:
                table = table.filter(table[column] == wanted)
        if asked:
            table = table.filter(table.period == asked.period)
        return result_rows(result, table.order_by(["period", "partner"]).to_pyarrow(), store)


def empty_inputs(indicator: str, *, vintage: str | None = None, home: Path | None = None) -> dict[str, str]:
    """The input series of ``indicator`` (through the indicators it builds on) that hold no observation
    in the store, each with the source that provides it: why a query may answer nothing."""
    series: dict[str, str] = {}
    pending = [indicator]
    while pending:
        for item in get_spec(pending.pop()).inputs.values():
            if item.indicator:
                pending.append(item.indicator)
            elif item.series:
                series[item.series] = next((sid for sid, s in source_specs().items() if item.series in s.series), "?")
    with open_store(home) as store:
        found = series_inputs(store, pins_for(store, vintage))
        return {sid: source for sid, source in series.items()
                if sid not in found or found[sid].table.filter(found[sid].table.series == sid).count().to_pyarrow()
                .as_py() == 0}


def _with_queries(adapter: Adapter, names: list[str]) -> Adapter:
    """The same adapter with only the named live queries of its source."""
    live = adapter.spec.live
    assert live is not None
    declared = {q.name: q for q in live.queries}
    unknown = [n for n in names if n not in declared]
    if unknown:
        raise UnknownCodeError(f"{adapter.spec.id} has no live query {', '.join(unknown)}", "--query",
                               f"use one of: {', '.join(declared) or '(none: the source declares no queries)'}")
    spec = adapter.spec.model_copy(update={"live": live.model_copy(
        update={"queries": [declared[n] for n in dict.fromkeys(names)]})})
    return type(adapter)(spec)


def update(source_id: str, *, home: Path | None = None, client: HttpClient | None = None,
           progress: Progress = _quiet, queries: list[str] | None = None) -> Vintage:
    """Fetch a source live into a new vintage (only the declared live ``queries`` named, when given).
    On any failure the store is left as it was."""
    adapter = get_adapter(source_id)
    if adapter.spec.live is None:
        raise UnknownCodeError(f"source {source_id} has no live API", "SOURCE", "use `usmca import` with a file")
    base_url = adapter.spec.live.base_url
    if queries:
        adapter = _with_queries(adapter, queries)
    root = home or usmca_home()
    own = client is None
    client = client or HttpClient(root / "http-cache")
    try:
        codelists = load_codelists()
        payloads = adapter.fetch(client, codelists, progress)
        if not payloads:
            raise DataError("the API returned no data", base_url, "check the source's start date")
        rows = adapter.parse_payloads(payloads, codelists)
    finally:
        if own:
            client.close()
    return _store_vintage(root, source_id, "live", rows, payloads)


def import_file(source_id: str, path: Path, *, home: Path | None = None) -> Vintage:
    """Load a local file in one of the source's layouts into a new vintage."""
    adapter = get_adapter(source_id)
    if not path.is_file():
        raise DataError("no such file", str(path), "give the path of a downloaded file")
    from usmca_monitor.sources.tidy import read_tidy_csv, sniff_tidy_csv

    if sniff_tidy_csv(path):  # any source takes a tidy CSV in the observation schema (its own series only)
        reader = "tidy_csv"
        rows = read_tidy_csv(path, load_codelists(), frozenset(adapter.spec.series))
    else:
        reader = adapter.detect_reader(path)
        rows = adapter.readers[reader](path, load_codelists())
    spec = adapter.spec
    origin = Origin(producer=spec.producer, title=f"{spec.title.en} ({reader}, imported file {path.name})",
                    url=path.resolve().as_uri(), licence=spec.licence, citation=spec.citation,
                    accessed=_now(), path=path.name)
    payload = Payload(data=path.read_bytes(), origin=origin, name=path.name)
    return _store_vintage(home or usmca_home(), source_id, "import", rows, [payload])


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _store_vintage(root: Path, source_id: str, kind: str, rows: list[dict[str, object]],
                   payloads: list[Payload]) -> Vintage:
    if not rows:
        raise DataError("no observations could be read", source_id, "check the file or the API answer")
    created = _now()
    stamp = f"{source_id}@{kind}-{created.replace(':', '').replace('-', '')}"
    with open_store(root) as store:
        vintage_id, n = stamp, 1
        while store.warehouse.has_vintage(vintage_id):
            n += 1
            vintage_id = f"{stamp}-{n}"
        table = to_observations(rows, source_id, vintage_id, "official")
        vintage = Vintage(vintage_id, source_id, created, kind, table.num_rows, "")
        origins = [store.raw.put(p.data, p.origin) for p in payloads]
        store.warehouse.add_vintage(vintage, table, origins)
    return vintage


def list_sources(home: Path | None = None) -> list[dict[str, Any]]:
    """Sources with their current vintage and coverage."""
    out = []
    with open_store(home) as store:
        for source_id, spec in source_specs().items():
            current = store.warehouse.current_vintage(source_id)
            span = (None, None)
            if current:
                span = store.warehouse.con.execute(
                    "SELECT coalesce(min(period) FILTER (WHERE freq = 'M'), min(period)), "  # months, else any
                    "coalesce(max(period) FILTER (WHERE freq = 'M'), max(period)) FROM observations WHERE vintage = ?",
                    [current.vintage]).fetchall()[0] or span
            out.append({"id": source_id, "title": spec.title.en, "producer": spec.producer,
                        "vintage": current.vintage if current else None,
                        "created": current.created if current else None,
                        "rows": current.rows if current else 0, "first": span[0], "last": span[1],
                        "vintages": len(store.warehouse.vintages(source_id)), "live": spec.live is not None})
    return out


def list_indicators() -> list[dict[str, Any]]:
    """Indicators with unit, inputs and frequencies."""
    return [{"id": s.id, "title": s.title.en, "unit": s.unit, "goal": s.goal, "freqs": s.freqs,
             "inputs": {k: v.series or f"indicator:{v.indicator}" for k, v in s.inputs.items()}}
            for s in indicator_specs().values()]


def truck_class(weight: str, unit: str = "lb", lang: str = "en") -> str:
    """The FHWA truck class of a gross vehicle weight rating, as one line (see ``trucks.py``)."""
    from usmca_monitor.trucks import describe

    return describe(weight, unit, lang)


def codelists() -> Codelists:
    """The codelists (countries, groups, Census codes)."""
    return load_codelists()


# Goals and progress (progress/): the shared goals, any series judged, stakeholder goal files.

def parse_year_values(text: str) -> dict[int, float]:
    """``2015=10,2020=12.5`` → {2015: 10.0, 2020: 12.5}, or a DataError naming the bad pair."""
    values: dict[int, float] = {}
    for pair in (p.strip() for p in text.split(",") if p.strip()):
        year, sep, value = pair.partition("=")
        try:
            if not sep or len(year.strip()) != 4:
                raise ValueError(pair)
            values[int(year)] = float(value)
        except ValueError:
            raise DataError(f"{pair!r} is not YEAR=VALUE", "--values",
                            "write the series as 2015=10,2020=12.5 (a dot for decimals)") from None
    if not values:
        raise DataError("no values given", "--values", "write the series as 2015=10,2020=12.5")
    return values


def parse_bands(text: str, direction: str) -> tuple[Any, ...]:
    """``green=4.5,yellow=3.4,orange=0`` → traffic-light bands, best first (from the value up for an
    increase, down for a decrease); red applies otherwise."""
    from usmca_monitor.model.goals import Band

    bands = []
    for pair in (p.strip() for p in text.split(",") if p.strip()):
        light, sep, value = pair.partition("=")
        if not sep or light.strip() not in ("green", "yellow", "orange", "red"):
            raise DataError(f"{pair!r} is not LIGHT=VALUE", "--bands", "write green=4.5,yellow=3.4,orange=0")
        try:
            bound = float(value)
        except ValueError:
            raise DataError(f"{value!r} is not a number", "--bands", "write green=4.5,yellow=3.4,orange=0") from None
        key = "at_least" if direction == "increase" else "at_most"
        bands.append(Band.model_validate({"light": light.strip(), key: bound}))
    return (*bands, Band(light="red"))


def assess_series(method: str, values: dict[int, float], *, direction: str, base_year: int | None = None,
                  target: float | None = None, target_year: int | None = None, limit: float | None = None,
                  bands: str | None = None, benchmark: dict[int, float] | None = None) -> Any:
    """Judge one annual series with a progress method (base year defaults to the first year given);
    ``bands`` and ``benchmark`` are the semaforo's thresholds or benchmark series."""
    from usmca_monitor.progress.methods import SeriesCase, assess

    if target_year is not None and target is None:
        raise DataError("--target-year without --target", "--target-year", "give --target V as well, or drop it")
    if base_year is not None and base_year not in values and not any(y > base_year for y in values):
        raise DataError(f"no value in or after the base year {base_year}", "--base-year",
                        "choose a base year within the years given in --values")
    case = SeriesCase(values=values, direction=direction, base_year=base_year if base_year is not None else min(values),
                      target=target, target_year=target_year or 2050, limit=limit,
                      bands=parse_bands(bands, direction) if bands else (), benchmark=benchmark)
    return assess(method, case)


def goals_progress(*, rollup: str | None = None, vintage: str | None = None, home: Path | None = None) -> list[Any]:
    """Every shared goal judged from its targets on the current (or pinned) data."""
    from usmca_monitor.progress.catalog import load_catalog
    from usmca_monitor.progress.evaluate import engine_loader, judge_goals

    if rollup not in (None, "mean", "two_worst"):
        raise UnknownCodeError(f"unknown roll-up {rollup!r}", "--rollup", "use mean or two_worst")
    with open_store(home) as store:
        return judge_goals(load_catalog(), engine_loader(engine(store, vintage)), rollup)


def list_goals() -> list[dict[str, Any]]:
    """The shared goals' targets: indicator, selection, method, direction, target value and year."""
    from usmca_monitor.progress.catalog import load_catalog

    return [{"goal": g.id, "target": t.id, "indicator": t.indicator or "(pending data)",
             "selection": "/".join(t.selection.geo) + ("→" + "/".join(p for p in t.selection.partner if p)
                                                        if any(t.selection.partner) else ""),
             "method": t.method, "direction": t.direction, "value": t.target_value, "year": t.target_year,
             "proposed": t.proposed}
            for g in load_catalog().goals for t in g.targets]


def facts_check(*, vintage: str | None = None, home: Path | None = None) -> dict[str, Any]:
    """Every fact of catalog/facts/ checked against the current (or pinned) data: ``facts`` (one entry per
    fact: id, status, report_value, computed_value, latest_value, latest_period…), ``summary`` (counts
    per status) and ``line`` (the summary line)."""
    from usmca_monitor.facts.check import check_facts, summarize, summary_line

    with open_store(home) as store:
        results = check_facts(engine(store, vintage))
    summary = summarize(results)
    return {"facts": [r.as_dict() for r in results], "summary": summary, "line": summary_line(summary)}


def known_codes() -> Any:
    """What a stakeholder goal file may name: the catalog's indicators and the area codes."""
    from usmca_monitor.progress.catalog import load_catalog
    from usmca_monitor.progress.stakeholders import KnownCodes

    areas = set(load_codelists().areas) | set(load_catalog().areas)
    return KnownCodes(indicators=frozenset(indicator_specs()), areas=frozenset(areas))


def validate_goal_file(path: Path, root: Path | None = None) -> list[Any]:
    """Every problem of a stakeholder goal file (an empty list when it is valid)."""
    from usmca_monitor.progress.stakeholders import validate_file

    if not path.is_file():
        raise DataError("no such file", str(path), "give the path of a stakeholder goal YAML file")
    _, problems = validate_file(path, known_codes(), root)
    return problems
