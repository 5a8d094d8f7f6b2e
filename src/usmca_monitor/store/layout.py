"""Where a vintage's observations go on disk: hive-style partition folders, and Parquet files written
whole (``write_files``) or streamed batch by batch in bounded memory (``PartitionWriter``).

Layout (docs/architecture.md, docs/scale.md)::

    observations/source=<source>/vintage=<vintage>/series=<series>/year=<YYYY>/part-<n>.parquet
    observations/source=<source>/vintage=<vintage>/series=<series>/year=__HIVE_DEFAULT_PARTITION__/part-0.parquet

Every level is a ``key=value`` folder, so Spark, DuckDB, Trino or an Iceberg/Hive table over
``observations/`` see ``source``, ``vintage``, ``series`` and ``year`` as partition columns and prune on
them; a series small enough for one file sits in the ``year`` partition Hive reads as null. The files
still hold every column of the observation schema (``series``, ``vintage`` … included), so a file read
alone is complete. A new vintage only adds folders (updates append); which files form a vintage is
said by the manifest alone, replaced in one rename after the files are written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from usmca_monitor.model.observation import (
    KEY_COLUMNS,
    OBSERVATION_SCHEMA,
    equal,
    key_order,
    plain,
    release_memory,
    sorted_dictionaries,
)

OBSERVATIONS = "observations"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Hive's (and Spark's) name of a null partition value
YEAR_SPLIT_ROWS = 2_000_000  # a series with more rows than this is written one file per year
ROW_GROUP_ROWS = 1_000_000
_HIVE_ESCAPED = frozenset('"#%\'*/:=?\\\x7f{[]^') | frozenset(chr(c) for c in range(32))


def hive_value(text: str) -> str:
    """``text`` as a partition folder value, escaped the way Hive and Spark escape it (``%XX``); a
    leading dot is escaped too, so no folder is hidden."""
    escaped = "".join(f"%{ord(c):02X}" if c in _HIVE_ESCAPED else c for c in text)
    return "%2E" + escaped[1:] if escaped.startswith(".") else escaped


def vintage_folder(source_id: str, vintage_id: str) -> Path:
    """The folder of one vintage, relative to the store."""
    return Path(OBSERVATIONS) / f"source={hive_value(source_id)}" / f"vintage={hive_value(vintage_id)}"


def partition_folder(series: str, year: str | None) -> Path:
    """The folder of one series (one year of it), relative to its vintage's folder."""
    return Path(f"series={hive_value(series)}") / f"year={year or NULL_PARTITION}"


@dataclass
class FileStats:
    """What a file holds, gathered batch by batch (becomes the manifest's ``FileEntry``)."""

    rows: int = 0
    series: set[str] = field(default_factory=set)
    freqs: set[str] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)
    geos: set[str] = field(default_factory=set)
    first: str = ""
    last: str = ""
    last_month: str = ""

    def add(self, table: pa.Table) -> None:
        """Count the rows of ``table`` in (text columns may be dictionary-encoded: only distinct values
        are decoded)."""
        if not table.num_rows:
            return
        self.rows += table.num_rows
        for name, found in (("series", self.series), ("freq", self.freqs), ("status", self.statuses),
                            ("geo", self.geos)):
            found.update(str(v) for v in pc.unique(table[name]).to_pylist() if v is not None)
        periods = [str(v) for v in pc.unique(table["period"]).to_pylist() if v is not None]
        if periods:
            self.first = min(self.first, min(periods)) if self.first else min(periods)
            self.last = max(self.last, max(periods))
        months = [str(v) for v in pc.unique(pc.filter(table["period"], equal(table["freq"], "M"))).to_pylist()
                  if v is not None]
        if months:
            self.last_month = max(self.last_month, max(months))


def write_files(table: pa.Table, target: Path, relative: Path) -> list[tuple[str, str | None, FileStats]]:
    """Write ``table`` (observations; text may be dictionary-encoded) under ``target`` — one file per
    series, a large series one per year, each in key order — and return (path relative to the store via
    ``relative``, year, stats) per file. Rows are taken in key order a slice at a time, so a large table
    is never copied whole."""
    table = sorted_dictionaries(table)
    written: list[tuple[str, str | None, FileStats]] = []
    series_ids = sorted(str(s) for s in pc.unique(table["series"]).to_pylist())
    for series in series_ids:
        part = table if len(series_ids) == 1 else table.filter(equal(table["series"], series))
        chunks: list[tuple[str | None, pa.Table]] = [(None, part)]
        if part.num_rows > YEAR_SPLIT_ROWS:
            chunks = list(_by_year(part))
        for year, chunk in chunks:
            folder = partition_folder(series, year)
            (target / folder).mkdir(parents=True, exist_ok=True)
            write_parquet(chunk, target / folder / "part-0.parquet")
            stats = FileStats()
            stats.add(chunk)
            written.append((str(relative / folder / "part-0.parquet"), year, stats))
        del part, chunks
    release_memory()
    return written


def _by_year(table: pa.Table) -> Iterable[tuple[str | None, pa.Table]]:
    """The rows of each year (the first four characters of the period), one year at a time; the year of
    each row is found through the period's dictionary, so no text is decoded."""
    periods = table["period"].combine_chunks()
    if not pa.types.is_dictionary(periods.type):
        periods = periods.dictionary_encode()
    years = [str(p)[:4] for p in periods.dictionary.to_pylist()]
    distinct = sorted(set(years))
    code_of = pa.array([distinct.index(y) for y in years], pa.int32())
    codes = pc.take(code_of, periods.indices)
    for number, year in enumerate(distinct):
        yield year, table.filter(pc.equal(codes, pa.scalar(number, pa.int32())))


def write_parquet(table: pa.Table, path: Path, slice_rows: int = 65_536) -> None:
    """Write observations to ``path`` (zstd) in key order, taking and decoding one slice of rows at a time."""
    table = sorted_dictionaries(table)
    order = key_order(table)
    with pq.ParquetWriter(path, OBSERVATION_SCHEMA, compression="zstd") as out:
        for start in range(0, max(table.num_rows, 1), slice_rows):
            out.write_table(plain(table.take(order.slice(start, slice_rows))), row_group_size=ROW_GROUP_ROWS)


class PartitionWriter:
    """Observations streamed in batches, one open Parquet writer per (series, year) partition: memory
    holds one batch and the writers' buffers, never the vintage. ``close`` returns what was written."""

    def __init__(self, target: Path, relative: Path) -> None:
        self.target, self.relative = target, relative
        self._open: dict[tuple[str, str], tuple[pq.ParquetWriter, FileStats]] = {}

    def write(self, table: pa.Table) -> None:
        """Append one validated batch (observation schema), split by series and year."""
        if not table.num_rows:
            return
        years = pc.utf8_slice_codeunits(table["period"], 0, 4)
        keyed = table.append_column("_year", years)
        for series in pc.unique(table["series"]).to_pylist():
            of_series = keyed.filter(pc.equal(keyed["series"], series))
            for year in pc.unique(of_series["_year"]).to_pylist():
                chunk = of_series.filter(pc.equal(of_series["_year"], year)).drop_columns(["_year"])
                writer, stats = self._writer(series, year)
                writer.write_table(plain(chunk).sort_by([(n, "ascending") for n in KEY_COLUMNS]),
                                   row_group_size=ROW_GROUP_ROWS)
                stats.add(chunk)

    def _writer(self, series: str, year: str) -> tuple[pq.ParquetWriter, FileStats]:
        key = (series, year)
        if key not in self._open:
            folder = self.target / partition_folder(series, year)
            folder.mkdir(parents=True, exist_ok=True)
            self._open[key] = (pq.ParquetWriter(folder / "part-0.parquet", OBSERVATION_SCHEMA, compression="zstd"),
                               FileStats())
        return self._open[key]

    def close(self) -> list[tuple[str, str | None, FileStats]]:
        """Close every file; (path relative to the store, year, stats) per file, in order."""
        written: list[tuple[str, str | None, FileStats]] = []
        for (series, year), (writer, stats) in sorted(self._open.items()):
            writer.close()
            written.append((str(self.relative / partition_folder(series, year) / "part-0.parquet"), year, stats))
        self._open.clear()
        return written

    def abort(self) -> None:
        """Close the files without listing them (the caller removes the folder)."""
        for writer, _ in self._open.values():
            writer.close()
        self._open.clear()


def batches_of(tables: Iterable[pa.Table | pa.RecordBatch]) -> Iterable[pa.Table]:
    """Batches as tables (a RecordBatch is wrapped)."""
    for item in tables:
        yield pa.Table.from_batches([item]) if isinstance(item, pa.RecordBatch) else item
