"""The door: one validation step for every row a reader or a live parser produces, before anything is
stored (``usmca import``, ``usmca update``, ``usmca snapshot``).

Each row must be an observation of a series its source declares, with

* a finite number (or no value): ``nan``, ``inf`` or ``1e309`` are refused;
* the sign and range the series declares (``catalog/sources/*.yaml``, ``SeriesSpec``): trade values and
  vehicle counts are not negative, scores stay within 0–100;
* known codes: ``geo`` and ``partner`` in the codelists (countries, groups, subdivisions, and the
  aggregates of ``catalog/codelists/observation_codes.yaml``), ``product`` a code of a declared scheme
  (``HS:8708`` of a known HS chapter, ``NAICS:334``, ``ATP:04``…), ``flow`` export/import/total;
* plain text in ``measure`` and ``unit`` (no markup, no control or bidirectional characters);
* a frequency, a period of that frequency and a known status;

and no two rows may share a key (the observation key plus any column the series declares in ``keys``).

Rows are consumed as they come and kept as dictionary-encoded Arrow columns, so a large file costs
little more than its observations (``bench/import_memory.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from usmca_monitor.codelists import Codelists, catalog_path, product_names, read_yaml
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.observation import (
    FREQS,
    KEY_COLUMNS,
    PERIOD_PATTERNS,
    STATUSES,
    ObservationColumns,
    first_duplicate,
    sorted_dictionaries,
)
from usmca_monitor.model.specs import SeriesSpec, SourceSpec

FLOWS = frozenset({"export", "import", "total"})
TEXT = re.compile(r"^[A-Za-z0-9_.:%/=()+, -]{1,120}$")
ROW_COLUMNS = ("series", "geo", "partner", "product", "flow", "measure", "period", "freq", "value", "unit", "status")
STRINGS = tuple(c for c in ROW_COLUMNS if c != "value")


@cache
def observation_codes() -> dict[str, Any]:
    """``catalog/codelists/observation_codes.yaml``: extra area codes and the product schemes."""
    document: dict[str, Any] = read_yaml(catalog_path("codelists", "observation_codes.yaml"))
    return document


@cache
def _chapters(table: str, extra: tuple[str, ...]) -> frozenset[str]:
    """The two-digit codes of a derived product table (empty when the snapshot has not derived it)."""
    codes = {code[:2] for code in product_names(table) if code[:2].isdigit()}
    for code in product_names(table):
        if re.fullmatch(r"\d{2}-\d{2}", code):  # NAICS 31-33: every sector code in the range
            codes.update(f"{n:02d}" for n in range(int(code[:2]), int(code[3:]) + 1))
    return frozenset(codes | set(extra)) if codes else frozenset()


class Door:
    """Validates rows of one source into an observation table (see the module docstring)."""

    def __init__(self, spec: SourceSpec, codelists: Codelists, where: str) -> None:
        self.spec, self.where = spec, where
        extra = observation_codes()
        self.areas = frozenset(codelists.areas) | frozenset(extra.get("areas") or {})
        self.schemes: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (extra.get("products") or {}).items()}
        self.rules = {sid: spec.series_spec(sid) for sid in spec.series}
        self._good: set[tuple[str, str]] = set()  # (column, text) already checked

    # ---- one row ----

    def check(self, row: Mapping[str, object]) -> None:
        """A DataError (naming the observation and the file or URL) unless ``row`` is a valid observation."""
        series = row.get("series")
        if series not in self.rules:
            raise DataError(f"series {series!r} is not one source {self.spec.id} declares", self.where,
                            f"use one of: {', '.join(sorted(self.rules))}")
        for column in ("geo", "partner", "product", "flow", "measure", "unit", "freq", "period", "status"):
            value = row.get(column)
            key = (column, f"{row.get('freq')}|{value}" if column == "period" else str(value))
            if value is None or key not in self._good:
                self._check_text(column, value, row)
                if value is not None:
                    self._good.add(key)
        self._check_value(row.get("value"), self.rules[str(series)], row)

    def _check_text(self, column: str, value: object, row: Mapping[str, object]) -> None:
        if value is None and column in ("partner", "product", "flow", "status"):
            return
        if not isinstance(value, str) or not value:
            raise DataError(f"{_name(row)}: {column} is {value!r}", self.where, f"every observation needs a {column}")
        {"geo": self._check_area, "partner": self._check_area, "product": self._check_product,
         "flow": self._check_member, "freq": self._check_member, "status": self._check_member,
         "measure": self._check_plain, "unit": self._check_plain, "period": self._check_period}[column](
            column, value, row)

    def _check_area(self, column: str, value: str, row: Mapping[str, object]) -> None:
        if value not in self.areas:
            raise UnknownCodeError(f"{_name(row)}: unknown {column} code {value!r}", self.where,
                                   "use an ISO 3166-1 alpha-3 code (MEX), an ISO 3166-2 subdivision (MX-NLE) or "
                                   "a group of the codelists (WLD, USMCA, EU…)")

    def _check_member(self, column: str, value: str, row: Mapping[str, object]) -> None:
        allowed = {"flow": tuple(sorted(FLOWS)), "freq": FREQS, "status": STATUSES}[column]
        if value not in allowed:
            raise DataError(f"{_name(row)}: {column} {value!r} is unknown", self.where,
                            f"use one of {', '.join(allowed)}")

    def _check_plain(self, column: str, value: str, row: Mapping[str, object]) -> None:
        if not TEXT.match(value):
            raise DataError(f"{_name(row)}: {column} {value!r} has characters that are not allowed", self.where,
                            "use letters, digits, spaces and _ . : % / = ( ) + , -")

    def _check_period(self, column: str, value: str, row: Mapping[str, object]) -> None:
        pattern = PERIOD_PATTERNS.get(str(row.get("freq")))
        if pattern is None or not pattern.match(value):
            raise DataError(f"{_name(row)}: period {value!r} does not match freq {row.get('freq')!r}", self.where,
                            "use 2024, 2024-Q2, 2024-06, 2024-H1 or 2024-YTD06")

    def _check_product(self, column: str, value: str, row: Mapping[str, object]) -> None:
        scheme, _, code = value.partition(":")
        declared = self.schemes.get(scheme)
        if declared is None or not re.fullmatch(str(declared["pattern"]), code):
            known = ", ".join(f"{k}:{v.get('example', '')}" for k, v in self.schemes.items())
            raise UnknownCodeError(f"{_name(row)}: product {value!r} is not a code of a known scheme", self.where,
                                   f"write SCHEME:CODE, e.g. {known}")
        table = declared.get("chapters_from")
        if table:
            chapters = _chapters(str(table), tuple(declared.get("extra_chapters") or ()))
            if chapters and code[:2] not in chapters:
                raise UnknownCodeError(f"{_name(row)}: product {value!r}: {code[:2]} is not a {scheme} chapter or "
                                       f"sector of the codelists ({table})", self.where, "check the product code")

    def _check_value(self, value: object, rule: SeriesSpec, row: Mapping[str, object]) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DataError(f"{_name(row)}: value {value!r} is not a number", self.where, "values are numbers")
        number = float(value)
        if not math.isfinite(number):
            raise DataError(f"{_name(row)}: value {value!r} is not a finite number", self.where,
                            "leave a missing value empty; nan and infinity are not data")
        if (rule.sign == "nonnegative" and number < 0) or (rule.sign == "positive" and number <= 0):
            raise DataError(f"{_name(row)}: value {number:g} is impossible: {row.get('series')} is {rule.sign}",
                            self.where, "check the file: a negative value here is a reading or sign error")
        if (rule.min is not None and number < rule.min) or (rule.max is not None and number > rule.max):
            raise DataError(f"{_name(row)}: value {number!r} is outside {rule.min:g}–{rule.max:g}"
                            if rule.min is not None and rule.max is not None else
                            f"{_name(row)}: value {number:g} is outside the range of {row.get('series')}", self.where,
                            "check the column holds this measure (a rank or a share out of scale?)")

    # ---- many rows ----

    def table(self, rows: Iterable[Mapping[str, object]], source_id: str, vintage: str, status: str) -> pa.Table:
        """The rows checked one by one and as a whole (unique keys), as an observation table whose text
        columns are dictionary-encoded by sorted dictionaries: about 20 bytes a row, built as the rows come
        (``model/observation.py:ObservationColumns``)."""
        columns = ObservationColumns(status)
        for row in rows:
            self.check(row)
            columns.add(row)
        table = columns.table(source_id, vintage)
        self.check_keys(table)
        return table

    def check_batch(self, table: pa.Table) -> pa.Table:
        """A streamed batch (bulk loads) checked column by column: every distinct code and period once,
        values finite and within their series' rules, keys unique within the batch (a bulk reader sums
        its lines per key and period before yielding, so a key never spans two batches). Returns ``table``."""
        series = [str(s) for s in pc.unique(table["series"]).to_pylist()]
        for sid in series:
            if sid not in self.rules:
                self.check({"series": sid})
        for column in ("geo", "partner", "product", "flow", "measure", "unit", "freq", "status"):
            for value in pc.unique(table[column]).to_pylist():
                key = (column, str(value))
                if value is None or key not in self._good:
                    self._check_text(column, value, {"series": series[0] if series else "", column: value})
                    if value is not None:
                        self._good.add(key)
        pairs = table.select(["freq", "period"]).group_by(["freq", "period"]).aggregate([])
        for freq, period in zip(pairs["freq"].to_pylist(), pairs["period"].to_pylist(), strict=True):
            self._check_text("period", period, {"freq": freq, "period": period})
        self._check_batch_values(table, series)
        self.check_keys(sorted_dictionaries(table))
        return table

    def _check_batch_values(self, table: pa.Table, series: list[str]) -> None:
        for sid in series:
            values = pc.filter(table["value"], pc.equal(table["series"], sid)) if len(series) > 1 else table["value"]
            bounds = pc.min_max(values).as_py()
            bad = pc.sum(pc.invert(pc.is_finite(pc.drop_null(values)))).as_py()
            if bad:
                self._check_value(float("nan"), self.rules[sid], {"series": sid})
            for number in (bounds["min"], bounds["max"]):
                self._check_value(number, self.rules[sid], {"series": sid})

    def check_keys(self, table: pa.Table) -> None:
        """A DataError naming one key that two rows share (keys: the observation key plus the series'
        declared ``keys``)."""
        groups: dict[tuple[str, ...], list[str]] = {}
        for sid, rule in self.rules.items():
            groups.setdefault(tuple(rule.keys), []).append(sid)
        for extra, series in groups.items():
            part = table if len(groups) == 1 else table.filter(pc.is_in(table["series"], pa.array(series)))
            keys = (*KEY_COLUMNS, *extra)
            found = first_duplicate(part, keys) if part.num_rows else None
            if found is not None:
                row = {k: part[k][found[0]].as_py() for k in keys}
                raise DataError(f"{_name(row)} appears {found[1]} times (duplicate key {', '.join(keys)})",
                                self.where,
                                "give each observation once; a source that lists a figure twice must say which to keep")


def _name(row: Mapping[str, object]) -> str:
    """An observation as a reader can find it: series, geo→partner, product, flow, measure, period."""
    parts = [str(row.get("series")), str(row.get("geo"))]
    if row.get("partner"):
        parts[-1] += f"→{row.get('partner')}"
    parts += [str(row[k]) for k in ("product", "flow", "measure", "period") if row.get(k)]
    return " ".join(parts)


def check_rows(rows: Iterable[Mapping[str, object]], spec: SourceSpec, codelists: Codelists, where: str, *,
               vintage: str, status: str = "official") -> pa.Table:
    """Rows of source ``spec`` checked at the door into an observation table (``where``: the file or URL)."""
    return Door(spec, codelists, where).table(rows, spec.id, vintage, status)
