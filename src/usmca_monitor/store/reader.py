"""Reading a warehouse's Parquet files as Ibis tables: the one interface both engines implement.

``DuckReader`` (the default) reads through an in-memory DuckDB, so a reader holds no file lock and
any number of processes read while a writer writes. ``usmca_monitor.store.spark.SparkReader`` reads the
same files with PySpark (``--engine spark``). Both run the same Ibis expressions (the catalog's
formulas); ``execute`` fetches a result as Arrow. DuckDB compiles an expression to SQL once and keeps
the SQL (no result is kept: every call runs the query again).
"""

from __future__ import annotations

import os
import threading
from typing import Any, Protocol

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from usmca_monitor.store.warehouse import Vintage

ENGINES = ("duckdb", "spark")


class Reader(Protocol):
    """Ibis tables over a vintage's files, and results fetched as Arrow."""

    name: str

    def table(self, vintage: Vintage, series: str) -> ir.Table:
        """The observations of ``series`` in ``vintage``."""
        ...

    def execute(self, expr: ir.Table) -> pa.Table:
        """The rows of ``expr`` (built on this reader's tables) as Arrow."""
        ...

    def close(self) -> None:
        """Release the engine."""
        ...


def chosen_paths(vintage: Vintage, series: str) -> tuple[tuple[str, ...], bool]:
    """The files of ``vintage`` holding ``series`` (the first file when none does: an empty read with the
    right schema), and whether they also hold other series (then the rows must be filtered)."""
    chosen = [f for f in vintage.files if series in f.series] or list(vintage.files[:1])
    paths = tuple(str(vintage.root / f.path) for f in chosen if vintage.root is not None)
    return paths, any(f.series != (series,) for f in chosen)


def empty_observations() -> ir.Table:
    """A table with the observation schema and no rows."""
    from usmca_monitor.model.observation import OBSERVATION_SCHEMA

    return ibis.memtable(OBSERVATION_SCHEMA.empty_table())


class Compiled:
    """SQL compiled once per expression object, for one Ibis backend (compiled-plan caching: no result is
    kept). Holds each expression it compiled, so that an id is not reused while cached."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._sql: dict[int, tuple[ir.Table, str]] = {}
        self._lock = threading.Lock()

    def __call__(self, expr: ir.Table) -> str:
        """The SQL of ``expr`` (its in-memory tables registered with the backend on first use)."""
        with self._lock:
            found = self._sql.get(id(expr))
            if found is None or found[0] is not expr:
                self.backend._run_pre_execute_hooks(expr)  # registers the expression's in-memory tables
                found = (expr, str(self.backend.compile(expr)))
                self._sql[id(expr)] = found
            return found[1]

    def clear(self) -> None:
        """Forget every compiled expression."""
        with self._lock:
            self._sql.clear()


class DuckReader:
    """An in-memory DuckDB (through Ibis) over Parquet files; views are made once per file set, and each
    expression is compiled to SQL once (compiled-plan caching; results are never cached here)."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, backend: Any | None = None) -> None:
        threads = threads or min(4, os.cpu_count() or 1)
        self.con = backend if backend is not None else ibis.duckdb.connect(threads=threads)
        self._views: dict[tuple[str, ...], ir.Table] = {}
        self.sql = Compiled(self.con)
        self._lock = threading.Lock()

    def table(self, vintage: Vintage, series: str) -> ir.Table:
        """The rows of ``series`` in ``vintage`` (an empty table when it holds none)."""
        paths, mixed = chosen_paths(vintage, series)
        if not paths:
            return empty_observations()
        with self._lock:
            view = self._views.get(paths)
            if view is None:  # the folders are hive-style; the files hold every column themselves
                view = self.con.read_parquet(list(paths), hive_partitioning=False)
                self._views[paths] = view
        return view.filter(view.series == series) if mixed else view

    def execute(self, expr: ir.Table) -> pa.Table:
        """The rows of ``expr`` as Arrow: the cached SQL run again (a cold call: nothing is reused but
        the compiled SQL)."""
        from ibis.backends.duckdb.converter import DuckDBPyArrowData

        table = self.con.con.sql(self.sql(expr)).to_arrow_table()
        result: pa.Table = expr.__pyarrow_result__(table, data_mapper=DuckDBPyArrowData)
        return result

    def close(self) -> None:
        """Close the connection."""
        self.sql.clear()
        self.con.disconnect()


def open_reader(engine: str = "duckdb") -> Reader:
    """The reader of ``engine`` (duckdb, or spark with the ``spark`` extra and Java)."""
    if engine == "duckdb":
        return DuckReader()
    if engine == "spark":
        from usmca_monitor.store.spark import SparkReader

        reader: Reader = SparkReader()
        return reader
    from usmca_monitor.model.errors import UnknownCodeError

    raise UnknownCodeError(f"unknown engine {engine!r}", "--engine", f"use one of: {', '.join(ENGINES)}")
