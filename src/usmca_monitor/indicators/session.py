"""The read side of one command, build or API process: the store opened for reading (no lock), the
vintage pins, one cached engine per set of pins, and typed reads — indicators computed as Arrow
tables, the report's stated figures, origins, and what series, vintages and periods exist.

Every page, download and API answer reads through a ``Session``; nothing above this layer runs SQL
or touches the engine's tables directly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from usmca_monitor.catalog import source_of_series, source_specs
from usmca_monitor.codelists import Codelists, data_path, load_codelists
from usmca_monitor.indicators.engine import OUTPUT_KEYS, Engine, Result, SeriesInput
from usmca_monitor.indicators.registry import get_formula, get_spec
from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.model.specs import IndicatorSpec, Origin
from usmca_monitor.store import usmca_home
from usmca_monitor.store.reader import Reader, open_reader
from usmca_monitor.store.warehouse import MANIFEST, Vintage, Warehouse, embedded_vintages

STATED_SERIES = "report.stated"
STATED_SOURCE = "report_stated"


@dataclass(frozen=True)
class Computed:
    """An indicator computed at one frequency, as Arrow (``geo, partner, product, period, freq, value``
    ordered by keys), with the vintages, statuses and badge behind it."""

    spec: IndicatorSpec
    freq: str
    table: pa.Table
    vintages: dict[str, str]
    statuses: frozenset[str]
    badge: str
    _rows: list[dict[str, Any]] = field(default_factory=list, compare=False, repr=False)

    def rows(self, **where: str | None) -> list[dict[str, Any]]:
        """The rows as dicts, those whose columns equal every value in ``where`` (None matches null)."""
        if not self._rows and self.table.num_rows:
            self._rows.extend(self.table.to_pylist())
        if not where:
            return list(self._rows)
        return [r for r in self._rows if all(r.get(k) == v for k, v in where.items())]

    def value(self, period: str, geo: str = "USA", partner: str | None = None,
              product: str | None = None) -> float | None:
        """One value, or None."""
        for row in self.rows(period=period, geo=geo):
            if (partner is None or row["partner"] == partner) and (product is None or row["product"] == product):
                value: float | None = row["value"]
                return value
        return None

    def periods(self, **where: str | None) -> list[str]:
        """The periods with a value (of the rows matching ``where``), in order."""
        return sorted({r["period"] for r in self.rows(**where) if r["value"] is not None})


class _Series(Mapping[str, SeriesInput]):
    """Series id → where the engine reads it, resolved on first use."""

    def __init__(self, session: Session, pins: Mapping[str, str]) -> None:
        self._session, self._pins = session, dict(pins)
        self._found: dict[str, SeriesInput | None] = {}
        self._lock = threading.Lock()

    def _resolve(self, series_id: str) -> SeriesInput | None:
        with self._lock:
            if series_id not in self._found:
                self._found[series_id] = self._session._series_input(series_id, self._pins)
            return self._found[series_id]

    def __getitem__(self, series_id: str) -> SeriesInput:
        found = self._resolve(series_id)
        if found is None:
            raise KeyError(series_id)
        return found

    def __contains__(self, series_id: object) -> bool:
        return isinstance(series_id, str) and self._resolve(series_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter([s for s in source_of_series() if s in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Session:
    """One reader of the store: vintages as of opening, pins, engine and results cached."""

    def __init__(self, home: Path | None = None, vintage: str | None = None, *, engine: str = "duckdb",
                 warehouse: Warehouse | None = None, reader: Reader | None = None,
                 codelists: Codelists | None = None) -> None:
        self.warehouse = warehouse or open_warehouse(home)
        self.reader = reader or open_reader(engine)
        self.codelists = codelists or load_codelists()
        self._engines: dict[tuple[tuple[str, str], ...], Engine] = {}
        self._results: dict[tuple[Any, ...], Computed] = {}
        self._lock = threading.RLock()
        self.pins = self.pins_for(vintage)

    # ---- opening, pins, closing ----

    def pins_for(self, vintage: str | None) -> dict[str, str]:
        """``--vintage V`` as a pin of V's source; V may be a unique prefix (``mcv_spi@ed2024``)."""
        if not vintage:
            return {}
        stored = self.warehouse.vintages()
        for item in stored:
            if item.vintage == vintage:
                return {item.source_id: vintage}
        matching = [item for item in stored if item.vintage.startswith(vintage)]
        if len(matching) == 1:
            return {matching[0].source_id: matching[0].vintage}
        known = ", ".join(v.vintage for v in stored) or "none"
        raise UnknownCodeError(f"unknown vintage {vintage!r}", "--vintage", f"use one of: {known}")

    def pinned(self, vintage: str | None) -> Session:
        """A session over the same store and caches with ``vintage`` pinned (on top of this one's pins)."""
        other = Session.__new__(Session)
        other.__dict__.update(self.__dict__)
        other.pins = {**self.pins, **self.pins_for(vintage)}
        return other

    def version(self) -> str:
        """What this session reads: the store's version (``store_version``) and its pins."""
        pins = ",".join(f"{k}={v}" for k, v in sorted(self.pins.items()))
        return store_version(self.warehouse.home) + (f"|pins:{pins}" if pins else "")

    def close(self) -> None:
        """Release the engine's connection (and those of the earlier sessions opened through this one)."""
        for earlier in getattr(self, "_earlier", {}).values():
            if earlier is not None:
                earlier.close()
        self.reader.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- indicators ----

    @property
    def engine(self) -> Engine:
        """The engine over the current (or pinned) vintages (one per set of pins)."""
        key = tuple(sorted(self.pins.items()))
        with self._lock:
            if key not in self._engines:
                self._engines[key] = Engine(_Series(self, self.pins), self.codelists)
            return self._engines[key]

    def result(self, indicator: str, freq: str = "A", ytd_month: int | None = None) -> Result:
        """The indicator as an engine result (a lazy table; for the API's filters and the facts)."""
        return self.engine.compute(indicator, freq, ytd_month)

    def compute(self, indicator: str, freq: str = "A", ytd_month: int | None = None) -> Computed:
        """The indicator at ``freq``, computed once per session and pins."""
        key = (tuple(sorted(self.pins.items())), indicator, freq, ytd_month)
        with self._lock:
            found = self._results.get(key)
        if found is not None:
            return found
        result = self.result(indicator, freq, ytd_month)
        table = self.reader.execute(result.table)
        table = table.sort_by([(k, "ascending") for k in OUTPUT_KEYS]) if table.num_rows else table
        computed = Computed(spec=result.spec, freq=freq, table=table, vintages=dict(result.vintages),
                            statuses=result.statuses, badge=result.badge)
        with self._lock:
            self._results[key] = computed
        return computed

    def derived(self, indicator: str, formula: str, freq: str = "A") -> Computed:
        """``formula`` (a formula of the catalog taking one table, e.g. ``spi.rank_within_country``)
        applied to the indicator's table: a view the catalog does not declare as its own indicator."""
        key = (tuple(sorted(self.pins.items())), indicator, freq, formula)
        with self._lock:
            found = self._results.get(key)
        if found is not None:
            return found
        result = self.result(indicator, freq)
        expression: Any = get_formula(formula)(result.table)
        table = self.reader.execute(expression)
        table = table.sort_by([(k, "ascending") for k in OUTPUT_KEYS]) if table.num_rows else table
        computed = Computed(spec=result.spec, freq=freq, table=table, vintages=dict(result.vintages),
                            statuses=result.statuses, badge="report" if "report" in result.statuses else "computed")
        with self._lock:
            self._results[key] = computed
        return computed

    def empty_inputs(self, indicator: str) -> dict[str, str]:
        """The input series of ``indicator`` (through the indicators it builds on) that hold no
        observation, each with the source that provides it: why an indicator has no data."""
        owners = source_of_series()
        series: dict[str, str] = {}
        pending = [indicator]
        while pending:
            for item in get_spec(pending.pop()).inputs.values():
                if item.indicator:
                    pending.append(item.indicator)
                elif item.series:
                    series[item.series] = owners.get(item.series, "?")
        return {sid: source for sid, source in series.items() if not self.has_series(sid)}

    # ---- series and vintages ----

    def _series_input(self, series_id: str, pins: Mapping[str, str]) -> SeriesInput | None:
        source_id = source_of_series().get(series_id)
        if source_id is None:
            return None
        stored = self.warehouse.vintages(source_id)
        if not stored:
            return None
        pinned = self.warehouse.resolve_vintage(source_id, pins.get(source_id))
        candidates = [pinned] if source_id in pins else stored
        vintage = next((v for v in candidates if v.holds(series_id)), pinned)
        files = [f for f in vintage.files if series_id in f.series] or list(vintage.files)
        statuses = frozenset(s for f in files for s in f.statuses)
        freqs = frozenset(q for f in files for q in f.freqs)
        return SeriesInput(self.reader.table(vintage, series_id), vintage.vintage, source_id, statuses, freqs)

    def series_vintage(self, series_id: str) -> Vintage | None:
        """The vintage the engine reads ``series_id`` from (None when no vintage holds it)."""
        found = self.engine.series.get(series_id)
        return self.warehouse.vintage(found.vintage) if found is not None else None

    def has_series(self, series_id: str) -> bool:
        """Whether the store (as pinned) holds rows of ``series_id``."""
        vintage = self.series_vintage(series_id)
        return vintage is not None and vintage.holds(series_id)

    def distinct(self, series_id: str, column: str) -> list[str]:
        """The distinct non-null values of ``column`` in ``series_id`` (as read by the engine)."""
        found = self.engine.series.get(series_id)
        if found is None:
            return []
        values = self.reader.execute(found.table.select(column).distinct())[column].to_pylist()
        return sorted(str(v) for v in values if v is not None)

    def vintages(self, source_id: str | None = None) -> list[Vintage]:
        """Vintages (stored and embedded), newest first."""
        return self.warehouse.vintages(source_id)

    def current_vintage(self, source_id: str) -> Vintage | None:
        """The vintage of ``source_id`` this session reads (pinned, else the newest)."""
        if source_id in self.pins:
            return self.warehouse.vintage(self.pins[source_id])
        return self.warehouse.current_vintage(source_id)

    def vintage(self, vintage_id: str) -> Vintage:
        """One vintage by id."""
        return self.warehouse.vintage(vintage_id)

    def origins(self, vintages: str) -> list[Origin]:
        """The origins of the raw files behind one vintage or several ("; "-joined)."""
        return [o for v in vintages.split("; ") if v for o in self.warehouse.origins(v)]

    def last_month(self, vintage_id: str) -> str:
        """The latest month a vintage holds ('' when it holds no monthly data)."""
        return max((f.last_month for f in self.warehouse.vintage(vintage_id).files), default="")

    def observations(self, vintage_id: str, series: str | None = None) -> pa.Table:
        """The observations of a vintage (one series of it), as stored."""
        return self.warehouse.observations(vintage_id, series)

    def sources_for_geo(self, vintages: Mapping[str, str], geo: str) -> list[str]:
        """Of the sources behind a value, those with observations for ``geo`` (all when one source)."""
        if len(vintages) < 2:
            return sorted(vintages)
        found = [s for s, v in sorted(vintages.items())
                 if any(geo in f.geos for vid in v.split("; ") for f in self.warehouse.vintage(vid).files)]
        return found or sorted(vintages)

    # ---- what changed ----

    def earlier(self, vintages: Mapping[str, str]) -> Session | None:
        """A session over the store as it was before the vintage this session reads of each source in
        ``vintages`` (source → vintage, as ``Computed.vintages``); None when none of them has an earlier
        vintage. Opened once per set of sources and closed with this session."""
        from usmca_monitor.store.diff import WarehouseAsOf, previous_vintage

        with self._lock:
            cache: dict[tuple[str, ...], Session | None] = self.__dict__.setdefault("_earlier", {})
            key = tuple(sorted(vintages))
            if key not in cache:
                cut = {}
                for source_id in key:
                    current = self.current_vintage(source_id)
                    previous = previous_vintage(self.warehouse, current) if current is not None else None
                    if previous is not None:
                        cut[source_id] = previous.vintage
                other = None
                if cut:
                    other = Session(warehouse=WarehouseAsOf(self.warehouse, cut), codelists=self.codelists,
                                    engine=self.reader.name)
                    other.pins = {s: v for s, v in self.pins.items() if s not in cut}
                cache[key] = other
            return cache[key]

    def revised(self, indicator: str, freq: str = "A", ytd_month: int | None = None) -> dict[Any, Any]:
        """The rows of ``indicator`` revised beyond its catalog ``revision_threshold`` since the vintage
        before the current one: (geo, partner, product, period) → ``Revision`` (value, earlier value,
        earlier vintages, relative change). See ``indicators/revisions.py``."""
        from usmca_monitor.indicators.revisions import revised

        return revised(self, indicator, freq, ytd_month)

    def change_records(self) -> list[dict[str, Any]]:
        """The changelog's records (what each update, import or embedded snapshot changed), newest first."""
        from usmca_monitor.store.changelog import read_records

        return read_records(self.warehouse.home)

    # ---- the report's figures ----

    def stated(self) -> tuple[pa.Table, Vintage | None]:
        """The report's own figures (series ``report.stated`` of the current vintage) and that vintage."""
        current = self.current_vintage(STATED_SOURCE)
        if current is None:
            from usmca_monitor.model.observation import OBSERVATION_SCHEMA

            return OBSERVATION_SCHEMA.empty_table(), None
        table = self.warehouse.observations(current.vintage, STATED_SERIES)
        return table, current

    def source(self, source_id: str) -> Any:
        """A source's spec (names, licence, citation) from the catalog."""
        return source_specs()[source_id]


def store_home(home: Path | None = None) -> Path:
    """The store's folder: ``home``, else ``USMCA_HOME``, else ``./.usmca``."""
    return home or usmca_home()


def store_version(home: Path | None = None) -> str:
    """A token that changes whenever a writer adds a vintage or the package's embedded snapshot changes
    (caches of answers and the static API's index compare it)."""
    parts = []
    for path in (store_home(home) / MANIFEST, data_path("manifest.json")):
        try:
            stat = path.stat()
            parts.append(f"{stat.st_mtime_ns}-{stat.st_size}")
        except FileNotFoundError:
            parts.append("none")
    return "/".join(parts)


def open_warehouse(home: Path | None = None) -> Warehouse:
    """The store of ``home`` (default ``USMCA_HOME``) with the embedded snapshot, for reading."""
    from usmca_monitor.store.legacy import migrate_if_needed

    root = store_home(home)
    migrate_if_needed(root)
    return Warehouse(root, embedded=embedded())


_EMBEDDED: dict[str, list[Vintage]] = {}


def embedded() -> list[Vintage]:
    """The embedded snapshot's vintages (read once per process and manifest version)."""
    path = data_path("manifest.json")
    try:
        key = f"{path}:{path.stat().st_mtime_ns}"
    except FileNotFoundError:
        key = str(path)
    if key not in _EMBEDDED:
        _EMBEDDED.clear()
        _EMBEDDED[key] = embedded_vintages(data_path())
    return _EMBEDDED[key]


def filter_table(table: pa.Table, **where: str | None) -> pa.Table:
    """Rows of ``table`` whose columns equal the given values (None leaves a column unfiltered)."""
    for column, wanted in where.items():
        if wanted is not None:
            table = table.filter(pc.equal(table[column], wanted))
    return table
