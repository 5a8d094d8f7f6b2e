"""Reading a warehouse's Parquet files as Ibis tables: the one interface both engines implement.

``DuckReader`` (the default) reads through an in-memory DuckDB, so a reader holds no file lock and
any number of processes read while a writer writes. ``usmca_monitor.store.spark.SparkReader`` reads the
same files with PySpark (``--engine spark``).
"""

from __future__ import annotations

import os
import threading
from typing import Protocol

import ibis
import ibis.expr.types as ir

from usmca_monitor.store.warehouse import Vintage

ENGINES = ("duckdb", "spark")


class Reader(Protocol):
    """Ibis tables over a vintage's files."""

    name: str

    def table(self, vintage: Vintage, series: str) -> ir.Table:
        """The observations of ``series`` in ``vintage``."""
        ...

    def close(self) -> None:
        """Release the engine."""
        ...


class DuckReader:
    """An in-memory DuckDB (through Ibis) over Parquet files; views are made once per file set."""

    name = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        self.con = ibis.duckdb.connect(threads=threads or min(4, os.cpu_count() or 1))
        self._views: dict[tuple[str, ...], ir.Table] = {}
        self._lock = threading.Lock()

    def table(self, vintage: Vintage, series: str) -> ir.Table:
        """The rows of ``series`` in ``vintage`` (an empty table when it holds none)."""
        chosen = [f for f in vintage.files if series in f.series] or list(vintage.files[:1])
        paths = tuple(str(vintage.root / f.path) for f in chosen if vintage.root is not None)
        if not paths:
            from usmca_monitor.model.observation import OBSERVATION_SCHEMA

            return ibis.memtable(OBSERVATION_SCHEMA.empty_table())
        with self._lock:
            view = self._views.get(paths)
            if view is None:
                view = self.con.read_parquet(list(paths))
                self._views[paths] = view
        mixed = any(f.series != (series,) for f in chosen)
        return view.filter(view.series == series) if mixed else view

    def close(self) -> None:
        """Close the connection."""
        self.con.disconnect()


def open_reader(engine: str = "duckdb") -> Reader:
    """The reader of ``engine`` (duckdb, or spark with the ``spark`` extra)."""
    if engine == "duckdb":
        return DuckReader()
    if engine == "spark":
        from usmca_monitor.store.spark import SparkReader

        reader: Reader = SparkReader()
        return reader
    from usmca_monitor.model.errors import UnknownCodeError

    raise UnknownCodeError(f"unknown engine {engine!r}", "--engine", f"use one of: {', '.join(ENGINES)}")
