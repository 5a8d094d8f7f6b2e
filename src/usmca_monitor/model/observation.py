"""The observation: the one tidy table between stages (DESIGN.md)."""

from __future__ import annotations

import re

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
        rows = table.filter(pc.equal(table["freq"], freq))
        bad = [p for p in pc.unique(rows["period"]).to_pylist() if p is None or not pattern.match(p)]
        if bad:
            raise DataError(f"period {bad[0]!r} does not match freq {freq}", where,
                            "use 2024, 2024-Q2, 2024-06, 2024-H1 or 2024-YTD06")
    return table


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
