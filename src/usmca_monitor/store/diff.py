"""What changed between two vintages of a source: observations added, removed and revised (by the
observation key), and the store as it was when a given vintage was its source's newest.

Which series are compared: a series held by both vintages is compared row by row; a series only the
newer vintage holds counts as added; a series only the older one holds is *carried* — readers keep
reading it from the older vintage (``Session``), so nothing of it is removed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.model.observation import KEY_COLUMNS, OBSERVATION_SCHEMA
from usmca_monitor.store.warehouse import Vintage, Warehouse, order_key

NULL_KEY = "\x00"  # stands for a null key cell while joining (nulls never match in a join)
KINDS = ("revised", "added", "removed")
DIFF_SCHEMA = pa.schema([*(OBSERVATION_SCHEMA.field(c) for c in KEY_COLUMNS),
                         pa.field("change", pa.string()), pa.field("old_value", pa.float64()),
                         pa.field("new_value", pa.float64()), pa.field("abs_change", pa.float64()),
                         pa.field("rel_change", pa.float64()), pa.field("unit", pa.string())])


@dataclass(frozen=True)
class ObservationDiff:
    """The observations that differ between two vintages (``table``: one row per key, ``DIFF_SCHEMA``)
    and the series compared, added whole, or carried from the older vintage."""

    source_id: str
    old: str | None
    new: str
    table: pa.Table
    compared: tuple[str, ...] = ()
    carried: tuple[str, ...] = ()
    unchanged: int = 0
    series_added: tuple[str, ...] = field(default=())
    added_rows: int | None = None  # a first vintage: all its rows are added (the table holds one row per pair)

    def count(self, kind: str) -> int:
        """How many observations were ``added``, ``removed`` or ``revised``."""
        if self.added_rows is not None:
            return self.added_rows if kind == "added" else 0
        return int(pc.sum(pc.equal(self.table["change"], kind)).as_py() or 0)

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return self.table.num_rows == 0

    def series(self) -> list[str]:
        """The series with a changed observation."""
        return sorted(set(self.table["series"].to_pylist()))

    def moved(self) -> set[tuple[str, str]]:
        """The (series, measure) pairs with a changed observation."""
        pairs = self.table.select(["series", "measure"]).group_by(["series", "measure"]).aggregate([])
        return set(zip(pairs["series"].to_pylist(), pairs["measure"].to_pylist(), strict=True))

    def rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The changes as dicts: revisions first, largest relative revision first, then by key."""
        table = self.table
        if not table.num_rows:
            return []
        kind = pc.index_in(table["change"], pa.array(KINDS))
        rel = pc.abs(table["rel_change"])
        size = pc.fill_null(pc.if_else(pc.is_nan(rel), math.inf, rel),
                            pc.if_else(pc.is_valid(table["abs_change"]), math.inf, 0.0))
        keyed = table.append_column("_kind", kind).append_column("_size", pc.negate(size))
        order = [("_kind", "ascending"), ("_size", "ascending"), *((c, "ascending") for c in KEY_COLUMNS)]
        ordered = keyed.sort_by(order)
        if limit is not None:
            ordered = ordered.slice(0, limit)
        return ordered.drop_columns(["_kind", "_size"]).to_pylist()


def diff_tables(old: pa.Table, new: pa.Table) -> tuple[pa.Table, int]:
    """The rows of ``new`` that ``old`` lacks (added), the reverse (removed), and keys whose value or
    unit differ (revised), with the size of each revision; and how many keys are unchanged."""
    left, right = _keyed(old), _keyed(new)
    joined = left.join(right, keys=list(KEY_COLUMNS), join_type="full outer",
                       left_suffix="_old", right_suffix="_new", coalesce_keys=True)
    in_old, in_new = pc.is_valid(joined["present_old"]), pc.is_valid(joined["present_new"])
    old_v, new_v = joined["value_old"], joined["value_new"]
    same_value = pc.or_kleene(pc.equal(old_v, new_v), pc.and_(pc.is_null(old_v), pc.is_null(new_v)))
    same = pc.and_(pc.fill_null(same_value, False), pc.equal(pc.fill_null(joined["unit_old"], ""),
                                                             pc.fill_null(joined["unit_new"], "")))
    both = pc.and_(in_old, in_new)
    unchanged = int(pc.sum(pc.and_(both, same)).as_py() or 0)
    revised = pc.if_else(same, pa.scalar(None, pa.string()), "revised")
    change = pc.if_else(pc.invert(in_old), "added", pc.if_else(pc.invert(in_new), "removed", revised))
    joined = joined.append_column("change", change).filter(pc.is_valid(change))
    abs_change = pc.subtract(joined["value_new"], joined["value_old"])
    denominator = pc.abs(joined["value_old"])
    rel = pc.if_else(pc.equal(denominator, 0.0), None, pc.divide(abs_change, denominator))
    columns = {c: _restore_null(joined[c]) for c in KEY_COLUMNS}
    unit = pc.coalesce(joined["unit_new"], joined["unit_old"])
    table = pa.table({**columns, "change": joined["change"], "old_value": joined["value_old"],
                      "new_value": joined["value_new"], "abs_change": abs_change, "rel_change": rel,
                      "unit": unit}).cast(DIFF_SCHEMA)
    return table, unchanged


def _keyed(table: pa.Table) -> pa.Table:
    """Key columns (nulls as ``NULL_KEY``), value, unit and a presence marker."""
    columns = {c: pc.fill_null(table[c].cast(pa.string()), NULL_KEY) for c in KEY_COLUMNS}
    return pa.table({**columns, "value": table["value"].cast(pa.float64()), "unit": table["unit"].cast(pa.string()),
                     "present": pa.array([True] * table.num_rows, pa.bool_())})


def _restore_null(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.if_else(pc.equal(column, NULL_KEY), pa.scalar(None, pa.string()), column)


def diff_vintages(warehouse: Warehouse, old: Vintage | None, new: Vintage) -> ObservationDiff:
    """What changed from ``old`` to ``new`` (two vintages of one source; ``old`` None: all added)."""
    new_series = set(new.series())
    old_series = set(old.series()) if old is not None else set()
    compared = sorted(new_series & old_series)
    added_whole = sorted(new_series - old_series)
    carried = sorted(old_series - new_series)
    parts, unchanged = [], 0
    for series in compared:
        assert old is not None
        table, same = diff_tables(warehouse.observations(old.vintage, series),
                                  warehouse.observations(new.vintage, series))
        parts.append(table)
        unchanged += same
    for series in added_whole:
        table, _ = diff_tables(OBSERVATION_SCHEMA.empty_table(), warehouse.observations(new.vintage, series))
        parts.append(table)
    table = pa.concat_tables(parts) if parts else DIFF_SCHEMA.empty_table()
    return ObservationDiff(new.source_id, old.vintage if old else None, new.vintage, table, tuple(compared),
                           tuple(carried), unchanged, tuple(added_whole))


def previous_vintage(warehouse: Warehouse, vintage: Vintage) -> Vintage | None:
    """The vintage of the same source ordered just before ``vintage`` (None when it is the oldest)."""
    older = [v for v in warehouse.vintages(vintage.source_id) if order_key(v) < order_key(vintage)]
    return older[0] if older else None


def pick_pair(warehouse: Warehouse, source_id: str, old_id: str | None = None,
              new_id: str | None = None) -> tuple[Vintage | None, Vintage]:
    """The two vintages a diff compares: given ones (checked to be of ``source_id``), else the newest
    and the one before it (``--to`` alone: the one before it)."""
    found = warehouse.vintages(source_id)
    if not found:
        raise UnknownCodeError(f"no vintage of source {source_id}", "SOURCE",
                               "run `usmca sources` for the sources and their vintages")
    new = _of_source(warehouse, source_id, new_id, "--to") if new_id else found[0]
    old = _of_source(warehouse, source_id, old_id, "--from") if old_id else previous_vintage(warehouse, new)
    return old, new


def _of_source(warehouse: Warehouse, source_id: str, vintage_id: str, option: str) -> Vintage:
    found = warehouse.vintages(source_id)
    matching = [v for v in found if v.vintage == vintage_id] or [v for v in found if v.vintage.startswith(vintage_id)]
    if len(matching) != 1:
        known = ", ".join(v.vintage for v in found)
        raise UnknownCodeError(f"no single vintage {vintage_id!r} of source {source_id}", option,
                               f"use one of: {known}")
    return matching[0]


class WarehouseAsOf(Warehouse):
    """A warehouse as it was when each given vintage was its source's newest: the vintages of those
    sources ordered after it are hidden (a read-only view; the manifest is not read again)."""

    def __init__(self, base: Warehouse, newest: Mapping[str, str]) -> None:
        self.home = base.home
        self._embedded = list(base._embedded)
        self._stored = base.stored()
        self._cut: dict[str, tuple[str, str, str]] = {}
        for source_id, vintage_id in newest.items():
            self._cut[source_id] = order_key(base.vintage(vintage_id))

    def refresh(self) -> None:
        """A view does not read the manifest again."""

    def vintages(self, source_id: str | None = None) -> list[Vintage]:
        """Vintages newest first, without those after the cut of their source."""
        return [v for v in super().vintages(source_id)
                if v.source_id not in self._cut or order_key(v) <= self._cut[v.source_id]]
