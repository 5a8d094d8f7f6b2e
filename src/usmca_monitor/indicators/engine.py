"""The engine: spec → inputs from the store (for the chosen vintage) → formula → indicator table."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from usmca_monitor.codelists import Codelists
from usmca_monitor.indicators.periods import aggregate_monthly, code_label, label_monthly, resolve_ytd
from usmca_monitor.indicators.registry import get_formula, get_spec
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import IndicatorSpec, InputSpec

OUTPUT_KEYS = ["geo", "partner", "product", "period", "freq"]
INPUT_KEYS = ["geo", "partner", "product", "flow"]


@dataclass(frozen=True)
class SeriesInput:
    """Where a series is read from: a table of observations and the vintage and status behind it."""

    table: ir.Table
    vintage: str
    source_id: str
    statuses: frozenset[str] = frozenset({"official"})
    freqs: frozenset[str] | None = None  # the frequencies the series is published at, when known


@dataclass
class Result:
    """An indicator computed at one frequency, with what it was made from."""

    spec: IndicatorSpec
    freq: str
    table: ir.Table
    vintages: dict[str, str] = field(default_factory=dict)  # source_id → vintage
    statuses: frozenset[str] = frozenset()
    published: bool = False  # the formula passes published values through unchanged
    coded: bool = False  # ``period`` holds integer period codes (inside the engine only; see periods.period_code)
    ytd_month: int | None = None  # the year-to-date month the codes stand for

    @property
    def badge(self) -> str:
        """``report`` when any input is a figure quoted from the report; ``official`` when the formula
        shows published values as they are (``formula.publishes_as_is``); else ``computed``."""
        if "report" in self.statuses:
            return "report"
        return "official" if self.published else "computed"

    def to_arrow(self) -> pa.Table:
        """The values (keys, value) ordered by keys."""
        return self.table.order_by(OUTPUT_KEYS).to_pyarrow()


def _has_native(rows: ir.Table, freq: str, known: frozenset[str] | None = None) -> bool:
    """Whether the series has observations published at ``freq`` itself: from the store's record of
    the frequencies a series holds (``known``), else a probe DuckDB answers from row-group statistics."""
    if freq == "M" or "freq" not in rows.columns:
        return False
    if known is not None:
        return freq in known
    return rows.filter(rows.freq == freq).limit(1).to_pyarrow().num_rows > 0


def _at_frequency(rows: ir.Table, freq: str, ytd_month: int | None, known: frozenset[str] | None = None) -> ir.Table:
    """Monthly observations aggregated to ``freq``, plus observations published at ``freq`` itself
    (e.g. annual-only series such as OICA production pass through unchanged when ``freq`` is ``A``)."""
    aggregated = aggregate_monthly(rows, freq, INPUT_KEYS, ytd_month)
    if not _has_native(rows, freq, known):  # nothing to add: skip the UNION and its second scan
        return aggregated
    native = rows.filter(rows.freq == freq).select(*INPUT_KEYS, "period", value="value").mutate(
        freq=ibis.literal(freq))
    schema = ibis.schema({name: dtype.copy(nullable=True) for name, dtype in aggregated.schema().items()})
    return aggregated.cast(schema).union(native.select(*aggregated.columns).cast(schema))


def _rows_of(found: SeriesInput, series_id: str, measure: str) -> ir.Table:
    """The rows of one series and measure."""
    rows = found.table.filter(found.table.series == series_id)
    return rows.filter(rows.measure == measure) if "measure" in rows.columns else rows


def _add_vintage(vintages: dict[str, str], source_id: str, vintage: str) -> None:
    """Record that ``vintage`` of ``source_id`` is used; a source read from several vintages (one file
    imported after another: ``Session``) lists them all, "; "-joined."""
    known = vintages.get(source_id)
    if known is None:
        vintages[source_id] = vintage
    elif vintage not in known.split("; "):
        vintages[source_id] = "; ".join(sorted([*known.split("; "), vintage]))


class Engine:
    """Computes indicators from series inputs. ``series`` maps a series id to where it lives."""

    def __init__(self, series: Mapping[str, SeriesInput], codelists: Codelists) -> None:
        self.series = series
        self.codelists = codelists
        self._areas = ibis.memtable(pa.table({
            "code": list(codelists.areas), "kind": [a.kind for a in codelists.areas.values()]}))
        self._built: dict[tuple[str, str, str, int | None], Result] = {}
        self._lock = threading.RLock()

    def compute(self, indicator_id: str, freq: str, ytd_month: int | None = None) -> Result:
        """The indicator ``indicator_id`` at frequency ``freq``: its expression, built once per indicator,
        frequency and month (an engine serves one set of vintages; its readers compile it once too)."""
        key = ("labelled", indicator_id, freq, ytd_month)
        with self._lock:
            found = self._built.get(key)
            if found is None:
                found = self._coded(indicator_id, freq, ytd_month)
                if found.coded:
                    table = found.table.mutate(period=code_label(freq, found.table.period, found.ytd_month))
                    found = replace(found, table=table.select(*OUTPUT_KEYS, "value"), coded=False)
                self._built[key] = found
            return found

    def _coded(self, indicator_id: str, freq: str, ytd_month: int | None) -> Result:
        """The indicator with integer period codes where its formulas allow them (else labelled)."""
        key = ("coded", indicator_id, freq, ytd_month)
        with self._lock:
            found = self._built.get(key)
            if found is None:
                found = self._build(indicator_id, freq, ytd_month)
                self._built[key] = found
            return found

    def _build(self, indicator_id: str, freq: str, ytd_month: int | None) -> Result:
        spec = get_spec(indicator_id)
        if freq not in spec.freqs:
            raise UnknownCodeError(f"indicator {indicator_id} has no frequency {freq}", "--period",
                                   f"use one of: {', '.join(spec.freqs)}")
        kwargs: dict[str, object] = dict(spec.params)
        vintages: dict[str, str] = {}
        statuses: set[str] = set()
        formula = get_formula(spec.formula)
        parameters = inspect.signature(formula).parameters
        loaded = {name: item for name, item in spec.inputs.items()
                  if item.series is None or item.series in self.series or name not in parameters
                  or parameters[name].default is inspect.Parameter.empty}  # optional inputs absent: left out
        # Integer period codes (narrow keys; labelled once, at the end): a formula that only sums its
        # series inputs per key and period gets the monthly rows with codes (one aggregation instead of
        # two); a formula that takes codes (``period_codes``) keeps the codes of indicators made with them.
        coded = self._codes(spec, formula, loaded, freq, indicator_id)
        inners = {name: self._coded(item.indicator, freq, ytd_month) for name, item in loaded.items()
                  if item.indicator is not None}
        keep = (bool(inners) and len(inners) == len(loaded) and getattr(formula, "period_codes", False)
                and all(r.coded for r in inners.values()))
        completes: list[ir.Table] = []
        for name, item in loaded.items():
            if item.series is not None:
                found = self._series(item.series, indicator_id)
                kwargs[name], complete, ytd_month = self._series_input(found, item.series, item.measure, freq,
                                                                       ytd_month, coded)
                if complete is not None:
                    completes.append(complete)
                _add_vintage(vintages, found.source_id, found.vintage)
                statuses |= found.statuses
            else:
                assert item.indicator is not None
                inner = inners[name] if keep else self.compute(item.indicator, freq, ytd_month)
                kwargs[name] = inner.table
                for source_id, inner_vintage in inner.vintages.items():
                    _add_vintage(vintages, source_id, inner_vintage)
                statuses |= inner.statuses
        if keep:
            ytd_month = next(iter(inners.values())).ytd_month
        if "areas" in parameters:
            kwargs["areas"] = self._areas
        table = formula(**kwargs)
        if not isinstance(table, ir.Table):
            raise DataError(f"formula {spec.formula} returned {type(table).__name__}, not a table",
                            f"indicator {indicator_id}", "formulas return an Ibis table")
        for complete in completes:  # isin, not semi_join: after a semi-join Ibis no longer shares a reused
            # result as one CTE, and DuckDB summed the monthly rows twice (total_trade_yoy)
            table = table.filter(table.period.isin(complete.complete_period))
        table = table.select(*OUTPUT_KEYS, value=table.value.cast("float64"))
        return Result(spec=spec, freq=freq, table=table, vintages=vintages, statuses=frozenset(statuses),
                      published=bool(getattr(formula, "publishes_as_is", False)), coded=coded or keep,
                      ytd_month=ytd_month)

    def _codes(self, spec: IndicatorSpec, formula: object, loaded: Mapping[str, InputSpec], freq: str,
               indicator_id: str) -> bool:
        """Whether the formula sums per period (``trade.sums_per_period``) over series inputs only, none of
        which holds rows published at ``freq`` itself: then it runs on integer period codes."""
        if not getattr(formula, "sums_per_period", False) or freq == "M":
            return False
        if any(item.series is None for item in loaded.values()):
            return False
        for item in loaded.values():
            assert item.series is not None
            found = self._series(item.series, indicator_id)
            if _has_native(_rows_of(found, item.series, item.measure), freq, found.freqs):
                return False
        return True

    @staticmethod
    def _series_input(found: SeriesInput, series_id: str, measure: str, freq: str, ytd_month: int | None,
                      coded: bool) -> tuple[ir.Table, ir.Table | None, int | None]:
        """One series input at ``freq``: summed per period, or (``coded``, for a formula that only sums per
        key and period) monthly rows with integer period codes plus the table of complete codes; and the
        year-to-date month (resolved from the data when not given)."""
        rows = _rows_of(found, series_id, measure)
        if coded:
            ytd_month = resolve_ytd(rows, freq, ytd_month)
            labelled, complete = label_monthly(rows, freq, INPUT_KEYS, ytd_month, coded=True)
            return labelled, complete, ytd_month
        return _at_frequency(rows, freq, ytd_month, found.freqs), None, ytd_month

    def _series(self, series_id: str, indicator_id: str) -> SeriesInput:
        if series_id not in self.series:
            raise DataError(f"input series {series_id!r} is not in the store", f"indicator {indicator_id}",
                            "load it with `usmca build` (embedded snapshot) or `usmca update`")
        return self.series[series_id]
