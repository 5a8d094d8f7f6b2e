"""The public Python API: what the command line and the server call."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from usmca_monitor import changes
from usmca_monitor.codelists import Codelists, data_path, load_codelists
from usmca_monitor.indicators.periods import parse_period
from usmca_monitor.indicators.registry import get_spec, indicator_specs
from usmca_monitor.indicators.session import Computed, Session, filter_table, open_warehouse
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import Origin
from usmca_monitor.safety import safe_url
from usmca_monitor.sources.base import Adapter, Payload
from usmca_monitor.sources.files import read_rows
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.registry import get_adapter, source_specs
from usmca_monitor.sources.validate import Door, check_rows
from usmca_monitor.store import Vintage, Warehouse, usmca_home

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@contextmanager
def open_session(home: Path | None = None, vintage: str | None = None, engine: str = "duckdb") -> Iterator[Session]:
    """A reader's session over the store (and the embedded snapshot), with ``vintage`` pinned."""
    session = Session(home, vintage, engine=engine)
    try:
        yield session
    finally:
        session.close()


def embedded_manifest() -> dict[str, Any]:
    """The embedded snapshot's manifest (vintages and origins)."""
    path = data_path("manifest.json")
    if not path.exists():
        raise DataError("the embedded snapshot is missing", str(path),
                        "run `usmca snapshot --from ../shared/data` (maintainers) or reinstall")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


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


def result_rows(computed: Computed, table: pa.Table, session: Session | None = None) -> list[QueryRow]:
    """Rows of an indicator table with their provenance. With ``session``, a row of an indicator made
    from several sources names only the sources that have observations for its geo."""
    sources = source_specs()
    rows = []
    for r in table.to_pylist():
        used = (session.sources_for_geo(computed.vintages, r["geo"]) if session is not None
                else sorted(computed.vintages))
        rows.append(QueryRow(
            computed.spec.id, r["geo"], r["partner"], r["product"], r["period"], r["freq"], r["value"],
            computed.spec.unit, "; ".join(f"{sources[s].producer}: {sources[s].title.en}" for s in used),
            "; ".join(computed.vintages[s] for s in used), computed.badge))
    return rows


def query(indicator: str, *, geo: str | None = "USA", partner: str | None = None, product: str | None = None,
          period: str | None = None, vintage: str | None = None, home: Path | None = None,
          session: Session | None = None, engine: str = "duckdb") -> list[QueryRow]:
    """Values of one indicator, filtered; the whole annual series when no period is given (computed by
    ``engine``: duckdb, or spark)."""
    spec = get_spec(indicator)
    codelists = load_codelists()
    if partner:
        partner = codelists.area(partner, "--partner").code
    if geo:
        geo = codelists.area(geo, "--geo").code
    asked = parse_period(period) if period else None
    freq = asked.freq if asked else "A"
    if freq not in spec.freqs:
        raise UnknownCodeError(f"indicator {indicator} has no frequency {freq}", "--period",
                               f"use one of: {', '.join(spec.freqs)}")
    with _session(session, home, vintage, engine) as reader:
        computed = reader.compute(spec.id, freq, asked.ytd_month if asked else None)
        table = filter_table(computed.table, geo=geo, partner=partner, product=product,
                             period=asked.period if asked else None)
        table = table.sort_by([("period", "ascending"), ("partner", "ascending")]) if table.num_rows else table
        return result_rows(computed, table, reader)


def query_all(indicator: str, *, vintage: str | None = None, home: Path | None = None,
              session: Session | None = None) -> pa.Table:
    """Every row of one indicator — all geos, partners, products and frequencies — with unit, source,
    vintage and badge (the rows of the site's ``data/<id>.csv``)."""
    from usmca_monitor.indicators.documents import indicator_data

    spec = get_spec(indicator)
    with _session(session, home, vintage) as reader:
        return indicator_data(reader, spec.id).table


@contextmanager
def _session(session: Session | None, home: Path | None, vintage: str | None,
             engine: str = "duckdb") -> Iterator[Session]:
    """``session`` (pinned to ``vintage``), or a new one on ``engine`` closed afterwards."""
    if session is not None:
        yield session.pinned(vintage) if vintage else session
        return
    with open_session(home, vintage, engine) as opened:
        yield opened


def empty_inputs(indicator: str, *, vintage: str | None = None, home: Path | None = None) -> dict[str, str]:
    """The input series of ``indicator`` (through the indicators it builds on) that hold no observation
    in the store, each with the source that provides it: why a query may answer nothing."""
    with open_session(home, vintage) as session:
        return session.empty_inputs(indicator)


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


def live_adapter(source_id: str) -> Adapter:
    """The adapter of a live source, its base URL taken from ``USMCA_<SOURCE>_BASE_URL`` when set (a mirror,
    a proxy, or a local test server), else from the source YAML."""
    adapter = get_adapter(source_id)
    live = adapter.spec.live
    if live is None:
        raise UnknownCodeError(f"source {source_id} has no live API", "SOURCE", "use `usmca import` with a file")
    override = os.environ.get(f"USMCA_{source_id.upper()}_BASE_URL", "").strip()
    if override:
        if safe_url(override) is None:
            raise DataError(f"USMCA_{source_id.upper()}_BASE_URL={override!r} is not an http(s) URL",
                            f"USMCA_{source_id.upper()}_BASE_URL", "give an absolute http:// or https:// URL")
        spec = adapter.spec.model_copy(update={"live": live.model_copy(update={"base_url": override.rstrip("/")})})
        adapter = type(adapter)(spec)
    return adapter


def update(source_id: str, *, home: Path | None = None, client: HttpClient | None = None,
           progress: Progress = _quiet, queries: list[str] | None = None, keep_unchanged: bool = True) -> Vintage:
    """Fetch a source live into a new vintage (only the declared live ``queries`` named, when given).
    On any failure the store is left as it was. ``keep_unchanged=False``: when the answer holds exactly
    what the store already reads, no vintage is added and the current one is returned."""
    adapter = live_adapter(source_id)
    assert adapter.spec.live is not None
    base_url = adapter.spec.live.base_url
    if queries:
        adapter = _with_queries(adapter, queries)
    root = home or usmca_home()
    own = client is None
    client = client or HttpClient(root / "http-cache")
    streams = getattr(adapter, "streams", None)
    if queries and streams is not None and streams():  # a bulk (monthly) query named: answers streamed
        try:
            return _stream_update(root, adapter, client, progress)
        finally:
            if own:
                client.close()
    try:
        codelists = load_codelists()
        payloads = adapter.fetch(client, codelists, progress)
        if not payloads:
            raise DataError("the API returned no data", base_url, "check the source's start date")
        rows = adapter.parse_payloads(payloads, codelists)
    finally:
        if own:
            client.close()
    return _store_vintage(root, adapter, "live", rows, payloads, base_url, keep_unchanged)


def import_file(source_id: str, path: Path, *, home: Path | None = None, encoding: str | None = None,
                max_size_mb: float | None = None) -> Vintage:
    """Load a local file in one of the source's layouts (or a tidy CSV) into a new vintage. The file is
    read as it comes and checked at the door (``sources/validate.py``); ``encoding`` overrides the
    layout's text encoding; files over ``max_size_mb`` (default ``USMCA_MAX_FILE_MB``, 1024) are refused."""
    adapter = get_adapter(source_id)
    bulk = getattr(adapter, "bulk_reader", None)
    reader_of = bulk(path) if bulk is not None and path.exists() else None
    if reader_of is not None:  # a bulk file or folder (Census's monthly archives): streamed in bounded memory
        return _stream_import(home or usmca_home(), adapter, reader_of)
    reader, rows = read_rows(adapter, path, load_codelists(), encoding=encoding, max_size_mb=max_size_mb)
    spec = adapter.spec
    origin = Origin(producer=spec.producer, title=f"{spec.title.en} ({reader}, imported file {path.name})",
                    url=path.resolve().as_uri(), licence=spec.licence, citation=spec.citation,
                    accessed=_now(), path=path.name)
    payload = Payload(data=b"", origin=origin, name=path.name, path=path)
    return _store_vintage(home or usmca_home(), adapter, "import", rows, [payload], str(path))


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stream_update(root: Path, adapter: Adapter, client: HttpClient, progress: Progress) -> Vintage:
    """A new vintage streamed from the live API, one answer at a time (each stored raw as it comes)."""
    spec = adapter.spec
    created = _now()
    with Warehouse(root).writer() as writer:
        vintage_id = _new_vintage_id(writer, f"{spec.id}@live-{created.replace(':', '').replace('-', '')}")
        origins: list[Origin] = []

        def store(payload: Payload) -> None:
            origins.append(writer.put_raw(payload.data, payload.origin))

        batches = adapter.stream_live(client, load_codelists(), progress, store, vintage_id)  # type: ignore[attr-defined]
        added = writer.stream_vintage(Vintage(vintage_id, spec.id, created, "live", 0, ""),
                                      _at_the_door(batches, adapter, spec.live.base_url if spec.live else spec.id),
                                      lambda: origins)
        changes.record_changes(root)
        return added


def _at_the_door(batches: Iterable[Any], adapter: Adapter, where: str) -> Iterator[Any]:
    """Streamed batches checked at the door (``Door.check_batch``) as they pass."""
    door = Door(adapter.spec, load_codelists(), where)
    for batch in batches:
        yield door.check_batch(pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch)


def _new_vintage_id(writer: Any, stamp: str) -> str:
    vintage_id, n = stamp, 1
    while writer.warehouse.has_vintage(vintage_id):
        n += 1
        vintage_id = f"{stamp}-{n}"
    return vintage_id


def _stream_import(root: Path, adapter: Adapter, bulk: Any) -> Vintage:
    """A new vintage streamed from bulk files (``bulk``: the adapter's ``BulkFiles``): batches of
    observations written as they are read, each file stored raw (copied, not read whole)."""
    spec = adapter.spec
    created = _now()
    stamp = f"{spec.id}@import-{created.replace(':', '').replace('-', '')}"
    warehouse = Warehouse(root)
    with warehouse.writer() as writer:
        vintage_id = _new_vintage_id(writer, stamp)
        origins = [writer.put_raw_file(p, Origin(
            producer=spec.producer, title=f"{spec.title.en} ({bulk.reader}, imported file {p.name})",
            url=p.resolve().as_uri(), licence=spec.licence, citation=spec.citation, accessed=created, path=p.name))
            for p in bulk.paths]
        batches = bulk.batches(load_codelists(), spec.id, vintage_id)
        added = writer.stream_vintage(Vintage(vintage_id, spec.id, created, "import", 0, ""),
                                      _at_the_door(batches, adapter, ", ".join(str(p) for p in bulk.paths)), origins)
        changes.record_changes(root)
        return added


def _store_vintage(root: Path, adapter: Adapter, kind: str, rows: Iterable[dict[str, object]],
                   payloads: list[Payload], where: str, keep_unchanged: bool = True) -> Vintage:
    """Check ``rows`` at the door (before the write lock is taken: reading a large file does not keep other
    writers waiting), then write them as a new vintage with the raw payloads and record what changed
    (``keep_unchanged=False``: an answer identical to what the store reads adds no vintage)."""
    source_id = adapter.spec.id
    created = _now()
    stamp = f"{source_id}@{kind}-{created.replace(':', '').replace('-', '')}"
    table = check_rows(rows, adapter.spec, load_codelists(), where, vintage=stamp)
    if not table.num_rows:
        raise DataError("no observations could be read (the file or answer holds none in this layout)", where,
                        "check that it is the right file and that it holds data rows, not only a header")
    warehouse = Warehouse(root)
    with warehouse.writer() as writer:
        vintage_id, n = stamp, 1
        while writer.warehouse.has_vintage(vintage_id):
            n += 1
            vintage_id = f"{stamp}-{n}"
        same = None if keep_unchanged else changes.unchanged(open_warehouse(root), source_id, table)
        if same is not None:
            return same
        if vintage_id != stamp:
            table = table.set_column(table.schema.get_field_index("vintage"), "vintage",
                                     pa.array([vintage_id] * table.num_rows, pa.string()).dictionary_encode())
        origins = [writer.put_raw(p.path or p.data, p.origin) for p in payloads]
        added = writer.add_vintage(Vintage(vintage_id, source_id, created, kind, table.num_rows, ""), table, origins)
        changes.record_changes(root)  # right after the manifest, under the write lock (changes.py)
        return added


def list_sources(home: Path | None = None) -> list[dict[str, Any]]:
    """Sources with their current vintage and coverage."""
    out = []
    with open_session(home) as session:
        for source_id, spec in source_specs().items():
            current = session.current_vintage(source_id)
            first = last = None
            if current:
                months = [f for f in current.files if "M" in f.freqs]
                chosen = months or list(current.files)
                first = min((f.first for f in chosen), default=None)
                last = max((f.last_month or f.last for f in chosen), default=None)
            out.append({"id": source_id, "title": spec.title.en, "producer": spec.producer,
                        "vintage": current.vintage if current else None,
                        "created": current.created if current else None,
                        "rows": current.rows if current else 0, "first": first, "last": last,
                        "vintages": len(session.vintages(source_id)), "live": spec.live is not None})
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


def goals_progress(*, rollup: str | None = None, vintage: str | None = None, home: Path | None = None,
                   engine: str = "duckdb") -> list[Any]:
    """Every shared goal judged from its targets on the current (or pinned) data (computed by ``engine``)."""
    from usmca_monitor.progress.catalog import load_catalog
    from usmca_monitor.progress.evaluate import engine_loader, judge_goals

    if rollup not in (None, "mean", "two_worst"):
        raise UnknownCodeError(f"unknown roll-up {rollup!r}", "--rollup", "use mean or two_worst")
    with open_session(home, vintage, engine) as session:
        return judge_goals(load_catalog(), engine_loader(session.engine), rollup)


def list_goals() -> list[dict[str, Any]]:
    """The shared goals' targets: indicator, selection, method, direction, target value and year."""
    from usmca_monitor.progress.catalog import load_catalog

    return [{"goal": g.id, "target": t.id, "indicator": t.indicator or "(pending data)",
             "selection": (f"states of {'/'.join(t.selection.subdivisions_of)}" if t.selection.subdivisions_of
                           else "/".join(t.selection.geo)) + ("→" + "/".join(p for p in t.selection.partner if p)
                                                              if any(t.selection.partner) else ""),
             "method": t.method, "direction": t.direction, "value": t.target_value, "year": t.target_year,
             "proposed": t.proposed}
            for g in load_catalog().goals for t in g.targets]


def facts_check(*, vintage: str | None = None, home: Path | None = None) -> dict[str, Any]:
    """Every fact of catalog/facts/ checked against the current (or pinned) data: ``facts`` (one entry per
    fact: id, status, report_value, computed_value, latest_value, latest_period…), ``summary`` (counts
    per status) and ``line`` (the summary line)."""
    from usmca_monitor.facts.check import check_facts, summarize, summary_line

    with open_session(home, vintage) as session:
        results = check_facts(session.engine)
    summary = summarize(results)
    return {"facts": [r.as_dict() for r in results], "summary": summary, "line": summary_line(summary)}


def known_codes() -> Any:
    """What a stakeholder goal file may name: the catalog's indicators and the area codes."""
    from usmca_monitor.progress.stakeholders import KnownCodes

    return KnownCodes.from_catalog()


def init_goal_file(path: Path, *, force: bool = False) -> Path:
    """Write the commented template of a stakeholder goal file to ``path`` (it validates as written);
    an existing file is kept unless ``force``."""
    from usmca_monitor.progress.stakeholders import TEMPLATE

    if path.exists() and not force:
        raise DataError("the file already exists", str(path), "choose another name, or pass --force to replace it")
    if not path.parent.is_dir():
        raise DataError("no such folder", str(path.parent), "create the folder first, or write the file elsewhere")
    path.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def validate_goal_file(path: Path, root: Path | None = None) -> list[Any]:
    """Every problem of a stakeholder goal file (an empty list when it is valid)."""
    from usmca_monitor.progress.stakeholders import validate_file

    if not path.is_file():
        raise DataError("no such file", str(path), "give the path of a stakeholder goal YAML file")
    _, problems = validate_file(path, known_codes(), root)
    return problems


# What changed (changes.py): vintage diffs and the scheduled refresh.

def diff(source_id: str, *, old: str | None = None, new: str | None = None, home: Path | None = None) -> dict[str, Any]:
    """Observations added, removed and revised between two vintages of a source (default: its two
    newest) and the indicators, facts, targets and pages they move."""
    return changes.diff(source_id, old, new, home=home)


def refresh(sources: list[str] | None = None, *, out: Path = Path("_site"), langs: list[str] | None = None,
            home: Path | None = None, client: HttpClient | None = None,
            progress: Progress = _quiet) -> changes.RefreshResult:
    """Update every live source (or ``sources``), record what changed, and rebuild and publish the site
    into ``out`` when anything did. ``result.exit_code`` is what a scheduler acts on."""
    from usmca_monitor.publish.build import build_site
    from usmca_monitor.publish.i18n import LANGS

    ids = sources or [s["id"] for s in list_sources(home) if s["live"]]

    def one(source_id: str) -> Vintage | None:
        progress(f"updating {source_id}")
        before = {v.vintage for v in open_warehouse(home).vintages(source_id)}
        vintage = update(source_id, home=home, client=client, progress=progress, keep_unchanged=False)
        return None if vintage.vintage in before else vintage

    def build() -> int:
        progress("building the site")
        return build_site(out, langs or list(LANGS), home=home, progress=progress).pages

    return changes.refresh(ids, one, build, home)
