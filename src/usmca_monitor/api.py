"""The public Python API: what the command line and the server call."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from usmca_monitor.codelists import Codelists, data_path, load_codelists
from usmca_monitor.indicators.periods import parse_period
from usmca_monitor.indicators.registry import get_spec, indicator_specs
from usmca_monitor.indicators.session import Computed, Session, filter_table
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import Origin
from usmca_monitor.sources.base import Adapter, Payload, to_observations
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.registry import get_adapter, source_specs
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
          session: Session | None = None) -> list[QueryRow]:
    """Values of one indicator, filtered; the whole annual series when no period is given."""
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
    with _session(session, home, vintage) as reader:
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
def _session(session: Session | None, home: Path | None, vintage: str | None) -> Iterator[Session]:
    """``session`` (pinned to ``vintage``), or a new one closed afterwards."""
    if session is not None:
        yield session.pinned(vintage) if vintage else session
        return
    with open_session(home, vintage) as opened:
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
    warehouse = Warehouse(root)
    with warehouse.writer() as writer:
        vintage_id, n = stamp, 1
        while writer.warehouse.has_vintage(vintage_id):
            n += 1
            vintage_id = f"{stamp}-{n}"
        table = to_observations(rows, source_id, vintage_id, "official")
        origins = [writer.put_raw(p.data, p.origin) for p in payloads]
        return writer.add_vintage(Vintage(vintage_id, source_id, created, kind, table.num_rows, ""), table, origins)


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


def goals_progress(*, rollup: str | None = None, vintage: str | None = None, home: Path | None = None) -> list[Any]:
    """Every shared goal judged from its targets on the current (or pinned) data."""
    from usmca_monitor.progress.catalog import load_catalog
    from usmca_monitor.progress.evaluate import engine_loader, judge_goals

    if rollup not in (None, "mean", "two_worst"):
        raise UnknownCodeError(f"unknown roll-up {rollup!r}", "--rollup", "use mean or two_worst")
    with open_session(home, vintage) as session:
        return judge_goals(load_catalog(), engine_loader(session.engine), rollup)


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

    with open_session(home, vintage) as session:
        results = check_facts(session.engine)
    summary = summarize(results)
    return {"facts": [r.as_dict() for r in results], "summary": summary, "line": summary_line(summary)}


def known_codes() -> Any:
    """What a stakeholder goal file may name: the catalog's indicators and the area codes."""
    from usmca_monitor.progress.stakeholders import KnownCodes

    return KnownCodes.from_catalog()


def validate_goal_file(path: Path, root: Path | None = None) -> list[Any]:
    """Every problem of a stakeholder goal file (an empty list when it is valid)."""
    from usmca_monitor.progress.stakeholders import validate_file

    if not path.is_file():
        raise DataError("no such file", str(path), "give the path of a stakeholder goal YAML file")
    _, problems = validate_file(path, known_codes(), root)
    return problems
