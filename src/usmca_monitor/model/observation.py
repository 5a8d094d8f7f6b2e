"""The observation: the one tidy table between stages (DESIGN.md)."""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from usmca_monitor.model.errors import DataError

OBSERVATION_SCHEMA = pa.schema(
    [
        pa.field("series", pa.string(), nullable=False),
        pa.field("geo", pa.string(), nullable=False),
        pa.field("partner", pa.string()),
        pa.field("product", pa.string()),
        pa.field("flow", pa.string()),
        pa.field("measure", pa.string(), nullable=False),
        pa.field("period", pa.string(), nullable=False),
        pa.field("freq", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("unit", pa.string(), nullable=False),
        pa.field("source_id", pa.string(), nullable=False),
        pa.field("vintage", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
    ]
)
OBSERVATION_COLUMNS: tuple[str, ...] = tuple(OBSERVATION_SCHEMA.names)
KEY_COLUMNS: tuple[str, ...] = ("series", "geo", "partner", "product", "flow", "measure", "period", "freq")
FREQS = ("A", "Q", "M", "H", "YTD")
STATUSES = ("official", "provisional", "estimate", "report")
PERIOD_PATTERNS = {
    "A": re.compile(r"^\d{4}$"),
    "Q": re.compile(r"^\d{4}-Q[1-4]$"),
    "M": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    "H": re.compile(r"^\d{4}-H[12]$"),
    "YTD": re.compile(r"^\d{4}-YTD(0[1-9]|1[0-2])$"),
}


def validate_observations(table: pa.Table, where: str) -> pa.Table:
    """Return ``table`` in the observation schema (text columns may stay dictionary-encoded: they are
    written as text), or raise a DataError naming ``where``."""
    missing = [c for c in OBSERVATION_COLUMNS if c not in table.column_names]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}", where,
                        f"observations need the columns {', '.join(OBSERVATION_COLUMNS)}")
    try:
        table = table.select(list(OBSERVATION_COLUMNS))
        columns = [table[f.name] if _fits(table[f.name].type, f.type) else table[f.name].cast(f.type)
                   for f in OBSERVATION_SCHEMA]
        table = pa.table(columns, names=list(OBSERVATION_COLUMNS))
        if any(table[f.name].null_count for f in OBSERVATION_SCHEMA if not f.nullable):
            raise ValueError("a key column holds an empty value")
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
        raise DataError(f"a column does not fit the observation schema ({exc})", where,
                        "values must be numbers and key columns text") from exc
    _check_members(table, "freq", FREQS, where)
    _check_members(table, "status", STATUSES, where)
    for freq, pattern in PERIOD_PATTERNS.items():
        periods = pc.filter(table["period"], equal(table["freq"], freq))
        bad = [p for p in pc.unique(periods).to_pylist() if p is None or not pattern.match(p)]
        if bad:
            raise DataError(f"period {bad[0]!r} does not match freq {freq}", where,
                            "use 2024, 2024-Q2, 2024-06, 2024-H1 or 2024-YTD06")
    return table


def equal(column: pa.ChunkedArray, value: str) -> pa.ChunkedArray:
    """Where ``column`` equals ``value``; a dictionary-encoded column is compared by its indices (no text
    is decoded, nothing the size of the table is made)."""
    if not pa.types.is_dictionary(column.type):
        return pc.equal(column, value)
    masks = []
    for chunk in column.chunks:
        at = chunk.dictionary.index(value).as_py()
        masks.append(pc.fill_null(pc.equal(chunk.indices, pa.scalar(at, chunk.indices.type)), False) if at >= 0
                     else pa.nulls(len(chunk), pa.bool_()).fill_null(False))
    return pa.chunked_array(masks, type=pa.bool_())


def _fits(actual: pa.DataType, wanted: pa.DataType) -> bool:
    """Whether a column of type ``actual`` holds ``wanted`` values as is (text may be dictionary-encoded)."""
    if actual == wanted:
        return True
    return pa.types.is_string(wanted) and pa.types.is_dictionary(actual) and pa.types.is_string(actual.value_type)


def plain(table: pa.Table) -> pa.Table:
    """``table`` with dictionary-encoded text decoded, in the observation schema (as stored)."""
    return table.select(list(OBSERVATION_COLUMNS)).cast(OBSERVATION_SCHEMA)


def _check_members(table: pa.Table, column: str, allowed: tuple[str, ...], where: str) -> None:
    found = set(pc.unique(table[column]).to_pylist())
    unknown = sorted(str(v) for v in found - set(allowed))
    if unknown:
        raise DataError(f"column {column} has unknown value {unknown[0]!r}", where,
                        f"use one of {', '.join(allowed)}")


# ---- observations kept compact, ordered and checked for duplicate keys without a second copy ----

KEY_SPACE = 2**62  # a key code beyond this falls back to a multi-column sort


def _index_type(size: int) -> pa.DataType:
    """The smallest index type for a dictionary of ``size`` values."""
    return pa.int8() if size < 2**7 - 1 else pa.int16() if size < 2**15 - 1 else pa.int32()


def encoded_column(chunks: list[pa.Array]) -> pa.ChunkedArray:
    """Text chunks (plain or dictionary-encoded, each with its own dictionary) as one column encoded by a
    single sorted dictionary (the order of the indices is the order of the values), with the smallest
    index type that fits."""
    encoded = [c if pa.types.is_dictionary(c.type) else c.dictionary_encode() for c in chunks]
    values = sorted({v for c in encoded for v in c.dictionary.to_pylist() if v is not None})
    dictionary = pa.array(values, pa.string())
    index_type = _index_type(len(values))
    indices = [pc.take(pc.index_in(c.dictionary, value_set=dictionary).cast(index_type), c.indices) for c in encoded]
    del encoded
    whole = pa.concat_arrays(indices) if indices else pa.array([], index_type)  # one chunk: takes stay cheap
    del indices
    return pa.chunked_array([pa.DictionaryArray.from_arrays(whole, dictionary)],
                            type=pa.dictionary(index_type, pa.string()))


class TextColumn:
    """A text column built a value at a time: a dictionary (values in order of first sight) and one code
    per row, one byte each until more distinct values need two (then four). ``None`` is a null."""

    __slots__ = ("codes", "index")

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.codes = array("b")

    def add(self, value: str | None) -> None:
        """Append one value."""
        if value is None:
            self.codes.append(-1)
            return
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.index)
            if code == 127 and self.codes.typecode == "b":
                self.codes = array("h", self.codes)
            elif code == 32767 and self.codes.typecode == "h":
                self.codes = array("i", self.codes)
        self.codes.append(code)

    def finish(self) -> pa.ChunkedArray:
        """The column, encoded by its sorted dictionary (see ``encoded_column``); the builder is emptied."""
        values = list(self.index)
        order = sorted(range(len(values)), key=values.__getitem__)
        index_type = _index_type(len(values))
        rank = np.empty(len(values) + 1, dtype=index_type.to_pandas_dtype())
        rank[order] = np.arange(len(values))
        rank[-1] = 0  # the code -1 (null) maps here; masked below
        codes = np.frombuffer(self.codes, dtype=self.codes.typecode)
        indices = pa.array(rank[codes], mask=codes < 0, type=index_type)
        self.codes, self.index = array("b"), {}
        dictionary = pa.array([values[i] for i in order], pa.string())
        return pa.chunked_array([pa.DictionaryArray.from_arrays(indices, dictionary)])


class ObservationColumns:
    """Observation rows appended one at a time into compact columns (text: ``TextColumn``; values: 64-bit
    floats, NaN standing for a missing value, so values must be finite), then one table."""

    TEXT = ("series", "geo", "partner", "product", "flow", "measure", "period", "freq", "unit", "status")

    def __init__(self, default_status: str) -> None:
        self.default_status = default_status
        self.text = {name: TextColumn() for name in self.TEXT}
        self.values = array("d")

    def add(self, row: Mapping[str, object]) -> None:
        """Append one row (a checked observation)."""
        for name, column in self.text.items():
            value = row.get(name)
            column.add(str(value) if value is not None else self.default_status if name == "status" else None)
        value = row.get("value")
        self.values.append(math.nan if value is None else float(value))  # type: ignore[arg-type]

    def table(self, source_id: str, vintage: str) -> pa.Table:
        """The observations as a table in the observation schema (text dictionary-encoded)."""
        size = len(self.values)
        columns: dict[str, pa.ChunkedArray] = {}
        for name in OBSERVATION_COLUMNS:
            if name == "value":
                columns[name] = pa.chunked_array([_floats(self.values)])
                self.values = array("d")
            elif name in ("source_id", "vintage"):
                constant = pa.array([source_id if name == "source_id" else vintage], pa.string())
                columns[name] = pa.chunked_array([pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(size, dtype=np.int8)), constant)])
            else:
                columns[name] = self.text[name].finish()
        return pa.table(columns)


def _floats(values: array) -> pa.Array:
    """64-bit floats as an Arrow array over the same memory (no copy); NaN becomes a null."""
    data = np.frombuffer(values, dtype=np.float64)
    missing = np.isnan(data)
    nulls = int(missing.sum())
    validity = pa.py_buffer(np.packbits(~missing, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(pa.float64(), len(data), [validity, pa.py_buffer(values)], null_count=nulls)


def sorted_dictionaries(table: pa.Table) -> pa.Table:
    """``table`` with every text column encoded by one sorted dictionary (``encoded_column``), one column
    at a time; columns already so encoded are kept as they are."""
    for position, field in enumerate(table.schema):
        if not (pa.types.is_string(field.type) or (pa.types.is_dictionary(field.type)
                                                   and pa.types.is_string(field.type.value_type))):
            continue
        column = table.column(position)
        if not _already_sorted(column):
            table = table.set_column(position, field.name, encoded_column(list(column.chunks)))
    return table


def _already_sorted(column: pa.ChunkedArray) -> bool:
    """Whether every chunk of a dictionary column shares one sorted dictionary."""
    if not pa.types.is_dictionary(column.type) or not column.num_chunks:
        return False
    first = column.chunk(0).dictionary
    values = first.to_pylist()
    return (None not in values and values == sorted(values) and len(set(values)) == len(values)
            and all(c.dictionary.equals(first) for c in column.chunks[1:]))


def key_codes(table: pa.Table, columns: tuple[str, ...]) -> np.ndarray | None:
    """One int64 per row whose order is the order of the rows by ``columns`` (text ascending, empty values
    last), for a table from ``sorted_dictionaries``; None when the key space does not fit 62 bits."""
    sizes = [len(table[c].chunk(0).dictionary) + 1 if table[c].num_chunks else 1 for c in columns]
    space = 1
    for size in sizes:
        space *= size
    if space >= KEY_SPACE:
        return None
    codes = np.zeros(table.num_rows, dtype=np.int64)
    stride = 1
    for column, size in reversed(list(zip(columns, sizes, strict=True))):
        start = 0
        for chunk in table[column].chunks:
            for offset in range(0, len(chunk), 1 << 18):  # a slice at a time: small temporaries
                part = chunk.indices.slice(offset, 1 << 18)
                indices = pc.fill_null(part, size - 1).to_numpy(zero_copy_only=False).astype(np.int64)
                indices *= stride
                codes[start + offset:start + offset + len(part)] += indices
            start += len(chunk)
        stride *= size
    return codes


def key_order(table: pa.Table, columns: tuple[str, ...] = KEY_COLUMNS) -> pa.Array:
    """The row order of ``table`` (from ``sorted_dictionaries``) by ``columns``, as take() indices."""
    codes = key_codes(table, columns)
    if codes is not None:
        order = np.argsort(codes)  # keys are unique once the door has checked them: no need for stability
        del codes
        if len(order) < 2**31 - 1:
            order = order.astype(np.int32)
        release_memory()
        return pa.array(order)
    keys = pa.table({c: pc.fill_null(table[c].combine_chunks().indices.cast(pa.int64()), 2**62) for c in columns})
    return pc.sort_indices(keys, sort_keys=[(c, "ascending") for c in columns])


try:
    import ctypes

    _LIBC: object = ctypes.CDLL(None)  # the C library the interpreter runs on (malloc_trim is glibc's)
except OSError:  # pragma: no cover - a platform without dlopen(NULL)
    _LIBC = None


def release_memory() -> None:
    """Give freed heap memory back to the system (glibc keeps large freed blocks otherwise, and a large
    import would hold the peak of every step at once)."""
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)


def first_duplicate(table: pa.Table, columns: tuple[str, ...]) -> tuple[int, int] | None:
    """(row, times) of a key of ``columns`` that ``table`` (from ``sorted_dictionaries``) holds more than
    once, or None. Costs one 64-bit integer a row for the time of the check (sorted in place)."""
    if table.num_rows < 2:
        return None
    codes = key_codes(table, columns)
    if codes is None:
        return _first_duplicate_by_columns(table, columns)
    codes.sort()
    repeated = np.flatnonzero(codes[1:] == codes[:-1])
    if not len(repeated):
        del codes, repeated
        release_memory()
        return None
    code = codes[repeated[0]]
    del codes
    again = key_codes(table, columns)
    assert again is not None
    rows = np.flatnonzero(again == code)
    return int(rows[0]), len(rows)


def _first_duplicate_by_columns(table: pa.Table, columns: tuple[str, ...]) -> tuple[int, int] | None:
    order = key_order(table, columns)
    keys = pa.table({c: table[c] for c in columns}).take(order)
    same = None
    for c in columns:
        column = pc.fill_null(keys[c].combine_chunks().indices.cast(pa.int64()), -1)
        equal = pc.equal(column.slice(1), column.slice(0, len(column) - 1))
        same = equal if same is None else pc.and_(same, equal)
    assert same is not None
    at = pc.index(same, True).as_py()
    if at < 0:
        return None
    run = 2
    while at + run - 1 < len(same) and same[at + run - 1].as_py():
        run += 1
    return int(order[at].as_py()), run
