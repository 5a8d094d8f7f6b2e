"""The warehouse: every vintage's observations as immutable Parquet files, listed by one manifest.

Storage model (DESIGN.md, "The store"; docs/architecture.md): a vintage is written once as Parquet
files under ``USMCA_HOME/observations/source=<source>/vintage=<vintage>/series=<series>/year=<year>/``
(hive-style partitions that Spark and DuckDB read alike: ``store/layout.py``; a large series one file
per year; a bulk load streamed batch by batch in bounded memory: ``Writer.stream_vintage``), then
``USMCA_HOME/manifest.json`` — the list of vintages with their files, origins and what each
file holds — is replaced in one rename. Readers read the manifest and the files and never lock; writers
(``update``, ``import``) take turns through ``USMCA_HOME/.write.lock``, waiting a bounded time and then
naming the process that holds it. A write that is interrupted leaves the old manifest, so no reader
ever sees half a vintage; its files are removed by the next writer. The embedded snapshot's vintages
are read in place from the package (``data/manifest.json``) and are never copied into the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from usmca_monitor.fsutil import atomic_write, exclusive
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.observation import OBSERVATION_SCHEMA, validate_observations
from usmca_monitor.model.specs import Origin
from usmca_monitor.store.layout import (
    OBSERVATIONS,
    FileStats,
    PartitionWriter,
    batches_of,
    vintage_folder,
    write_files,
)

MANIFEST = "manifest.json"
WRITE_LOCK = ".write.lock"
FORMAT = 1
LOCK_WAIT = float(os.environ.get("USMCA_LOCK_WAIT", "60"))


@dataclass(frozen=True)
class FileEntry:
    """One Parquet file of a vintage and what it holds (so that most questions need no scan)."""

    path: str  # relative to the vintage's root (the store, or the package's data/ for embedded vintages)
    rows: int
    series: tuple[str, ...]
    year: str | None = None  # set when the file holds one year of a large series
    first: str = ""
    last: str = ""
    last_month: str = ""
    freqs: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    geos: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The manifest entry."""
        return {"path": self.path, "rows": self.rows, "series": list(self.series), "year": self.year,
                "first": self.first, "last": self.last, "last_month": self.last_month, "freqs": list(self.freqs),
                "statuses": list(self.statuses), "geos": list(self.geos)}

    @classmethod
    def from_dict(cls, item: dict[str, Any]) -> FileEntry:
        """A manifest entry read back."""
        return cls(path=item["path"], rows=int(item["rows"]), series=tuple(item["series"]), year=item.get("year"),
                   first=item.get("first", ""), last=item.get("last", ""), last_month=item.get("last_month", ""),
                   freqs=tuple(item.get("freqs", ())), statuses=tuple(item.get("statuses", ())),
                   geos=tuple(item.get("geos", ())))


@dataclass(frozen=True)
class Vintage:
    """One update of one source: its observations (files) and the raw files they came from (origins)."""

    vintage: str
    source_id: str
    created: str
    kind: str
    rows: int
    note: str = ""
    loaded: str = ""
    files: tuple[FileEntry, ...] = field(default=(), compare=False)
    origins: tuple[Origin, ...] = field(default=(), compare=False)
    root: Path | None = field(default=None, compare=False)  # where ``files`` are relative to

    def paths(self, series: str | None = None) -> list[Path]:
        """The files holding ``series`` (all files when None)."""
        assert self.root is not None, "a vintage read from a manifest knows its root"
        return [self.root / f.path for f in self.files if series is None or series in f.series]

    def holds(self, series: str) -> bool:
        """Whether the vintage has rows of ``series``."""
        return any(series in f.series and f.rows for f in self.files)

    def series(self) -> list[str]:
        """The series it holds."""
        return sorted({s for f in self.files for s in f.series})

    def as_dict(self) -> dict[str, Any]:
        """The manifest entry."""
        return {"vintage": self.vintage, "source_id": self.source_id, "created": self.created, "kind": self.kind,
                "rows": self.rows, "note": self.note, "loaded": self.loaded,
                "files": [f.as_dict() for f in self.files], "origins": [o.model_dump() for o in self.origins]}

    @classmethod
    def from_dict(cls, item: dict[str, Any], root: Path) -> Vintage:
        """A manifest entry read back (files relative to ``root``)."""
        return cls(vintage=item["vintage"], source_id=item["source_id"], created=item["created"], kind=item["kind"],
                   rows=int(item["rows"]), note=item.get("note", ""), loaded=item.get("loaded", ""),
                   files=tuple(FileEntry.from_dict(f) for f in item.get("files", [])),
                   origins=tuple(Origin.model_validate(o) for o in item.get("origins", [])), root=root)


def describe(table: pa.Table, path: str, year: str | None = None) -> FileEntry:
    """The manifest entry of observations about to be written to ``path``."""
    stats = FileStats()
    stats.add(table)
    return entry_of(path, year, stats)


def entry_of(path: str, year: str | None, stats: FileStats) -> FileEntry:
    """The manifest entry of a file from what it holds."""
    return FileEntry(path=path, rows=stats.rows, series=tuple(sorted(stats.series)), year=year, first=stats.first,
                     last=stats.last, last_month=stats.last_month, freqs=tuple(sorted(stats.freqs)),
                     statuses=tuple(sorted(stats.statuses)), geos=tuple(sorted(stats.geos)))


def order_key(vintage: Vintage) -> tuple[str, str, str]:
    """Newest data first: by creation, then (same date) the one loaded last, then id."""
    return (vintage.created, vintage.loaded, vintage.vintage)


class Warehouse:
    """The vintages of one ``USMCA_HOME`` plus the embedded snapshot's, as read when opened (a reader
    sees one consistent set for its whole life; ``refresh()`` reads the manifest again)."""

    def __init__(self, home: Path, embedded: list[Vintage] | None = None) -> None:
        self.home = home
        self._embedded = list(embedded or [])
        self._stored: list[Vintage] = []
        self.refresh()

    @property
    def manifest_path(self) -> Path:
        """Where the manifest lives."""
        return self.home / MANIFEST

    def refresh(self) -> None:
        """Read the manifest again."""
        self._stored = read_manifest(self.home)

    def version(self) -> str:
        """A token that changes whenever a writer adds a vintage (for caches)."""
        try:
            stat = self.manifest_path.stat()
        except FileNotFoundError:
            return "none"
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def vintages(self, source_id: str | None = None) -> list[Vintage]:
        """Vintages (stored and embedded), newest first."""
        found = [v for v in [*self._stored, *self._embedded] if source_id is None or v.source_id == source_id]
        return sorted(found, key=order_key, reverse=True)

    def stored(self) -> list[Vintage]:
        """The vintages written into this store (not the embedded ones)."""
        return list(self._stored)

    def vintage(self, vintage_id: str) -> Vintage:
        """One vintage by id, or an UnknownCodeError."""
        for item in self.vintages():
            if item.vintage == vintage_id:
                return item
        known = ", ".join(v.vintage for v in self.vintages()) or "none"
        raise UnknownCodeError(f"unknown vintage {vintage_id!r}", "--vintage", f"use one of: {known}")

    def has_vintage(self, vintage_id: str) -> bool:
        """Whether ``vintage_id`` is stored or embedded."""
        return any(v.vintage == vintage_id for v in self.vintages())

    def current_vintage(self, source_id: str) -> Vintage | None:
        """The newest vintage of a source, or None."""
        found = self.vintages(source_id)
        return found[0] if found else None

    def resolve_vintage(self, source_id: str, pinned: str | None = None) -> Vintage:
        """The pinned vintage (checked) or the newest one of ``source_id``."""
        found = self.vintages(source_id)
        if pinned:
            for vintage in found:
                if vintage.vintage == pinned:
                    return vintage
            known = ", ".join(v.vintage for v in found) or "none"
            raise UnknownCodeError(f"unknown vintage {pinned!r} for source {source_id}",
                                   "--vintage", f"use one of: {known}")
        if not found:
            raise UnknownCodeError(f"no data stored for source {source_id}", "store",
                                   f"run `usmca update {source_id}` or `usmca import {source_id} FILE`")
        return found[0]

    def origins(self, vintage_id: str) -> list[Origin]:
        """The origins of the raw files behind a vintage (by checksum)."""
        return sorted(self.vintage(vintage_id).origins, key=lambda o: o.sha256)

    def observations(self, vintage_id: str, series: str | None = None) -> pa.Table:
        """The observations of one vintage (one series of it), as Arrow."""
        vintage = self.vintage(vintage_id)
        paths = vintage.paths(series)
        if not paths:
            return OBSERVATION_SCHEMA.empty_table()
        table = pa.concat_tables([pq.read_table(p) for p in paths])
        if series is not None:
            table = table.filter(pc.equal(table["series"], series))
        return table

    @contextlib.contextmanager
    def writer(self, wait: float | None = None) -> Iterator[Writer]:
        """The store for writing, held alone (other writers wait up to ``wait`` seconds, then are told
        who holds it). What interrupted writes left is removed first."""
        self.home.mkdir(parents=True, exist_ok=True)
        with exclusive(self.home / WRITE_LOCK, f"the store {self.home}", wait=LOCK_WAIT if wait is None else wait):
            self.refresh()
            writer = Writer(self)
            writer.collect_garbage()
            yield writer
        self.refresh()


class Writer:
    """Adds vintages to a warehouse whose write lock is held."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.home = warehouse.home

    def add_vintage(self, vintage: Vintage, observations: pa.Table, origins: list[Origin]) -> Vintage:
        """Write a whole vintage at once: its files, then the manifest in one rename. On any error the
        store is as it was (the files written so far are removed)."""
        table = validate_observations(observations, f"vintage {vintage.vintage}")
        folder, target = self._new_folder(vintage)
        try:
            written = write_files(table, target, folder)
            return self._list(vintage, written, origins)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise

    def stream_vintage(self, vintage: Vintage, batches: Iterable[pa.Table | pa.RecordBatch],
                       origins: list[Origin] | Callable[[], list[Origin]]) -> Vintage:
        """Write a vintage from batches of observations as they come (a bulk load: memory holds one
        batch, never the vintage), one Parquet file per series and year, then the manifest in one rename.
        ``origins`` may be a function called once every batch is read (raw files stored while streaming).
        On any error, or an interruption, the store is as it was."""
        folder, target = self._new_folder(vintage)
        writer = PartitionWriter(target, folder)
        try:
            for number, batch in enumerate(batches_of(batches), start=1):
                writer.write(validate_observations(batch, f"vintage {vintage.vintage}, batch {number}"))
            written = writer.close()
            if not written:
                raise DataError("no observations were read", vintage.source_id, "check the files given")
            return self._list(vintage, written, origins() if callable(origins) else origins)
        except BaseException:
            writer.abort()
            shutil.rmtree(target, ignore_errors=True)
            raise

    def _new_folder(self, vintage: Vintage) -> tuple[Path, Path]:
        if any(v.vintage == vintage.vintage for v in self.warehouse.stored()):
            raise DataError(f"vintage {vintage.vintage!r} is already stored", str(self.home),
                            "vintages are immutable: import or update again to make a new one")
        folder = vintage_folder(vintage.source_id, vintage.vintage)
        return folder, self.home / folder

    def _list(self, vintage: Vintage, written: list[tuple[str, str | None, FileStats]],
              origins: list[Origin]) -> Vintage:
        """Add the written files to the manifest (one rename): the vintage now exists for readers."""
        files = tuple(entry_of(path, year, stats) for path, year, stats in written)
        added = replace(vintage, rows=sum(f.rows for f in files), loaded=vintage.loaded or _now(), files=files,
                        origins=tuple(origins), root=self.home)
        write_manifest(self.home, [*self.warehouse.stored(), added])
        self.warehouse.refresh()
        return added

    def put_raw(self, data: bytes | Path, origin: Origin) -> Origin:
        """Store a raw file (bytes, or a file copied in blocks) once, by checksum, for the vintage about to
        be added; its origin with checksum and size. A raw file no vintage cites is removed by the next writer."""
        from usmca_monitor.store.raw import RawStore

        raw = RawStore(self.home)
        return raw.put_file(data, origin) if isinstance(data, Path) else raw.put(data, origin)

    def put_raw_file(self, path: Path, origin: Origin) -> Origin:
        """``put_raw`` for a file on disk, copied in blocks (a bulk archive is never read whole)."""
        from usmca_monitor.store.raw import RawStore

        return RawStore(self.home).put_file(path, origin)

    def collect_garbage(self) -> list[Path]:
        """Remove what interrupted writes left: vintage folders the manifest does not list, temporary
        files, and raw files no vintage cites. Returns what was removed."""
        removed: list[Path] = []
        listed = {(self.home / f.path).parent for v in self.warehouse.stored() for f in v.files}
        listed_dirs = {p for d in listed for p in (d, *d.parents)}
        base = self.home / OBSERVATIONS
        if base.is_dir():
            for source_dir in base.iterdir():
                for item in source_dir.iterdir() if source_dir.is_dir() else []:
                    if item not in listed_dirs:
                        _remove(item)
                        removed.append(item)
        cited = {o.sha256 for v in self.warehouse.stored() for o in v.origins}
        raw = self.home / "raw"
        if raw.is_dir():
            for item in raw.rglob("*"):
                name = item.name
                orphan = name.endswith((".bin", ".origin.json")) and name.split(".")[0] not in cited
                if item.is_file() and (name.startswith(".tmp-") or orphan):
                    item.unlink(missing_ok=True)
                    removed.append(item)
        for item in self.home.glob(".tmp-*"):
            item.unlink(missing_ok=True)
            removed.append(item)
        return removed


def embedded_vintages(data_dir: Path) -> list[Vintage]:
    """The embedded snapshot's vintages, read in place from ``data_dir`` (the package's ``data/``)."""
    path = data_dir / MANIFEST
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("the embedded snapshot is missing", str(path),
                        "reinstall usmca-monitor (maintainers: `usmca snapshot --from ../shared/data`)") from None
    found = []
    for key, entry in document["sources"].items():
        files = entry.get("files") or [describe(pq.read_table(data_dir / entry["file"]), entry["file"]).as_dict()]
        found.append(Vintage.from_dict({"vintage": entry["vintage"], "source_id": entry.get("source", key),
                                        "created": entry["created"], "kind": "embedded", "rows": entry["rows"],
                                        "note": "embedded snapshot", "files": files,
                                        "origins": entry["origins"]}, data_dir))
    return found


def read_manifest(home: Path) -> list[Vintage]:
    """The stored vintages listed by ``home``'s manifest (none when there is no manifest)."""
    path = home / MANIFEST
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as exc:
        raise DataError(f"the store's manifest is not valid JSON ({exc})", str(path),
                        "restore it from a backup, or move the store aside and run the updates again") from None
    if document.get("format") != FORMAT:
        raise DataError(f"the store's manifest has format {document.get('format')!r}, not {FORMAT}", str(path),
                        "upgrade usmca-monitor, or move the store aside and run the updates again")
    return [Vintage.from_dict(item, home) for item in document["vintages"]]


def write_manifest(home: Path, vintages: list[Vintage]) -> None:
    """Replace the manifest in one rename."""
    document = {"format": FORMAT, "vintages": [v.as_dict() for v in sorted(vintages, key=order_key)]}
    atomic_write(home / MANIFEST, (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _now() -> str:
    """The current UTC time to the microsecond (orders vintages loaded in the same second)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
